"""Starting instances, completing their tasks, firing their timers and delivering their
messages. Every operation loads the instance, advances SpiffWorkflow, and saves state,
inbox mirror and audit events in the caller's transaction (the caller commits).

Concurrency: `process_instance.version` is SQLAlchemy's version_id_col, so saving an
instance that another transaction saved since it was loaded raises StaleDataError; the
web layer answers 409 and nothing is lost."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from uuid import UUID

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException, TaskNotFoundException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app import audit
from app.engine import clock, definitions, inbox, messages, serializer
from app.engine.errors import EngineError, ScriptLimitError, TaskNotOpen
from app.extensions import db
from app.models.engine import (
    HumanTask,
    InstanceStatus,
    ProcessDefinition,
    ProcessInstance,
    TaskStatus,
)

_PLAIN = (str, int, bool, Decimal, date, datetime, type(None))
_TIMER_EVENTS = ("TimeDateEventDefinition", "DurationTimerEventDefinition",
                 "CycleTimerEventDefinition")


def check_plain(data, path: str = "data") -> None:
    """Task data holds ids and decisions: plain values, lists and dicts of them."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not isinstance(key, str):
                raise EngineError(f"{path}: keys must be strings")
            check_plain(value, f"{path}.{key}")
    elif isinstance(data, (list, tuple)):
        for index, value in enumerate(data):
            check_plain(value, f"{path}[{index}]")
    elif isinstance(data, float) or not isinstance(data, _PLAIN):
        raise EngineError(f"{path}: {type(data).__name__} values cannot go into task data")


@contextmanager
def _engine_errors():
    """Turn SpiffWorkflow's exceptions into EngineError naming the failing element (a
    ScriptLimitError stays one, so that pages can say what happened)."""
    try:
        yield
    except SpiffWorkflowException as exc:
        task = getattr(exc, "task", None)
        where = f"'{inbox.title(task)}': " if task is not None else ""
        cause = getattr(exc, "exception", None)
        limit = cause if isinstance(cause, ScriptLimitError) else exc.__context__
        if isinstance(limit, ScriptLimitError):
            raise ScriptLimitError(f"{where}{limit}", limit.kind) from exc
        detail = f"{type(cause).__name__}: {cause}" if cause is not None else str(exc)
        raise EngineError(f"{where}{detail}") from exc


def record_error(instance_id: int, error: Exception) -> None:
    """Keep on the instance why its last operation failed (shown to administrators), once
    the failed operation was rolled back. The caller commits."""
    db.session.execute(update(ProcessInstance).where(ProcessInstance.id == instance_id)
                       .values(last_error=str(error)[:4000]))


def load(instance: ProcessInstance):
    """The instance's workflow, rebuilt with its own definition version's spec. The
    state (a deferred column) and the definition's key come in one query when neither
    is loaded yet, as for every task completed in a request (the definition, without its
    deferred XML and spec, then stays in the session for the inbox rows)."""
    loaded = instance.__dict__
    if instance.id is not None and "state" not in loaded and "definition" not in loaded:
        state, definition = db.session.execute(_state_and_definition(),
                                               {"instance_id": instance.id}).one()
        set_committed_value(instance, "definition", definition)
        return serializer.load(state, definitions.spec_json(definition))
    return serializer.load(instance.state, definitions.spec_json(instance.definition))


@cache
def _state_and_definition():
    """The statement of load, built once: every completion runs it."""
    return (select(ProcessInstance.state, ProcessDefinition)
            .join(ProcessDefinition, ProcessDefinition.id == ProcessInstance.definition_id)
            .where(ProcessInstance.id == bindparam("instance_id")))


def next_timer(workflow) -> datetime | None:
    dues = [TimerEventDefinition.get_datetime(e.value) for e in workflow.waiting_events()
            if e.event_type in _TIMER_EVENTS and isinstance(e.value, str)]
    return min(dues) if dues else None


def _advance(instance: ProcessInstance, workflow, actor) -> None:
    with _engine_errors():
        workflow.do_engine_steps()
        while messages.deliver_pending(instance, workflow, actor):
            workflow.do_engine_steps()


def _set_state(instance: ProcessInstance, workflow, now: datetime) -> bool:
    """Put the workflow's state on the instance row; whether the workflow has just ended."""
    instance.state = serializer.dump(workflow)
    instance.serializer_version = serializer.VERSION
    instance.next_timer_at = next_timer(workflow)
    instance.updated_at = now
    instance.last_error = None
    finished = workflow.completed and instance.running
    if finished:
        instance.status = InstanceStatus.COMPLETED.value
        instance.completed_at, instance.next_timer_at = now, None
    return finished


