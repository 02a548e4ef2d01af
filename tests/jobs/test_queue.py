"""Job semantics in one process: a step records its job and returns, the worker does it
chunk by chunk, a broken item fails alone and is retried, the master is told once."""
from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select, update
from werkzeug.exceptions import Forbidden

from app import engine
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.engine import InstanceStatus, ProcessInstance
from app.models.jobs import ItemStatus, Job, JobItem, JobStatus
from app.models.monitoring import MonitoringRound
from app.services.cycle import children
from app.services.jobs import operations, queue
from tests.cycle_children.helpers import messages_to
from tests.helpers import run_jobs


def _children(master) -> list[ProcessInstance]:
    db.session.expire_all()
    return list(db.session.scalars(select(ProcessInstance).where(
        ProcessInstance.parent_id == master.id)))


def _job() -> Job:
    db.session.expire_all()
    return db.session.scalars(select(Job)).one()


def _keys(job: Job) -> list[str]:
    return list(db.session.scalars(select(JobItem.key).where(JobItem.job_id == job.id)
                                   .order_by(JobItem.id)))


def test_the_step_records_the_job_and_starts_nobody(cycle, master, people):
    count = children.start_assignments(people.support, cycle, master)
    db.session.commit()
    job = _job()
    assert job.kind == children.ASSIGNMENT_JOB and job.status == JobStatus.QUEUED.value
    assert count == len(children.people_to_evaluate(cycle))
    assert (job.total, _keys(job)) == (1, [queue.EXPAND])  # the worker lists the people
    assert (job.parent_instance_id, job.notify_message) == (master.id, children.ASSIGNMENTS_DONE)
    assert queue.run_chunk().done == 1
    job = _job()
    assert job.total == count + 1 and _children(master) == []
    assert _keys(job)[1:] == [str(p.id) for p in children.people_to_evaluate(cycle)]


