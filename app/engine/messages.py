"""BPMN messages between instances, correlated by the application.

A message is addressed to one instance and carries a key; (instance, name, key) is unique,
so delivering the same message twice does nothing the second time. A message that arrives
before its instance waits for it stays pending and is delivered by the save that reaches
the catch event. When the last running child carrying an `end_message` ends, its parent
receives that message; its payload (the value of the catch event's messageVariable) is
the list of the ids of all those children. A parent may start such a batch of children
again (a loop in its diagram): a batch is the children started after the previous batch's
message, and each batch's message has its own key, `children:<message>:<batch number>`.
While a background job is still starting children for the parent with that message, no
child is the last one: the job sends the message itself when it is done, if by then every
child has ended (all_children_started)."""
from __future__ import annotations

from functools import cache

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.engine import clock
from app.extensions import db
from app.models.engine import InstanceStatus, ProcessInstance, ProcessMessage
from app.models.jobs import Job, JobStatus

DELIVERED, PENDING, DUPLICATE = "delivered", "pending", "duplicate"


def waiting_for(workflow) -> set[str]:
    return {e.name for e in workflow.waiting_events() if e.event_type == "MessageEventDefinition"}


def deliver(instance: ProcessInstance, workflow, message: ProcessMessage, actor) -> None:
    """Hand a stored message to a loaded workflow that waits for it."""
    workflow.send_event(BpmnEvent(MessageEventDefinition(message.name), payload=message.payload))
    message.delivered_at = clock.now()
    audit.record("message.deliver", actor=actor, obj=message, instance_id=instance.id,
                 after={"name": message.name, "key": message.key,
                        "sender_instance_id": message.sender_instance_id})


def deliver_pending(instance: ProcessInstance, workflow, actor) -> bool:
    """Deliver the oldest pending message the workflow now waits for, if any."""
    names = waiting_for(workflow)
    if instance.id is None or not names:
        return False
    message = db.session.execute(
        select(ProcessMessage).where(
            ProcessMessage.instance_id == instance.id, ProcessMessage.delivered_at.is_(None),
            ProcessMessage.name.in_(names),
        ).order_by(ProcessMessage.id).limit(1)
    ).scalar_one_or_none()
    if message is None:
        return False
    deliver(instance, workflow, message, actor)
    return True


def store(target: ProcessInstance, name: str, key: str, payload, sender_id, actor) -> ProcessMessage | None:
    """Record the message, or return None if the same one was recorded before."""
    exists = db.session.scalar(select(ProcessMessage.id).where(
        ProcessMessage.instance_id == target.id, ProcessMessage.name == name,
        ProcessMessage.key == key))
    if exists is not None:
        return None
    message = ProcessMessage(instance_id=target.id, name=name, key=key, payload=payload,
                             sender_instance_id=sender_id)
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:  # recorded concurrently by another transaction
        return None
    audit.record("message.receive", actor=actor, obj=message, instance_id=target.id,
                 after={"name": name, "key": key, "sender_instance_id": sender_id})
    return message


def _previous_batches(parent_id: int, name: str) -> list:
    return list(db.session.execute(select(ProcessMessage.payload).where(
        ProcessMessage.instance_id == parent_id, ProcessMessage.name == name,
        ProcessMessage.key.startswith("children:"))).scalars())


def batch_key(parent_id: int, name: str) -> str:
    """The key of the end message of the parent's next batch of children."""
    return f"children:{name}:{len(_previous_batches(parent_id, name)) + 1}"


def finished_children(instance: ProcessInstance) -> list[int] | None:
    """When the instance was the last running child of its batch (the parent's children
    with its end_message started after the previous batch's message), the ids of the
    batch; otherwise None. Unless a running sibling can be locked, locks the parent row,
    so that of two last children finishing at once the second to commit sees the first."""
    if instance.parent_id is None or not instance.end_message or _sibling_runs_on(instance):
        return None
    return ended_children(instance.parent_id, instance.end_message)


def _sibling_runs_on(instance: ProcessInstance) -> bool:
    """Whether another child of the batch runs and will still run when this transaction
    ends: one such sibling is locked here, so it cannot end before this transaction
    commits, and its own end will then see this one's. The common case, answered by one
    indexed statement and without the parent's lock, which would queue every child's end
    behind every other's. A sibling that is ending concurrently holds its own row lock
    and is skipped (SKIP LOCKED): when only such siblings are left, the parent's lock in
    ended_children decides which of them is the last. The highest running id is taken,
    the one least likely to be completed at this very moment when tasks are worked
    through in order. (On SQLite, with one writer at a time, there is no lock to take.)"""
    return db.session.scalar(_running_sibling(), {
        "parent_id": instance.parent_id, "end_message": instance.end_message,
        "instance_id": instance.id}) is not None


@cache
def _running_sibling():
    """The statement of _sibling_runs_on, built once (every child that ends asks). The
    status is written into the SQL: the partial index of running children
    (ix_process_instance_running_children) serves a plan only against the constant,
    even the generic plan of a prepared statement."""
    return select(ProcessInstance.id).where(
        ProcessInstance.parent_id == bindparam("parent_id"),
        ProcessInstance.end_message == bindparam("end_message"),
        ProcessInstance.status == bindparam("running", InstanceStatus.RUNNING.value,
                                            literal_execute=True),
        ProcessInstance.id != bindparam("instance_id"),
    ).order_by(ProcessInstance.id.desc()).limit(1).with_for_update(skip_locked=True)


def ended_children(parent_id: int, end_message: str) -> list[int] | None:
    """The ids of the parent's children with that end message when none of them runs
    and no job is still starting more of them; otherwise None (the parent row locked)."""
    db.session.execute(
        select(ProcessInstance.id).where(ProcessInstance.id == parent_id).with_for_update()
    )
    earlier = [i for payload in _previous_batches(parent_id, end_message)
               if isinstance(payload, list) for i in payload if isinstance(i, int)]
    siblings = (ProcessInstance.parent_id == parent_id,
                ProcessInstance.end_message == end_message,
                ProcessInstance.id > max(earlier, default=0))
    # Whether one sibling still runs, not how many: the first match answers, so the
    # 25,000th child's check costs what the first one's did.
    running = db.session.scalar(select(ProcessInstance.id).where(
        *siblings, ProcessInstance.status == InstanceStatus.RUNNING.value).limit(1))
    if running is not None:
        return None
    starting = db.session.scalar(select(Job.id).where(
        Job.parent_instance_id == parent_id, Job.notify_message == end_message,
        Job.status != JobStatus.DONE.value).limit(1))
    if starting is not None:
        return None
    return list(db.session.execute(
        select(ProcessInstance.id).where(*siblings).order_by(ProcessInstance.id)).scalars())