def _save(instance: ProcessInstance, workflow, actor, action: str | None,
          still_open: set[str] | None = None, **event) -> None:
    """Write the state, the audit event (if the caller has not recorded it), the inbox
    mirror (see inbox.refresh for `still_open`) and what ending the instance sets off.
    A new instance is flushed first, for its id; a stored one is written by the next
    flush (the inbox rows'), with the rows: that flush is where a concurrent save
    raises StaleDataError."""
    finished = _set_state(instance, workflow, clock.now())
    if instance.id is None:
        db.session.add(instance)
        db.session.flush()
    children = messages.finished_children(instance) if finished else None
    events = [] if action is None else [
        (action, {"actor": actor, "obj": instance, "instance_id": instance.id, **event})]
    events += inbox.refresh(instance, workflow, actor, still_open)
    if finished:
        events.append(("instance.complete", {"actor": actor, "obj": instance,
                                             "instance_id": instance.id,
                                             "after": {"status": instance.status}}))
    audit.record_many(events)
    if children is not None:
        send_message(instance.end_message, instance_id=instance.parent_id,
                     key=messages.batch_key(instance.parent_id, instance.end_message),
                     payload=children,
                     actor=actor, sender_id=instance.id)


def advance_and_save(instance: ProcessInstance, workflow, actor, action: str, **event) -> None:
    """Advance a workflow that was changed outside the operations above (a migration to
    another version), then save it with the inbox mirror and the audit event `action`
    (with the caller's before/after summaries) in the caller's transaction."""
    _advance(instance, workflow, actor)
    _save(instance, workflow, actor, action, **event)


@dataclass(frozen=True)
class Start:
    """One instance to start: see start()."""
    process_id: str
    business_key: str
    data: dict


def _already_running(starts: list[Start]) -> None:
    """Refuse to start a process again for a business key it is running for."""
    keys = [(s.process_id, s.business_key) for s in starts]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if twice:
        raise EngineError(f"'{twice[0][0]}' is asked to start twice for '{twice[0][1]}'")
    running = sorted((row.process_id, row.business_key, row.id) for row in db.session.execute(
        select(ProcessInstance.process_id, ProcessInstance.business_key, ProcessInstance.id).where(
            ProcessInstance.process_id.in_({s.process_id for s in starts}),
            ProcessInstance.business_key.in_({s.business_key for s in starts}),
            ProcessInstance.status == InstanceStatus.RUNNING.value))
        if (row.process_id, row.business_key) in set(keys))
    if running:
        process_id, business_key, instance_id = running[0]
        raise EngineError(f"'{process_id}' is already running for '{business_key}' (instance {instance_id})")


def _new(start: Start, definition, actor, parent, end_message) -> tuple[ProcessInstance, object, dict]:
    data = dict(start.data)
    check_plain(data)
    workflow = serializer.new_workflow(definitions.spec_json(definition))
    workflow.get_next_task(spec_name="Start").data.update(data)
    instance = ProcessInstance(
        definition=definition, process_id=start.process_id, business_key=start.business_key,
        cycle_id=data.get("cycle_id"), org_unit_id=data.get("unit_id"),
        subject_id=data.get("employee_id"), parent_id=parent.id if parent else None,
        end_message=end_message, status=InstanceStatus.RUNNING.value,
        started_by_id=getattr(actor, "id", actor),
    )
    _advance(instance, workflow, actor)
    summary = {"process_id": start.process_id, "version": definition.version,
               "business_key": start.business_key, "data": data}
    return instance, workflow, summary


def start(process_id: str, *, business_key: str, data: dict | None = None, actor=None,
          parent: ProcessInstance | None = None, end_message: str | None = None) -> ProcessInstance:
    """Start the latest version of a process. Conventional data keys: `cycle_id`,
    `unit_id`, `employee_id`, `evaluator_id` (see app.engine.assignment)."""
    one = Start(process_id, business_key, data or {})
    _already_running([one])
    instance, workflow, summary = _new(one, definitions.latest(process_id), actor, parent,
                                       end_message)
    _save(instance, workflow, actor, "instance.start", after=summary)
    return instance


def start_many(starts: list[Start], *, actor=None, parent: ProcessInstance | None = None,
               end_message: str | None = None) -> list[ProcessInstance]:
    """Start many instances as start() starts one, paying once for what they share: one
    query for the running business keys, the spec restored once, one flush for the
    instances and one for their inbox rows, one multi-row INSERT for the audit events
    and one query for the people notified. An instance with nothing to wait for, which
    ends as it starts, is saved alone as start() saves it (it tells its parent)."""
    if not starts:
        return []
    _already_running(starts)
    latest = {process_id: definitions.latest(process_id)
              for process_id in {one.process_id for one in starts}}
    made = [_new(one, latest[one.process_id], actor, parent, end_message) for one in starts]
    waiting = [(instance, workflow, summary) for instance, workflow, summary in made
               if not workflow.completed]
    now = clock.now()
    for instance, workflow, _summary in waiting:
        _set_state(instance, workflow, now)
    db.session.add_all([instance for instance, _workflow, _summary in waiting])
    db.session.flush()
    rows = inbox.open_new([(instance, workflow) for instance, workflow, _summary in waiting])
    audit.record_many([
        ("instance.start", {"actor": actor, "obj": instance, "instance_id": instance.id,
                            "after": summary}) for instance, _workflow, summary in waiting
    ] + inbox.opened_events(rows, actor))
    inbox.announce(rows)
    for instance, workflow, summary in made:
        if workflow.completed:
            _save(instance, workflow, actor, "instance.start", after=summary)
    return [instance for instance, _workflow, _summary in made]


