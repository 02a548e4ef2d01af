"""Reward distribution of a cycle: one pool per group (staff, managers), distributed by
app.scoring.distribute_rewards over the people of the group with their final scores and
the organisation's and their area's achievements; then approved by the Secretary
General and confirmed by the Board. The distribution runs as a background job, one
item per pool (a pool's largest-remainder rounding spans all its people, so a pool is
the smallest unit that can be redone alone). Bonuses need the OIV's validation of the Report,
which the cycle workflow enforces by placing this step after it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, true

from app import audit
from app.audit_values import REWARD_FIELDS
from app.extensions import db
from app.models.evaluation import (
    Evaluation,
    EvaluationStatus,
    PoolStatus,
    RewardAllocation,
    RewardPool,
)
from app.models.org import OrgUnit, Role, User, UserRole
from app.models.plan import Cycle
from app.models.types import utcnow
from app.scoring import Allocation, EvaluationSystem, Person, distribute_rewards
from app.services.bulk import insert_rows
from app.services.jobs import queue
from app.services.org.permissions import require_role
from app.services.plan.errors import PlanError
from app.services.plan.parts import Systems
from app.services.plan.scores import achievements

GROUPS = ("staff", "managers")


class RewardError(ValueError):
    """A refused step; the message is meant for the user interface."""


def service_fraction(person: User, year: int) -> Decimal:
    """Share of the year the person was in service (0-1), from the service dates."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    first = max(start, person.service_start or start)
    last = min(end, person.service_end or end)
    if last < first:
        return Decimal(0)
    return Decimal((last - first).days + 1) / Decimal((end - start).days + 1)


def set_pool(actor: User, cycle: Cycle, group: str, amount: Decimal) -> RewardPool:
    require_role(actor, Role.SUPPORT_UNIT, Role.ADMIN)
    if group not in GROUPS:
        raise RewardError(_l("Unknown group of people."))
    if amount is None or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise RewardError(_l("The fund must be an amount in euro with at most two decimals."))
    pool = _pool(cycle, group) or RewardPool(cycle_id=cycle.id, group=group, amount=amount)
    if pool.status == PoolStatus.CONFIRMED.value:
        raise RewardError(_l("The fund has already been confirmed by the Board."))
    before = {"amount": pool.amount} if pool.id else None
    pool.amount, pool.status = amount, None
    db.session.add(pool)
    db.session.flush()
    audit.record("rewards.pool", actor=actor, obj=pool, before=before,
                 after={"group": group, "amount": amount})
    return pool


def _pool(cycle: Cycle, group: str) -> RewardPool | None:
    return db.session.execute(
        select(RewardPool).where(RewardPool.cycle_id == cycle.id, RewardPool.group == group)
    ).scalar_one_or_none()


def pools(cycle: Cycle) -> list[RewardPool]:
    return list(db.session.execute(
        select(RewardPool).where(RewardPool.cycle_id == cycle.id).order_by(RewardPool.group)
    ).scalars())


def _areas() -> dict[int, int | None]:
    """Each unit's area (None above the areas), from one read of the units."""
    units = {row.id: row for row in db.session.execute(
        select(OrgUnit.id, OrgUnit.kind, OrgUnit.parent_id))}
    areas = {}
    for unit_id, unit in units.items():
        while unit is not None and unit.kind != "area":
            unit = units.get(unit.parent_id)
        areas[unit_id] = unit.id if unit is not None else None
    return areas


def _members(cycle: Cycle, in_group):
    """(person, final score or None) of every holder of the Employee role in the group
    (`in_group`, a condition on User), read as columns: at 25,000 people, ORM objects and their lazy units
    took seconds."""
    final = dict(db.session.execute(
        select(Evaluation.user_id, Evaluation.score).join(User, User.id == Evaluation.user_id)
        .where(Evaluation.cycle_id == cycle.id, Evaluation.status == EvaluationStatus.FINAL.value,
               in_group)).all())
    staff = db.session.execute(
        select(User.id, User.category, User.unit_id, User.service_start, User.service_end,
               User.part_time_percent)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.EMPLOYEE.value, in_group).order_by(User.id))
    return [(person, final.get(person.id)) for person in staff]