def test_each_chunk_does_its_items_in_one_transaction(cycle, master, people):
    total = children.start_assignments(people.support, cycle, master)
    db.session.commit()
    queue.run_chunk()  # the people listed
    report = queue.run_chunk(5)
    assert (report.done, report.failed) == (5, 0)
    job = _job()
    assert (job.status, job.done) == (JobStatus.RUNNING.value, 6)
    assert len(_children(master)) == 5
    run_jobs(chunk=7)
    job = _job()
    assert (job.status, job.done, job.failed) == (JobStatus.DONE.value, total + 1, 0)
    subjects = [c.subject_id for c in _children(master)]
    assert sorted(subjects) == sorted({p.id for p in children.people_to_evaluate(cycle)})
    chunks = db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "job.chunk"))
    assert chunks == 2 + -(-(total - 5) // 7)


def _round(cycle) -> MonitoringRound:
    row = MonitoringRound(cycle_id=cycle.id, number=1, label="Intermedio", kind="calendar",
                          status="open", due=cycle.monitoring_due)
    db.session.add(row)
    db.session.flush()
    return row


def test_a_job_with_running_children_leaves_the_message_to_the_last_child(cycle, master, people):
    children.start_monitoring(people.support, cycle, master, _round(cycle))
    run_jobs()
    assert _job().status == JobStatus.DONE.value
    assert children.MONITORING_DONE not in messages_to(master.id)


def test_a_job_whose_children_all_ended_tells_the_master_itself(cycle, master, people):
    children.start_monitoring(people.support, cycle, master, _round(cycle))
    queue.run_chunk(2)  # the evaluators listed and the first area's monitoring started
    db.session.execute(update(ProcessInstance).where(ProcessInstance.parent_id == master.id)
                       .values(status=InstanceStatus.COMPLETED.value))
    db.session.commit()  # the first area's monitoring ended while the job still runs
    assert children.MONITORING_DONE not in messages_to(master.id)
    run_jobs()
    db.session.execute(update(ProcessInstance).where(ProcessInstance.parent_id == master.id)
                       .values(status=InstanceStatus.COMPLETED.value))
    db.session.commit()
    assert children.MONITORING_DONE not in messages_to(master.id)  # the last child sends it
    db.session.execute(update(Job).values(status=JobStatus.RUNNING.value))
    queue._finish(_job())  # the job ending after its children: it sends the message
    db.session.commit()
    assert messages_to(master.id)[children.MONITORING_DONE] == [c.id for c in sorted(
        _children(master), key=lambda c: c.id)]


def _with_sheets(cycle) -> None:
    from app.models.evaluation import ObjectiveSheet

    db.session.execute(insert(ObjectiveSheet), [
        {"cycle_id": cycle.id, "user_id": person.id, "status": "acknowledged"}
        for person in children.people_to_evaluate(cycle)])


def test_a_round_s_evaluators_are_listed_by_the_worker_not_the_request(cycle, master, people):
    from app.services.cycle.checks import people_by_checker

    _with_sheets(cycle)
    areas = children.start_monitoring(people.support, cycle, master, _round(cycle))
    db.session.commit()
    job = _job()
    assert _keys(job) == [queue.EXPAND] + [f"area:{a.id}" for a in children.areas_to_monitor(cycle)]
    assert job.total == areas + 1 and _children(master) == []
    run_jobs()
    job = _job()
    checkers = sorted(people_by_checker(cycle))
    assert checkers and _keys(job)[1 + areas:] == [f"check:{c}" for c in checkers]
    assert (job.status, job.total, job.done) == (JobStatus.DONE.value, 1 + areas + len(checkers),
                                                 1 + areas + len(checkers))
    started = _children(master)
    assert sorted(int(c.business_key.rpartition(":")[2]) for c in started
                  if c.process_id == children.INDIVIDUAL_CHECK) == checkers
    assert len(started) == areas + len(checkers)


def test_a_broken_list_of_evaluators_fails_alone_and_is_retried(cycle, master, people, monkeypatch):
    def broken(cycle):
        raise LookupError("chain broken")

    monkeypatch.setattr(children, "round_checkers", broken)
    _with_sheets(cycle)
    areas = children.start_monitoring(people.support, cycle, master, _round(cycle))
    db.session.commit()
    report = run_jobs()
    assert (report.done, report.failed) == (areas, 1)
    job = _job()
    [item] = operations.failed_items(job)
    assert (item.key, item.error, job.status) == (queue.EXPAND, "chain broken", JobStatus.FAILED.value)
    assert len(_children(master)) == areas and len(_keys(job)) == areas + 1  # nothing added
    monkeypatch.undo()
    operations.retry_item(people.support, item)
    db.session.commit()
    run_jobs()
    job = _job()
    assert job.status == JobStatus.DONE.value and job.failed == 0 and job.total > areas + 1
    assert len(_children(master)) == job.total - 1


def _break_one_person(cycle, people):
    """A running assignment of the employee, started outside the cycle: starting another
    one for the same business key is refused by the unique running key."""
    return engine.start(children.ASSIGNMENT, business_key=f"assignment:{cycle.id}:{people.employee.id}",
                        data={"cycle_id": cycle.id, "employee_id": people.employee.id,
                              "evaluator_id": people.supervisor.id, "assignment_due": "2099-01-01",
                              "acknowledgement_reminder": "P7D", "reminders": 0},
                        actor=people.support)


def test_a_broken_item_fails_alone_with_its_reason_and_the_master_keeps_waiting(cycle, master, people):
    stray = _break_one_person(cycle, people)
    total = children.start_assignments(people.support, cycle, master)
    db.session.commit()
    report = run_jobs()
    assert (report.done, report.failed) == (total, 1)  # the listing and all but one
    job = _job()
    assert (job.status, job.done, job.failed) == (JobStatus.FAILED.value, total, 1)
    [item] = operations.failed_items(job)
    assert item.key == str(people.employee.id) and item.label == people.employee.full_name
    assert "already running" in item.error
    assert len(_children(master)) == total - 1 and stray.parent_id is None


def test_a_retried_item_is_done_and_the_job_ends(cycle, master, people):
    stray = _break_one_person(cycle, people)
    total = children.start_assignments(people.support, cycle, master)
    db.session.commit()
    run_jobs()
    [item] = operations.failed_items(_job())
    with pytest.raises(Forbidden):
        operations.retry_item(people.employee, item)
    db.session.execute(update(ProcessInstance).where(ProcessInstance.id == stray.id)
                       .values(status=InstanceStatus.COMPLETED.value))  # the data fixed
    operations.retry_item(people.support, item)
    db.session.commit()
    with pytest.raises(operations.JobError):
        operations.retry_item(people.support, item)  # pending again: nothing to retry
    assert _job().status == JobStatus.RUNNING.value
    run_jobs()
    job = _job()
    assert (job.status, job.done, job.failed) == (JobStatus.DONE.value, total + 1, 0)
    item = db.session.get(JobItem, item.id)
    assert (item.status, item.attempts, item.error) == (ItemStatus.DONE.value, 2, None)
    retry = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "job.retry")).one()
    assert retry.actor_id == people.support.id and "already running" in retry.after["error"]


def test_an_item_is_queued_once_per_job(cycle, master, people):
    with pytest.raises(Exception, match="(?i)unique"):
        queue.enqueue(children.ASSIGNMENT_JOB, [(1, "a"), (1, "a again")], actor=people.support,
                      parameters={"cycle_id": cycle.id})
        db.session.flush()
    db.session.rollback()