def complete_task(task: HumanTask, decisions: dict, actor, *, submitted: dict | None = None) -> ProcessInstance:
    """Put the decisions into the task's data, run it and advance the instance. Who may
    complete is app.services.tasks.operations' business; this only checks the task is still open."""
    check_plain(decisions, "decisions")
    if not task.is_open:
        raise TaskNotOpen(f"task '{task.title}' is {task.status}")
    instance = task.instance
    workflow = load(instance)
    try:
        spiff_task = workflow.get_task_from_id(UUID(task.task_guid))
    except TaskNotFoundException:
        spiff_task = None
    if spiff_task is None or spiff_task.state != TaskState.READY:
        raise TaskNotOpen(f"task '{task.title}' is no longer open")
    # The other rows open beside this task, as the inbox mirror keeps them.
    still_open = inbox.open_guids(workflow) - {task.task_guid}
    spiff_task.data.update(decisions)
    with _engine_errors():
        spiff_task.run()
    _advance(instance, workflow, actor)
    task.status = TaskStatus.COMPLETED.value
    task.completed_at = clock.now()
    task.completed_by_id = getattr(actor, "id", actor)
    _save(instance, workflow, actor, "task.complete", still_open, task_id=task.task_guid,
          object_type="HumanTask", object_id=task.id,
          before={"status": TaskStatus.OPEN.value, "title": task.title},
          after={"status": task.status, "title": task.title, "decisions": decisions,
                 "submitted": submitted})
    return instance


def _waiting_timers(workflow) -> dict:
    return {
        t.id: inbox.title(t) for t in workflow.get_tasks(state=TaskState.WAITING)
        if isinstance(getattr(t.task_spec, "event_definition", None), TimerEventDefinition)
    }


def fire_timers(instance: ProcessInstance) -> list[str]:
    """Fire the instance's due timers; return the names of those that fired."""
    workflow = load(instance)
    waiting = _waiting_timers(workflow)
    with _engine_errors():
        workflow.refresh_timers()
    _advance(instance, workflow, None)
    still = _waiting_timers(workflow)
    fired = sorted({name for task_id, name in waiting.items() if task_id not in still})
    _save(instance, workflow, None, "timer.fire" if fired else "timer.check",
          after={"timers": fired, "next_timer_at": next_timer(workflow)})
    return fired


def send_message(name: str, *, key: str, instance_id: int | None = None,
                 process_id: str | None = None, business_key: str | None = None,
                 payload: dict | list | None = None, actor=None,
                 sender_id: int | None = None) -> str:
    """Deliver a BPMN message to one instance, given by id or by (process_id,
    business_key) of a running instance. Returns 'delivered', 'pending' (the instance
    does not wait for it yet) or 'duplicate' (this key was delivered before)."""
    check_plain(payload, "payload")
    if instance_id is not None:
        target = db.session.get(ProcessInstance, instance_id)
    else:
        target = db.session.execute(select(ProcessInstance).where(
            ProcessInstance.process_id == process_id, ProcessInstance.business_key == business_key,
            ProcessInstance.status == InstanceStatus.RUNNING.value)).scalar_one_or_none()
    if target is None:
        raise EngineError(f"no instance to receive message '{name}'")
    message = messages.store(target, name, key, payload, sender_id, actor)
    if message is None:
        return messages.DUPLICATE
    if not target.running:
        return messages.PENDING
    workflow = load(target)
    if name not in messages.waiting_for(workflow):
        return messages.PENDING
    with _engine_errors():
        messages.deliver(target, workflow, message, actor)
    _advance(target, workflow, actor)
    _save(target, workflow, actor, None)
    return messages.DELIVERED


def all_children_started(parent_id: int, end_message: str, actor=None) -> str | None:
    """A background job has started every child of the parent carrying `end_message`:
    if none of them runs any more (they all ended meanwhile, or there were none), send
    the parent that message now; otherwise the last child to end sends it."""
    children = messages.ended_children(parent_id, end_message)
    if children is None:
        return None
    return send_message(end_message, instance_id=parent_id,
                        key=messages.batch_key(parent_id, end_message), payload=children,
                        actor=actor)


def progress(instance: ProcessInstance) -> tuple[list[str], list[str]]:
    """BPMN ids of the steps done and of those under way, for the diagram."""
    done, current = set(), set()
    for task in load(instance).get_tasks():
        bpmn_id = getattr(task.task_spec, "bpmn_id", None)
        if not bpmn_id:
            continue
        if task.state == TaskState.COMPLETED:
            done.add(bpmn_id)
        elif task.state & (TaskState.READY | TaskState.WAITING | TaskState.STARTED):
            current.add(bpmn_id)
    return sorted(done - current), sorted(current)