# The settings distribute_rewards reads: a pool spanning parts scored by different
# systems is distributed only when these agree.
REWARD_RULES = ("organisational_shares", "score_factors", "score_factor_rule",
                "top_rated_bonus", "categories", "reward_base", "rounding", "bands")


def reward_system(cycle: Cycle):
    """The reward rules shared by the systems of every person's part; refused, naming
    the systems, when they differ."""
    systems = Systems.of_cycle(cycle)
    units = db.session.execute(
        select(User.unit_id).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.EMPLOYEE.value).distinct()).scalars()
    parts = [systems.part_of_unit(unit_id) for unit_id in units]
    try:
        systems.common(parts, lambda s: [getattr(s, name) for name in REWARD_RULES],
                       _l("reward rules"))
    except PlanError as exc:
        raise RewardError(exc.messages[0]) from exc
    return (parts[0] if parts else systems.default).system


def organisation_achievements(cycle: Cycle):
    """The plan's achievements; refused when the plan cannot be scored."""
    result = achievements(cycle)
    if result.problems:
        raise RewardError(_l("The plan's achievements cannot all be computed under the "
                             "cycle's rules, so no reward can be: %(problems)s",
                             problems="; ".join(sorted(set(result.problems.values())))))
    return result


def people_of_pools(cycle: Cycle, system, group: str | None = None) -> dict[str, list[Person]]:
    """The people of each group (of `group` alone when given: the job's item of one pool
    reads only its people) as app.scoring.distribute_rewards takes them: final
    scores only (anyone else is paid nothing), the organisation's and their area's
    achievements, service and part-time. Refused when the plan cannot be scored."""
    manager_categories = {code for code, c in system.categories.items() if c.manager}
    in_group = {None: true(), "managers": User.category.in_(manager_categories),
                "staff": User.category.not_in(manager_categories)}[group]
    result = organisation_achievements(cycle)
    organisation = result.organisation or Decimal(0)
    by_area = {unit.id: value for unit, value in result.unit_areas}
    areas = _areas()
    people: dict[str, list[Person]] = {"staff": [], "managers": []}
    for person, score in _members(cycle, in_group):
        area = areas.get(person.unit_id)
        group = "managers" if person.category in manager_categories else "staff"
        people[group].append(Person(
            id=person.id, category=person.category, score=score,
            organisation_achievement=organisation,
            area_achievement=by_area.get(area, organisation) if area else organisation,
            service_fraction=service_fraction(person, cycle.year),
            part_time=person.part_time_percent,
        ))
    return people


# The job distributing the pools (app.services.evaluation.rewards_jobs): one item per pool.
COMPUTE_JOB = "rewards.compute"


def compute(actor: User, cycle: Cycle, parent=None, message: str | None = None):
    """Record the job (re)distributing every pool of the cycle, one item per pool, and
    return it; the worker distributes (rewards_jobs). What the page can refuse at once
    is refused here, nothing recorded: the wrong role, a confirmed fund, rules that
    differ between the parts, a plan that cannot be scored. With `parent` the job sends
    it `message` when every pool is distributed (the master waits for it)."""
    require_role(actor, Role.SUPPORT_UNIT, Role.ADMIN)
    reward_system(cycle)
    organisation_achievements(cycle)
    rows = pools(cycle)
    if any(pool.status == PoolStatus.CONFIRMED.value for pool in rows):
        raise RewardError(_l("The fund has already been confirmed by the Board."))
    return queue.enqueue(COMPUTE_JOB, [(pool.group, group_label(pool.group)) for pool in rows],
                         actor=actor, parameters={"cycle_id": cycle.id}, cycle_id=cycle.id,
                         parent=parent, notify_message=message)


def group_label(group: str) -> str:
    return str({"staff": _l("Staff"), "managers": _l("Managers")}.get(group, group))


@dataclass(frozen=True)
class PoolToDistribute:
    """What distributing one pool reads, as plain data: the job reads it in one short
    transaction, distributes it with none open and writes the result in another
    (rewards_jobs), so that no transaction holds 25,000 people for seconds."""
    pool_id: int
    amount: Decimal
    people: list[Person]
    system: EvaluationSystem

    def distribute(self) -> Allocation:
        return distribute_rewards(self.amount, self.people, self.system)


