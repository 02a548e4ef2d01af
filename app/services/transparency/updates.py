"""The owners' update tasks: when an obligation's update falls due, the head of the unit
that prepares it gets a task (workflows/transparency_update.bpmn) to publish the update
and record its date. `flask transparency due` opens them (run it daily beside
`flask engine tick`); it is idempotent: an obligation with an open task gets no other."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app import audit, engine
from app.extensions import db
from app.models.engine import InstanceStatus, ProcessInstance
from app.models.transparency import Obligation
from app.services.transparency.grid import grid, next_due

PROCESS_ID = "transparency_update"


def business_key(obligation: Obligation) -> str:
    return f"{PROCESS_ID}:{obligation.id}"


def open_due_updates(administration_id: int, today: date, actor=None) -> int:
    """Start the update task of every active obligation due by today that has a preparing
    unit and no open task; returns how many were started."""
    running = set(db.session.execute(select(ProcessInstance.business_key).where(
        ProcessInstance.process_id == PROCESS_ID,
        ProcessInstance.status == InstanceStatus.RUNNING.value)).scalars())
    started = 0
    for obligation in grid(administration_id):
        due = next_due(obligation.last_published, obligation.frequency, today)
        if (not obligation.active or obligation.preparer_unit_id is None or due > today
                or business_key(obligation) in running):
            continue
        engine.start(PROCESS_ID, business_key=business_key(obligation), actor=actor,
                     data={"unit_id": obligation.preparer_unit_id,
                           "update_due": due.isoformat()})
        started += 1
    if started:
        audit.record("transparency.updates.open", actor=actor,
                     after={"administration_id": administration_id, "started": started,
                            "on": today})
    return started


def obligation_of(task) -> Obligation:
    return db.session.get(Obligation, int(task.instance.business_key.split(":")[1]))
