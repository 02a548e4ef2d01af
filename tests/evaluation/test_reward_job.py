"""Computing the rewards is a background job, one item per pool: the master's step
records it and returns, nothing distributed; the Secretary General's approval opens
only when the worker has distributed every pool (the job's end message, correlated as
the children's); a pool that fails is listed with its reason and, retried, ends the wait.
A test master (workflows/rewards_master.bpmn) holds the two steps of the cycle's master
around the wait."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app import engine
from app.extensions import db
from app.models.cycle import ReportStatus, ReportVersion
from app.models.engine import HumanTask
from app.models.evaluation import Evaluation, EvaluationStatus, RewardPool
from app.models.jobs import ItemStatus, Job, JobItem, JobStatus
from app.models.org import User
from app.scoring import distribute_rewards
from app.services.evaluation import rewards
from app.services.plan.cycles import create_cycle
from tests.cycle.helpers import post_task, sign_in
from tests.helpers import SG, SUPPORT, csrf_token, run_jobs, user_by_email


@pytest.fixture
def waiting(demo):
    """A validated Report, both funds, 30 final scores and the test master at the step."""
    support = user_by_email(SUPPORT)
    cycle = create_cycle(support, demo.id, 2022)
    staff = db.session.scalars(select(User).where(User.category.in_(["A", "B", "C", "D"]))
                               .order_by(User.id).limit(30)).all()
    for n, person in enumerate(staff):
        db.session.add(Evaluation(cycle_id=cycle.id, user_id=person.id, band="x",
                                  status=EvaluationStatus.FINAL.value, score=Decimal(n % 7)))
    db.session.add(ReportVersion(cycle_id=cycle.id, number=1, pdf=b"%PDF", pdf_sha256="-",
                                 status=ReportStatus.VALIDATED.value,  # and attached
                                 validated_pdf=b"%PDF+", validated_sha256="-"))
    rewards.set_pool(support, cycle, "staff", Decimal("734312.44"))
    rewards.set_pool(support, cycle, "managers", Decimal("78980.25"))
    engine.deploy(engine.read_directory(Path(__file__).parent / "workflows"))
    engine.start("rewards_master", business_key="rewards-test", data={"cycle_id": cycle.id},
                 actor=support)
    db.session.commit()
    return cycle


def _open_steps(cycle) -> dict[str, int]:
    db.session.expire_all()
    return {t.bpmn_id: t.id for t in db.session.scalars(select(HumanTask).where(
        HumanTask.cycle_id == cycle.id, HumanTask.status == "open"))}


def _pools(cycle) -> list[RewardPool]:
    db.session.expire_all()
    return list(db.session.scalars(select(RewardPool).where(RewardPool.cycle_id == cycle.id)))


def _compute(client, cycle) -> None:
    sign_in(client, SUPPORT)
    task_id = _open_steps(cycle)["compute_rewards"]
    assert post_task(client, task_id, {"confirm": "y"}, claim=True).status_code == 302


def test_the_step_records_a_job_and_the_approval_waits_for_the_worker(client, waiting):
    cycle = waiting
    sign_in(client, SG)  # not the support unit
    assert post_task(client, _open_steps(cycle)["compute_rewards"], {"confirm": "y"}).status_code == 403
    assert db.session.scalar(select(Job.id).where(Job.kind == rewards.COMPUTE_JOB)) is None

    _compute(client, cycle)
    job = db.session.scalars(select(Job).where(Job.kind == rewards.COMPUTE_JOB)).one()
    assert (job.status, job.total, job.cycle_id) == (JobStatus.QUEUED.value, 2, cycle.id)
    assert all(not p.allocations and p.status is None for p in _pools(cycle))  # nothing yet
    assert list(_open_steps(cycle)) == []  # the master waits
    page = client.get("/dashboard").get_data(as_text=True)
    assert f'data-testid="job-{job.id}"' in page and "Computing the rewards" in page

    assert run_jobs().done == 2
    assert list(_open_steps(cycle)) == ["sg_rewards"]
    system = rewards.reward_system(cycle)
    people = rewards.people_of_pools(cycle, system)
    for pool in _pools(cycle):
        expected = distribute_rewards(pool.amount, people[pool.group], system)
        assert pool.status == "computed" and pool.distributed + pool.remainder == pool.amount
        assert (pool.distributed, pool.remainder) == (expected.distributed, expected.remainder)
        assert [(a.user_id, a.total) for a in pool.allocations] == sorted(
            (line.person_id, line.total) for line in expected.lines)
    assert sum(p.distributed for p in _pools(cycle)) > 0


def test_a_failed_pool_is_listed_with_its_reason_and_its_retry_ends_the_wait(client, waiting):
    cycle = waiting
    staff = next(p for p in _pools(cycle) if p.group == "staff")
    amount = staff.amount
    _compute(client, cycle)
    db.session.delete(staff)  # the fund disappears before the worker distributes it
    db.session.commit()

    report = run_jobs()
    assert (report.done, report.failed) == (1, 1)
    item = db.session.scalars(select(JobItem).where(JobItem.status == ItemStatus.FAILED.value)).one()
    assert item.key == "staff" and item.error == "This fund no longer exists."
    page = client.get("/dashboard").get_data(as_text=True)
    assert f'data-testid="failed-item-{item.id}"' in page and "This fund no longer exists." in page
    assert list(_open_steps(cycle)) == []

    rewards.set_pool(user_by_email(SUPPORT), cycle, "staff", amount)
    db.session.commit()
    answer = client.post(f"/jobs/items/{item.id}/retry",
                         data={"csrf_token": csrf_token(client, "/dashboard")})
    assert answer.status_code == 302
    assert run_jobs().done == 1
    assert db.session.get(Job, item.job_id).status == JobStatus.DONE.value
    assert {p.status for p in _pools(cycle)} == {"computed"}
    assert list(_open_steps(cycle)) == ["sg_rewards"]


def test_a_fund_changed_while_its_pool_is_distributed_fails_the_pool_and_its_retry_distributes_the_new_amount(
        client, waiting, monkeypatch):
    """A pool is read in one transaction, distributed with none open and written in
    another: a fund changed in between is not written over with the old amount."""
    cycle = waiting
    _compute(client, cycle)
    distribute = rewards.PoolToDistribute.distribute

    def changed_meanwhile(given):
        if given.amount == Decimal("734312.44"):  # someone sets the staff fund meanwhile
            rewards.set_pool(user_by_email(SUPPORT), cycle, "staff", Decimal("700000.00"))
            db.session.commit()
        return distribute(given)

    monkeypatch.setattr(rewards.PoolToDistribute, "distribute", changed_meanwhile)
    report = run_jobs()
    assert (report.done, report.failed) == (1, 1)
    item = db.session.scalars(select(JobItem).where(JobItem.status == ItemStatus.FAILED.value)).one()
    assert item.key == "staff" and item.error.startswith("The fund changed while it was being")
    staff = next(p for p in _pools(cycle) if p.group == "staff")
    assert staff.status is None and not staff.allocations
    assert list(_open_steps(cycle)) == []

    sign_in(client, SUPPORT)
    client.post(f"/jobs/items/{item.id}/retry", data={"csrf_token": csrf_token(client, "/dashboard")})
    assert run_jobs().done == 1
    staff = next(p for p in _pools(cycle) if p.group == "staff")
    assert staff.status == "computed" and staff.distributed + staff.remainder == Decimal("700000.00")
    assert sum(a.total for a in staff.allocations) == staff.distributed
    assert list(_open_steps(cycle)) == ["sg_rewards"]


def test_a_pool_whose_writing_keeps_being_rolled_back_is_taken_again_at_once(
        client, waiting, monkeypatch):
    """Two workers writing at the same moment may roll each other back (a lock wait):
    after its tries the worker gives the item up, with no lease left to wait for, and
    the next chunk distributes the pool."""
    from sqlalchemy.exc import OperationalError

    from app.services.jobs import queue

    cycle = waiting
    _compute(client, cycle)
    write = queue._write_outside

    def rolled_back(*_args):
        raise OperationalError("UPDATE job_item", {}, Exception("lock wait"))

    monkeypatch.setattr(queue, "_write_outside", rolled_back)
    monkeypatch.setattr(queue.time, "sleep", lambda _seconds: None)
    with pytest.raises(OperationalError):
        queue.run_chunk()
    db.session.rollback()
    [item] = db.session.scalars(select(JobItem).where(JobItem.attempts == 0,
                                                      JobItem.claimed_at.is_(None),
                                                      JobItem.key == "managers")).all()
    assert item.status == ItemStatus.PENDING.value
    monkeypatch.setattr(queue, "_write_outside", write)
    run_jobs()
    assert all(p.allocations for p in _pools(cycle))