def pool_to_distribute(cycle: Cycle, group: str, system) -> PoolToDistribute:
    """The pool of the group with its people (people_of_pools); refused when the fund
    is gone or already confirmed."""
    pool = _pool(cycle, group)
    if pool is None:
        raise LookupError(_l("This fund no longer exists."))
    _not_confirmed(pool)
    return PoolToDistribute(pool.id, pool.amount, people_of_pools(cycle, system, group)[group],
                            system)


def _not_confirmed(pool: RewardPool) -> None:
    if pool.status == PoolStatus.CONFIRMED.value:
        raise RewardError(_l("The fund has already been confirmed by the Board."))


def write_distribution(actor, given: PoolToDistribute, allocation: Allocation) -> RewardPool:
    """Replace the pool's allocations by `allocation`: done again (a retried item, a step
    sent back) it gives the same rows. Only final evaluations count; a person without
    one is paid nothing. Refused when the fund changed since it was read (gone,
    confirmed, or another amount): the distribution would no longer be its own. The
    audit event states every allocation's amounts (app.audit_values), as text, which
    JSON encodes without a call per value."""
    pool = db.session.get(RewardPool, given.pool_id)
    if pool is None:
        raise LookupError(_l("This fund no longer exists."))
    _not_confirmed(pool)
    if pool.amount != given.amount:
        raise RewardError(_l("The fund changed while it was being distributed: compute the "
                             "distribution again."))
    scores = {p.id: p.score for p in given.people}
    # One DELETE, one bulk insert (COPY on PostgreSQL) and one read of the new ids: 25,000
    # allocations as ORM objects, returned row by row, or even through the ORM's bulk
    # insert, took seconds.
    db.session.execute(delete(RewardAllocation).where(RewardAllocation.pool_id == pool.id))
    rows = [{"pool_id": pool.id, "user_id": line.person_id, "score": scores[line.person_id],
             "base_share": line.base_share, "organisational_part": line.organisational_part,
             "individual_part": line.individual_part, "bonus": line.bonus, "total": line.total}
            for line in allocation.lines]
    insert_rows(RewardAllocation.__table__, rows)
    ids = dict(db.session.execute(select(RewardAllocation.user_id, RewardAllocation.id)
                                  .where(RewardAllocation.pool_id == pool.id)).all())
    written = {"RewardAllocation": {str(ids[row["user_id"]]): {f: str(row[f]) for f in REWARD_FIELDS}
                                    for row in rows}} if rows else {}
    db.session.expire(pool, ["allocations"])
    pool.distributed, pool.remainder = allocation.distributed, allocation.remainder
    pool.status, pool.computed_at = PoolStatus.COMPUTED.value, utcnow()
    db.session.flush()
    audit.record("rewards.compute", actor=actor, obj=pool,
                 after={"amount": pool.amount, "distributed": pool.distributed,
                        "remainder": pool.remainder, "people": len(given.people),
                        "values": written})
    return pool


def approve(actor: User, cycle: Cycle) -> None:
    """The Secretary General approves the computed distribution."""
    require_role(actor, Role.SECRETARY_GENERAL)
    for pool in pools(cycle):
        if pool.status != PoolStatus.COMPUTED.value:
            raise RewardError(_l("Compute the distribution before approving it."))
        pool.status, pool.approved_by_id, pool.approved_at = (
            PoolStatus.APPROVED.value, actor.id, utcnow())
        audit.record("rewards.approve", actor=actor, obj=pool)


def confirm(actor: User, cycle: Cycle, deliberation_number: str) -> None:
    """The Board confirms the fund with its deliberation."""
    require_role(actor, Role.BOARD)
    if not (deliberation_number or "").strip():
        raise RewardError(_l("Give the number of the Board's deliberation."))
    for pool in pools(cycle):
        if pool.status != PoolStatus.APPROVED.value:
            raise RewardError(_l("The Secretary General has not approved the distribution yet."))
        pool.status, pool.confirmed_at = PoolStatus.CONFIRMED.value, utcnow()
        pool.deliberation_number = deliberation_number.strip()
        audit.record("rewards.confirm", actor=actor, obj=pool,
                     after={"deliberation": pool.deliberation_number})
