"""Children of a chunk start together (engine.start_many): one write of each kind for
the whole chunk, and the same rows, audit events and messages as one by one."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import event, func, select

from app import audit, engine
from app.engine.errors import EngineError
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.engine import HumanTask, Notification, ProcessInstance
from app.models.jobs import Job, JobStatus
from app.services.cycle import children
from app.services.jobs import queue
from tests.helpers import add_people, run_jobs

TABLES = ("process_instance", "human_task", "audit_event", "notification")


class InsertCounter:
    """INSERT statements the database receives, per table."""

    def __init__(self):
        self.inserts = Counter()
        self.statements = 0

    def _seen(self, _conn, _cursor, statement, *_args):
        self.statements += 1
        found = re.match(r"\s*INSERT INTO (\w+)", statement)
        if found:
            self.inserts[found.group(1)] += 1

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc):
        event.remove(db.engine, "before_cursor_execute", self._seen)


def test_a_chunk_of_children_is_written_with_one_insert_per_table(cycle, master, people, is_postgres):
    """On PostgreSQL the rows of each table go in one multi-row INSERT (the audit trail
    has one more, the chunk's own event). SQLite cannot match the rows an INSERT returns
    to the objects, so it gets one INSERT a row, in process and cheap; either way the
    statements per child stay a handful (one by one, it was twenty)."""
    add_people("A1.1", 45)
    total = children.start_assignments(people.support, cycle, master)
    db.session.commit()
    assert total >= 50
    assert queue.run_chunk().done == 1  # the people listed into the job
    with InsertCounter() as counter:
        report = queue.run_chunk(50)
    assert (report.done, report.failed) == (50, 0)
    if is_postgres:
        assert [counter.inserts[table] for table in TABLES] == [1, 1, 2, 1], counter.inserts
        assert counter.statements < 2 * 50
    else:
        assert counter.statements < 50 * 6


def test_children_started_together_leave_what_one_by_one_leaves(cycle, master, people):
    """Each child: its instance.start event, a task.open event per inbox row, a message
    to each assignee; and the audit chain still verifies."""
    total = children.start_assignments(people.support, cycle, master)
    run_jobs()
    started = list(db.session.scalars(select(ProcessInstance).where(
        ProcessInstance.parent_id == master.id)))
    assert len(started) == total
    events = Counter((e.action, e.instance_id) for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_(("instance.start", "task.open")))))
    for child in started:
        rows = list(db.session.scalars(select(HumanTask).where(HumanTask.instance_id == child.id)))
        assert rows
        assert events[("instance.start", child.id)] == 1
        assert events[("task.open", child.id)] == len(rows)
        sent = db.session.scalar(select(func.count(Notification.id)).where(
            Notification.task_id.in_([row.id for row in rows])))
        assert sent == len(rows)
    assert audit.verify().ok


def test_starting_the_same_business_key_twice_in_one_batch_is_refused(cycle, master, people):
    start = children.assignment_start(cycle, people.employee, _snapshot(cycle))
    with pytest.raises(EngineError, match="twice"):
        engine.start_many([start, start], actor=people.support, parent=master,
                          end_message=children.ASSIGNMENTS_DONE)


def test_the_worker_takes_each_kinds_own_chunk_by_default(cycle, master, people):
    total = children.start_assignments(people.support, cycle, master)
    db.session.commit()
    assert queue.run_chunk().done == 1  # the people listed into the job, alone
    assert queue.run_chunk().done == min(total, 50)  # the fan-outs' own chunk
    run_jobs()
    assert db.session.scalars(select(Job)).one().status == JobStatus.DONE.value


def _snapshot(cycle):
    from app.services.org.operations import OrgSnapshot

    return OrgSnapshot.load(cycle.id)
