"""Reward distribution through the service: pools per group, conservation to the cent,
nothing for low scores or missing evaluations, approval by the SG and the Board."""
from decimal import Decimal

import pytest
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from app.extensions import db
from app.models.evaluation import Evaluation, EvaluationStatus, PoolStatus
from app.models.org import User
from app.services.evaluation import rewards
from app.services.plan.cycles import create_cycle
from tests.helpers import BOARD, MANAGER, SG, SUPPORT, run_jobs, user_by_email


@pytest.fixture
def cycle(demo):
    created = create_cycle(user_by_email(SUPPORT), demo.id, 2022)
    db.session.commit()
    return created


def _final(cycle, user, score):
    db.session.add(Evaluation(cycle_id=cycle.id, user_id=user.id, status=EvaluationStatus.FINAL.value,
                              score=Decimal(score), band="x"))


def test_service_fraction():
    person = User(email="x@y.z", first_name="X", last_name="Y", category="C")
    person.service_start = None
    assert rewards.service_fraction(person, 2022) == 1
    from datetime import date

    person.service_start = date(2022, 7, 2)
    assert rewards.service_fraction(person, 2022) == Decimal(183) / Decimal(365)
    person.service_end = date(2021, 12, 31)
    assert rewards.service_fraction(person, 2022) == 0


def test_distribution_conserves_the_pool(cycle):
    support = user_by_email(SUPPORT)
    staff = db.session.execute(
        select(User).where(User.category.in_(["A", "B", "C", "D"])).order_by(User.id)
    ).scalars().all()
    scores = ["6", "5.2", "4", "3", "1", "0"]
    for index, person in enumerate(staff[:30]):
        _final(cycle, person, scores[index % len(scores)])
    rewards.set_pool(support, cycle, "staff", Decimal("734312.44"))
    rewards.set_pool(support, cycle, "managers", Decimal("78980.25"))
    db.session.commit()
    rewards.compute(support, cycle)
    db.session.commit()
    assert run_jobs().done == 2  # one item per pool
    for pool in rewards.pools(cycle):
        total = sum((a.total for a in pool.allocations), Decimal(0))
        assert total + pool.remainder == pool.amount
        assert pool.remainder >= 0
        for allocation in pool.allocations:
            if allocation.score is None or allocation.score < 2:
                assert allocation.total == 0
    staff_pool = next(p for p in rewards.pools(cycle) if p.group == "staff")
    assert staff_pool.distributed > 0
    assert len(staff_pool.allocations) >= 30  # everybody listed, paid or not


def test_approval_chain_and_permissions(cycle):
    support, sg, board = user_by_email(SUPPORT), user_by_email(SG), user_by_email(BOARD)
    rewards.set_pool(support, cycle, "staff", Decimal("1000.00"))
    with pytest.raises(Forbidden):
        rewards.compute(user_by_email(MANAGER), cycle)
    with pytest.raises(rewards.RewardError):
        rewards.approve(sg, cycle)  # nothing computed yet
    rewards.compute(support, cycle)
    db.session.commit()
    with pytest.raises(rewards.RewardError):
        rewards.approve(sg, cycle)  # recorded, not yet done by the worker
    run_jobs()
    with pytest.raises(Forbidden):
        rewards.approve(support, cycle)
    with pytest.raises(rewards.RewardError):
        rewards.confirm(board, cycle, "12")  # not approved yet
    rewards.approve(sg, cycle)
    with pytest.raises(rewards.RewardError):
        rewards.confirm(board, cycle, " ")
    rewards.confirm(board, cycle, "Delibera n. 87")
    assert {p.status for p in rewards.pools(cycle)} == {PoolStatus.CONFIRMED.value}
    with pytest.raises(rewards.RewardError):
        rewards.set_pool(support, cycle, "staff", Decimal("2000.00"))


@pytest.mark.parametrize("amount", [Decimal(-1), Decimal("10.001")])
def test_bad_amount_refused(cycle, amount):
    with pytest.raises(rewards.RewardError):
        rewards.set_pool(user_by_email(SUPPORT), cycle, "staff", amount)


def test_allocations_written_in_bulk_read_back_as_given(cycle):
    """app.services.bulk: COPY on PostgreSQL, executemany elsewhere, the same rows."""
    from app.models.evaluation import RewardAllocation, RewardPool
    from app.services.bulk import insert_rows

    pool = RewardPool(cycle_id=cycle.id, group="staff", amount=Decimal("100.00"))
    db.session.add(pool)
    people = db.session.scalars(select(User.id).order_by(User.id).limit(2)).all()
    given = [{"user_id": people[0], "score": None,
              "base_share": Decimal("10.50"), "organisational_part": Decimal("1.25"),
              "individual_part": Decimal("0.01"), "bonus": Decimal(0), "total": Decimal("1.26")},
             {"user_id": people[1], "score": Decimal("4.25"),
              "base_share": Decimal(0), "organisational_part": Decimal(0),
              "individual_part": Decimal(0), "bonus": Decimal("20.00"), "total": Decimal("20.00")}]
    db.session.flush()
    insert_rows(RewardAllocation.__table__, [{**row, "pool_id": pool.id} for row in given])
    fields = ("user_id", "score", "base_share", "organisational_part", "individual_part",
              "bonus", "total")
    read = [tuple(getattr(a, f) for f in fields) for a in db.session.scalars(
        select(RewardAllocation).where(RewardAllocation.pool_id == pool.id)
        .order_by(RewardAllocation.user_id))]
    assert read == [tuple(row[f] for f in fields) for row in given]
