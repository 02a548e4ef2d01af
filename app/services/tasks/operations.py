"""Operations on human tasks: complete, claim, unclaim, reassign, delegate.

Authorization lives here, whatever the pages show: only the assignee of a task, or
whoever claimed a pooled task, completes it; a pooled task is claimed by a holder of its
role within scope; Admin, the Managers heading the task's unit and the person a task was
escalated to reassign it; the holder delegates it to someone they can see. Nobody acts on
a task about themselves, and an evaluating task stays within the subject's line of
superiors (see app.services.tasks.subjects). Each operation runs in the caller's
transaction and writes an AuditEvent."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import Conflict, Forbidden, NotFound

from app import audit, engine
from app import notify as notifications
from app.engine import assignment
from app.extensions import db
from app.models.engine import HumanTask, TaskDraft, TaskStatus
from app.models.org import Role, User
from app.services.org.permissions import can_see_user, headed_units
from app.services.tasks import steps, subjects

# The forms whose answers may be kept as a draft (app.services.tasks.drafts): the rating,
# which the evaluation grid saves person by person. Completing any other form has no draft
# to drop, and pays no statement for it.
DRAFT_FORMS = frozenset({"evaluation_rating"})


class TaskError(ValueError):
    """Refused input; the message is meant for the user interface."""


def get(task_id: int) -> HumanTask:
    """The task with its instance (without the workflow's state), its subject (without
    their roles) and its cycle, in one read: the page and the completion both name the
    person and the cycle the task is about."""
    task = db.session.get(HumanTask, task_id, options=[
        joinedload(HumanTask.instance), joinedload(HumanTask.cycle),
        joinedload(HumanTask.subject)])
    if task is None:
        raise NotFound()
    return task


def _no_longer_open() -> Conflict:
    return Conflict(description=str(_l("This task is no longer open.")))


def _require_open(task: HumanTask) -> None:
    if not task.is_open:
        raise _no_longer_open()


def _closed_meanwhile(task: HumanTask) -> bool:
    """Whether another transaction has closed the task since this one read it (a fresh
    read: on PostgreSQL each statement sees what has been committed)."""
    with db.session.no_autoflush:
        status = db.session.execute(
            select(HumanTask.status).where(HumanTask.id == task.id)).scalar_one()
    return status != TaskStatus.OPEN.value


def may_complete(actor: User, task: HumanTask) -> bool:
    return task.is_open and task.holder_id == actor.id and not subjects.about_self(actor, task)


def in_pool(actor: User, task: HumanTask) -> bool:
    return task.pooled and not subjects.about_self(actor, task) and assignment.in_pool(actor, task.role, task.org_unit_id,
                                              headed_units(actor))


def may_claim(actor: User, task: HumanTask) -> bool:
    return task.is_open and task.claimed_by_id is None and in_pool(actor, task)


def may_reassign(actor: User, task: HumanTask) -> bool:
    if not task.is_open or subjects.about_self(actor, task):
        return False
    if (actor.has_role(Role.ADMIN) or actor.id == task.escalated_to_id
            or subjects.rightful(actor, task)):
        return True
    if not actor.has_role(Role.MANAGER):
        return False
    scope = headed_units(actor)
    holder = db.session.get(User, task.holder_id) if task.holder_id else None
    return task.org_unit_id in scope or (holder is not None and holder.unit_id in scope)


def may_unclaim(actor: User, task: HumanTask) -> bool:
    return (task.is_open and task.claimed_by_id is not None
            and (task.claimed_by_id == actor.id or may_reassign(actor, task)))


def may_delegate(actor: User, task: HumanTask) -> bool:
    return may_complete(actor, task)


def may_view(actor: User, task: HumanTask) -> bool:
    if subjects.about_self(actor, task):
        return False
    involved = {task.assignee_id, task.claimed_by_id, task.completed_by_id, task.escalated_to_id}
    return (actor.id in involved or actor.has_role(Role.ADMIN, Role.SUPPORT_UNIT)
            or in_pool(actor, task) or may_reassign(actor, task))


def submitted_data(form) -> dict:
    """The validated fields of a task form, without the CSRF token and buttons."""
    skip = {"CSRFTokenField", "SubmitField"}
    return {f.name: f.data for f in form if f.type not in skip}


def complete(actor: User, task_id: int, form_data: dict) -> HumanTask:
    """Hand the form data to the step's handler and advance the workflow, dropping the
    task's draft. Raises 403 for anyone but the assignee (or claimer), 409 when the task
    closed meanwhile."""
    task = get(task_id)
    _require_open(task)
    if not may_complete(actor, task):
        raise Forbidden()
    try:
        decisions = steps.decisions(actor, task, form_data)
    except TaskError:
        # A refusal of what a quicker request has just changed (the sheet it acknowledged,
        # say) means the task closed meanwhile: a conflict, not a wrong answer.
        if _closed_meanwhile(task):
            raise _no_longer_open() from None
        raise
    # The step's own writes (ratings, a sheet, an evaluation's status) go out now, before
    # the workflow moves: a write the database refuses fails here, not inside the engine.
    db.session.flush()
    try:
        engine.complete_task(task, decisions, actor, submitted=form_data)
    except engine.TaskNotOpen as exc:
        raise Conflict(description=str(exc)) from exc
    if task.form_key in DRAFT_FORMS:
        # The answers now live in the domain tables: a draft of them would only go stale.
        db.session.execute(delete(TaskDraft).where(TaskDraft.task_id == task.id))
    return task


def record_failure(task_id: int, error: Exception) -> None:
    """After a failed completion was rolled back: keep the reason on the task's instance,
    for the administrators who look after the workflows. The caller commits."""
    task = get(task_id)
    engine.record_error(task.instance_id, error)


def claim(actor: User, task_id: int) -> HumanTask:
    task = get(task_id)
    _require_open(task)
    if not in_pool(actor, task):
        raise Forbidden()
    if task.claimed_by_id is not None:
        raise Conflict(description=str(_l("Someone else has already taken this task.")))
    task.claimed_by_id = actor.id
    audit.record("task.claim", actor=actor, obj=task, instance_id=task.instance_id,
                 task_id=task.task_guid, before={"claimed_by": None},
                 after={"claimed_by": actor.id})
    return task


def unclaim(actor: User, task_id: int) -> HumanTask:
    task = get(task_id)
    _require_open(task)
    if not may_unclaim(actor, task):
        raise Forbidden()
    before = task.claimed_by_id
    task.claimed_by_id = None
    audit.record("task.unclaim", actor=actor, obj=task, instance_id=task.instance_id,
                 task_id=task.task_guid, before={"claimed_by": before},
                 after={"claimed_by": None})
    return task


def _hand_over(actor: User, task: HumanTask, user_id: int, reason: str, action: str) -> HumanTask:
    reason = (reason or "").strip()
    if not reason:
        raise TaskError(_l("Give the reason for the change."))
    target = db.session.get(User, user_id)
    if target is None or not target.active:
        raise TaskError(_l("Choose an active user."))
    if target.id == task.holder_id:
        raise TaskError(_l("The task is already with this person."))
    if subjects.about_self(target, task):
        raise TaskError(_l("This task is about this person: nobody acts on a task about "
                           "themselves."))
    if not subjects.may_receive(target, task):
        raise TaskError(_l("Only the evaluator of the person concerned, or someone above "
                           "them in the evaluation chain, may take this task."))
    before = {"assignee_id": task.assignee_id, "claimed_by": task.claimed_by_id}
    task.assignee_id, task.claimed_by_id = target.id, None
    audit.record(action, actor=actor, obj=task, instance_id=task.instance_id,
                 task_id=task.task_guid, before=before,
                 after={"assignee_id": target.id, "reason": reason})
    notifications.notify(target, notifications.ASSIGNMENT, task)
    return task


def reassign(actor: User, task_id: int, user_id: int, reason: str) -> HumanTask:
    """Give the task to another person (Admin, Managers in scope, escalation target)."""
    task = get(task_id)
    _require_open(task)
    if not may_reassign(actor, task):
        raise Forbidden()
    return _hand_over(actor, task, user_id, reason, "task.reassign")


def delegate(actor: User, task_id: int, user_id: int, reason: str) -> HumanTask:
    """The holder hands the task to someone in their scope (a supervisor, for example)."""
    task = get(task_id)
    _require_open(task)
    if not may_delegate(actor, task):
        raise Forbidden()
    target = db.session.get(User, user_id)
    if target is None or not can_see_user(actor, target):
        raise TaskError(_l("You can delegate only to people of your units."))
    return _hand_over(actor, task, user_id, reason, "task.delegate")
