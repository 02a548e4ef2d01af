"""The human_task mirror: one row per READY manual task, rebuilt in the transaction that
saves the instance, so inbox pages query a table and never deserialize a workflow."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from app import diagram_texts
from app import notify as notifications
from app.engine import assignment, clock
from app.engine.errors import EngineError
from app.extensions import db
from app.models.engine import HumanTask, ProcessInstance, TaskStatus

DEFAULT_REMINDER_DAYS = 3
DEFAULT_ESCALATION_DAYS = 1


def properties(task) -> dict[str, str]:
    return (getattr(task.task_spec, "extensions", None) or {}).get("properties", {})


def title(task) -> str:
    spec = task.task_spec
    return (getattr(spec, "bpmn_name", None) or spec.bpmn_id or spec.name)[:200]


def _zone() -> ZoneInfo:
    """Dates without a time are the administration's local days."""
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Rome"))


def _instant(value, opened_at: datetime) -> datetime:
    """A due date from an expression's value: a date (end of that day, local time), a
    date-time, their ISO text, or an ISO duration counted from when the task opened."""
    if isinstance(value, str):
        text = value.strip()
        if text.upper().startswith("P"):
            parsed = TimerEventDefinition.parse_iso_duration(text)
            return opened_at + TimerEventDefinition.get_timedelta_from_start(parsed, opened_at)
        value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=_zone())
    if isinstance(value, date):
        return datetime.combine(value, time(23, 59, 59), _zone())
    raise ValueError(f"{value!r} is not a date, a date-time or a duration")


def _attached_timer_due(task) -> datetime | None:
    """The earliest due time of the timers attached to the task (boundary events)."""
    if task.parent is None or not isinstance(task.parent.task_spec, BoundaryEventSplit):
        return None
    dues = []
    for sibling in task.parent.children:
        definition = getattr(sibling.task_spec, "event_definition", None)
        value = sibling.internal_data.get("event_value")
        if isinstance(definition, TimerEventDefinition) and isinstance(value, str):
            dues.append(TimerEventDefinition.get_datetime(value))
    return min(dues) if dues else None


def due_at(task, opened_at: datetime) -> datetime | None:
    expression = properties(task).get("dueDate")
    if not expression:
        return _attached_timer_due(task)
    try:
        value = task.workflow.script_engine.evaluate(task, expression)
        return _instant(value, opened_at)
    except (SpiffWorkflowException, ValueError, TypeError) as exc:
        raise EngineError(f"task '{title(task)}': the dueDate expression failed: {exc}") from exc


def _days(props: dict, name: str, config_key: str, default: int) -> int:
    value = props.get(name)
    return int(value) if value else int(current_app.config.get(config_key, default))


def _new_row(instance: ProcessInstance, task, now: datetime) -> HumanTask:
    spec, props = task.task_spec, properties(task)
    who = assignment.resolve(
        diagram_texts.role_of_lane(instance.definition, spec.lane), task.data,
        instance_unit_id=instance.org_unit_id,
        cycle_id=instance.cycle_id, task_name=title(task),
    )
    due = due_at(task, now)
    row = HumanTask(
        instance_id=instance.id, task_guid=str(task.id), bpmn_id=spec.bpmn_id or spec.name,
        title=title(task), form_key=props.get("formKey", ""), role=who.role,
        assignee_id=who.assignee_id, lane_assignee_id=who.assignee_id,
        org_unit_id=who.org_unit_id, cycle_id=instance.cycle_id,
        subject_id=who.subject_id or instance.subject_id, status=TaskStatus.OPEN.value,
        due_at=due, created_at=now,
    )
    if due is not None:
        remind_at = due - timedelta(days=_days(
            props, "reminderDays", "ENGINE_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))
        # Opened already inside the reminder window: the assignment message is enough.
        row.remind_at = remind_at if remind_at > now else None
        row.escalate_at = due + timedelta(days=_days(
            props, "escalationDays", "ENGINE_ESCALATION_DAYS", DEFAULT_ESCALATION_DAYS))
    return row


def _ready(workflow) -> dict:
    return {str(t.id): t for t in workflow.get_tasks(state=TaskState.READY, manual=True)}


def open_guids(workflow) -> set[str]:
    """The tasks whose rows are open while the instance rests (refresh keeps them so)."""
    return set(_ready(workflow))


def refresh(instance: ProcessInstance, workflow, actor,
            still_open: set[str] | None = None) -> list[tuple[str, dict]]:
    """Bring the instance's open rows in line with its READY manual tasks: withdraw rows
    whose task is gone, add rows for new tasks and notify their assignees. The caller has
    already marked a task it completed, and records the audit events returned (for
    audit.record_many, with its own). `still_open`: the rows known to be open, when the
    caller knows them (completing a task: those open before it, less its own); if every
    one of them is still READY, nothing is withdrawn and they need not be read."""
    now = clock.now()
    ready = _ready(workflow)
    events = []
    if still_open is not None and still_open <= ready.keys():
        known = still_open
    else:
        open_rows = db.session.execute(
            select(HumanTask).where(HumanTask.instance_id == instance.id,
                                    HumanTask.status == TaskStatus.OPEN.value)
        ).scalars().all()
        for row in open_rows:
            if row.task_guid not in ready:
                row.status = TaskStatus.CANCELLED.value
                row.completed_at = now
                events.append(("task.cancel", {
                    "actor": actor, "obj": row, "instance_id": instance.id,
                    "task_id": row.task_guid, "before": {"status": TaskStatus.OPEN.value},
                    "after": {"status": row.status, "title": row.title}}))
        known = {row.task_guid for row in open_rows}
    created = [_new_row(instance, task, now) for guid, task in ready.items() if guid not in known]
    db.session.add_all(created)
    db.session.flush()
    announce(created)
    return events + opened_events(created, actor)


def open_new(started: list[tuple[ProcessInstance, object]]) -> list[HumanTask]:
    """The rows of instances just started (which have none yet), for many instances at
    once: one flush for all of them. The caller records opened_events and announces."""
    now = clock.now()
    created = [_new_row(instance, task, now)
               for instance, workflow in started for task in _ready(workflow).values()]
    db.session.add_all(created)
    db.session.flush()
    return created


def opened_events(rows: list[HumanTask], actor) -> list[tuple[str, dict]]:
    """The `task.open` audit events of new rows, for audit.record_many."""
    return [("task.open", {
        "actor": actor, "obj": row, "instance_id": row.instance_id, "task_id": row.task_guid,
        "after": {"title": row.title, "role": row.role, "assignee_id": row.assignee_id,
                  "org_unit_id": row.org_unit_id, "form_key": row.form_key,
                  "due_at": row.due_at}}) for row in rows]


def announce(rows: list[HumanTask]) -> None:
    """Tell the assignee of each new row, or the candidates of a pooled one."""
    notifications.notify_many([
        (row, [row.assignee_id] if row.assignee_id is not None
         else assignment.candidate_ids(row.role, row.org_unit_id)) for row in rows],
        notifications.ASSIGNMENT)
