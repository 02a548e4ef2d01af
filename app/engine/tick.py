"""`flask engine tick`: fire due timers, send reminders, escalate overdue tasks, make the
daily digests and send mail.

Nothing in the engine fires by itself. A tick is idempotent and safe to run from several
processes at once: every unit of work is its own transaction on rows locked with
SELECT ... FOR UPDATE SKIP LOCKED (PostgreSQL; SQLite serialises writers anyway), and
an instance saved by someone else meanwhile fails its optimistic-lock check and is left
to them. Reminder and escalation marks are written with plain UPDATEs so that they do not
bump the task's version and make a user's concurrent submission fail."""
from __future__ import annotations

import smtplib
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from app import audit, mailer
from app import notify as notifications
from app.engine import assignment, clock, runtime
from app.engine.errors import EngineError
from app.extensions import db
from app.models.engine import HumanTask, InstanceStatus, ProcessInstance, TaskStatus
from app.models.org import Role


@dataclass
class TickReport:
    timers_fired: int = 0
    reminders: int = 0
    escalations: int = 0
    mails_sent: int = 0
    digests: int = 0
    errors: list[str] = field(default_factory=list)


def _next_due_instance(skip: set[int]) -> ProcessInstance | None:
    stmt = select(ProcessInstance).where(
        ProcessInstance.next_timer_at <= clock.now(),
        ProcessInstance.status == InstanceStatus.RUNNING.value,
    )
    if skip:
        stmt = stmt.where(ProcessInstance.id.not_in(skip))
    return db.session.execute(
        stmt.order_by(ProcessInstance.next_timer_at, ProcessInstance.id).limit(1)
        .with_for_update(skip_locked=True)
    ).scalar_one_or_none()


def fire_due_timers(report: TickReport) -> None:
    attempted: set[int] = set()
    while (instance := _next_due_instance(attempted)) is not None:
        attempted.add(instance.id)
        try:
            fired = runtime.fire_timers(instance)
            db.session.commit()
        except StaleDataError:
            db.session.rollback()  # saved by a request or another tick meanwhile
            continue
        except (EngineError, OperationalError) as exc:
            db.session.rollback()
            report.errors.append(f"instance {instance.id}: {exc}")
            runtime.record_error(instance.id, exc)
            db.session.commit()
            continue
        report.timers_fired += len(fired)
    db.session.rollback()


def _due_tasks(column, batch: int) -> list[HumanTask]:
    return list(db.session.execute(
        select(HumanTask).where(column <= clock.now(), HumanTask.status == TaskStatus.OPEN.value)
        .order_by(column, HumanTask.id).limit(batch).with_for_update(skip_locked=True)
    ).scalars())


def _holders_or_pool(task: HumanTask) -> list[int]:
    if task.holder_id is not None:
        return [task.holder_id]
    return assignment.candidate_ids(task.role, task.org_unit_id)


def send_reminders(report: TickReport, batch: int = 200) -> None:
    while tasks := _due_tasks(HumanTask.remind_at, batch):
        now = clock.now()
        for task in tasks:
            sent = notifications.notify_users(_holders_or_pool(task), notifications.REMINDER, task)
            db.session.execute(update(HumanTask).where(HumanTask.id == task.id)
                               .values(reminded_at=now, remind_at=None).execution_options(synchronize_session=False))
            audit.record("task.remind", obj=task, instance_id=task.instance_id,
                         task_id=task.task_guid, after={"recipients": sent})
        db.session.commit()
        report.reminders += len(tasks)


def _superiors(task: HumanTask, snapshots: dict) -> list[int]:
    """Whom to alert about an overdue task: the evaluator of whoever holds it (the Board
    for the Secretary General); the support unit running the cycle when nobody does."""
    if task.holder_id is not None:
        if task.cycle_id not in snapshots:
            snapshots[task.cycle_id] = assignment.evaluation_chain(task.cycle_id)
        superior = snapshots[task.cycle_id].evaluator(task.holder_id)
        if superior.user_id is not None:
            return [superior.user_id]
        if superior.board:
            return assignment.candidate_ids(Role.BOARD.value, None)
    return assignment.candidate_ids(Role.SUPPORT_UNIT.value, None)


def escalate_overdue(report: TickReport, batch: int = 200) -> None:
    snapshots: dict = {}
    while tasks := _due_tasks(HumanTask.escalate_at, batch):
        now = clock.now()
        for task in tasks:
            targets = _superiors(task, snapshots)
            notifications.notify_users(targets, notifications.ESCALATION, task)
            escalated_to = targets[0] if len(targets) == 1 else None
            db.session.execute(update(HumanTask).where(HumanTask.id == task.id)
                               .values(escalated_at=now, escalate_at=None,
                                       escalated_to_id=escalated_to)
                               .execution_options(synchronize_session=False))
            audit.record("task.escalate", obj=task, instance_id=task.instance_id,
                         task_id=task.task_guid,
                         after={"holder_id": task.holder_id, "escalated_to": targets})
        db.session.commit()
        report.escalations += len(tasks)


def tick() -> TickReport:
    report = TickReport()
    fire_due_timers(report)
    send_reminders(report)
    escalate_overdue(report)
    try:
        report.digests = mailer.send_digests(notifications.day_start(clock.now()))
        report.mails_sent = mailer.dispatch(now=clock.now())
    except (OSError, smtplib.SMTPException) as exc:
        db.session.rollback()
        report.errors.append(f"mail: {exc}")
    return report
