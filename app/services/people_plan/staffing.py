"""The staffing plan of a cycle: operations of the support unit (open the plan, fill
each category's row, the hiring budget, plan and drop hires) and the figures its pages,
PDF and workbook show. Every change is refused when it would leave a pool of the hiring
budget exceeded, with the amounts in the message: a hire that does not fit, a unit cost
raised under hires already planned, a budget lowered under them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app import audit
from app.extensions import db
from app.formats.italian import number as italian_number
from app.models.org import Role, User, UserRole
from app.models.plan import Cycle
from app.models.staffing import StaffingCategory, StaffingHire, StaffingPlan
from app.services.people_plan import rules
from app.services.people_plan.common import PeoplePlanError, ensure_editor, start_edit

YEARS = 3
POOL_LABELS = {rules.USABLE: _l("usable"), rules.RESERVED: _l("reserved (L. 68/1999)")}
CHANNEL_LABELS = {
    "surplus": _l("surplus staff of other chambers"),
    "redeployment": _l("redeployment (art. 34-bis)"),
    "mobility": _l("voluntary mobility (art. 30)"),
    "ranking": _l("existing ranking lists"),
    "selection": _l("a new selection"),
}


def plan_of(cycle: Cycle) -> StaffingPlan | None:
    return db.session.execute(
        select(StaffingPlan).where(StaffingPlan.cycle_id == cycle.id)).scalar_one_or_none()


def open_plan(actor: User, cycle: Cycle) -> StaffingPlan:
    """The cycle's staffing plan for its three years, with the usual categories; the
    plan already opened if there is one."""
    ensure_editor(actor)
    plan = plan_of(cycle)
    if plan is not None:
        return plan
    plan = StaffingPlan(cycle_id=cycle.id, first_year=cycle.year, last_year=cycle.year + YEARS - 1)
    plan.categories = [StaffingCategory(code=code, position=n)
                       for n, code in enumerate(rules.DEFAULT_CATEGORIES, start=1)]
    db.session.add(plan)
    db.session.flush()
    audit.record("staffing.open", actor=actor, obj=plan,
                 after={"years": [plan.first_year, plan.last_year]})
    return plan


# --- the categories ----------------------------------------------------------------------

@dataclass(frozen=True)
class CategoryData:
    code: str
    monthly_base: Decimal
    charges_rate: Decimal
    irap_rate: Decimal
    ceiling_headcount: int
    ceiling_cost: Decimal
    in_service_headcount: int
    in_service_cost: Decimal


def _category_problem(data: CategoryData) -> str | None:
    if not (data.code or "").strip() or len(data.code.strip()) > 10:
        return _l("A category needs a code of at most 10 characters.")
    amounts = (data.monthly_base, data.charges_rate, data.irap_rate, data.ceiling_cost,
               data.in_service_cost, data.ceiling_headcount, data.in_service_headcount)
    if any(v is None or v < 0 for v in amounts):
        return _l("Amounts, rates and headcounts cannot be negative or missing.")
    if data.charges_rate > 100 or data.irap_rate > 100:
        return _l("A rate is a percentage between 0 and 100.")
    return None


def save_category(actor: User, plan: StaffingPlan, version: int | None,
                  data: CategoryData) -> StaffingCategory:
    """Add a category (a new code) or change its row."""
    start_edit(actor, plan, version)
    problem = _category_problem(data)
    if problem:
        raise PeoplePlanError(problem)
    code = data.code.strip().upper()
    row = next((c for c in plan.categories if c.code == code), None)
    before = _category_values(row) if row else None
    if row is None:
        row = StaffingCategory(code=code, position=len(plan.categories) + 1)
        plan.categories.append(row)
    for name in ("monthly_base", "charges_rate", "irap_rate", "ceiling_headcount",
                 "ceiling_cost", "in_service_headcount", "in_service_cost"):
        setattr(row, name, getattr(data, name))
    _ensure_within_pools(plan)
    db.session.flush()
    audit.record("staffing.category", actor=actor, obj=row, before=before,
                 after=_category_values(row))
    return row


def _category_values(row: StaffingCategory) -> dict:
    return {"code": row.code, "monthly_base": row.monthly_base, "charges_rate": row.charges_rate,
            "irap_rate": row.irap_rate, "ceiling": [row.ceiling_headcount, row.ceiling_cost],
            "in_service": [row.in_service_headcount, row.in_service_cost]}


def remove_category(actor: User, plan: StaffingPlan, version: int | None, category_id: int) -> None:
    start_edit(actor, plan, version)
    row = next((c for c in plan.categories if c.id == category_id), None)
    if row is None:
        raise PeoplePlanError(_l("The category is not in this plan."))
    if any(h.category_id == row.id for h in plan.hires):
        raise PeoplePlanError(_l("Hires are planned in this category: remove them first."))
    plan.categories.remove(row)
    db.session.flush()
    audit.record("staffing.category.remove", actor=actor, obj=plan, before=_category_values(row))


def fill_in_service(actor: User, plan: StaffingPlan, version: int | None,
                    on: date) -> dict[str, int]:
    """Take the staff in service from the people register instead of typing it: per
    category of the plan, the active people of that category in service on `on`, and
    their cost estimated as the category's post cost at each one's share of full time.
    Returns how many people of categories the plan does not list were left out, by
    category, for the support unit to add or reconcile."""
    start_edit(actor, plan, version)
    rows = {c.code: c for c in plan.categories}
    people = db.session.execute(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(User.active, UserRole.role == Role.EMPLOYEE.value,
               or_(User.service_start.is_(None), User.service_start <= on),
               or_(User.service_end.is_(None), User.service_end >= on))).scalars().all()
    counts = {code: [0, Decimal("0.00")] for code in rows}
    left_out: dict[str, int] = {}
    for person in people:
        row = rows.get(person.category)
        if row is None:
            left_out[person.category] = left_out.get(person.category, 0) + 1
            continue
        counts[row.code][0] += 1
        counts[row.code][1] += rules.hire_cost(post_cost(row).total, 1, person.part_time_percent)
    for code, (headcount, cost) in counts.items():
        rows[code].in_service_headcount, rows[code].in_service_cost = headcount, cost
    _ensure_within_pools(plan)
    db.session.flush()
    audit.record("staffing.in_service", actor=actor, obj=plan, after={
        "on": on, "in_service": {c: [n, cost] for c, (n, cost) in counts.items()},
        "left_out": left_out})
    return left_out


def post_cost(row: StaffingCategory) -> rules.UnitCost:
    return rules.unit_cost(row.monthly_base, row.charges_rate, row.irap_rate)


# --- the hiring budget -------------------------------------------------------------------

@dataclass(frozen=True)
class BudgetData:
    leavers_count: int
    leavers_usable: Decimal
    leavers_reserved: Decimal
    carried_usable: Decimal
    carried_reserved: Decimal


def save_budget(actor: User, plan: StaffingPlan, version: int | None, data: BudgetData) -> None:
    """Last year's leavers (how many, and their cost split between the pools) and the
    amounts earlier years left unused."""
    start_edit(actor, plan, version)
    values = (data.leavers_count, data.leavers_usable, data.leavers_reserved,
              data.carried_usable, data.carried_reserved)
    if any(v is None or v < 0 for v in values):
        raise PeoplePlanError(_l("Amounts, rates and headcounts cannot be negative or missing."))
    before = _budget_values(plan)
    for name in BudgetData.__dataclass_fields__:
        setattr(plan, name, getattr(data, name))
    _ensure_within_pools(plan)
    db.session.flush()
    audit.record("staffing.budget", actor=actor, obj=plan, before=before, after=_budget_values(plan))


def _budget_values(plan: StaffingPlan) -> dict:
    return {name: getattr(plan, name) for name in BudgetData.__dataclass_fields__}


def hire_cost(hire: StaffingHire) -> Decimal:
    return rules.hire_cost(post_cost(hire.category).total, hire.count, hire.time_percent)


def pools(plan: StaffingPlan, extra: tuple[str, Decimal] | None = None) -> dict[str, rules.Pool]:
    hires = [(h.pool, hire_cost(h)) for h in plan.hires] + ([extra] if extra else [])
    return rules.pools({rules.USABLE: plan.leavers_usable, rules.RESERVED: plan.leavers_reserved},
                       {rules.USABLE: plan.carried_usable, rules.RESERVED: plan.carried_reserved},
                       hires)


def _exceeded_message(pool: rules.Pool, excess: Decimal):
    return _l("The %(pool)s pool would be exceeded by %(excess)s EUR: it holds %(available)s "
              "EUR and the hires would cost %(planned)s EUR.",
              pool=POOL_LABELS[pool.name], excess=italian_number(excess),
              available=italian_number(pool.available), planned=italian_number(pool.planned))


def _ensure_within_pools(plan: StaffingPlan) -> None:
    for pool in pools(plan).values():
        excess = rules.overdrawn(pool)
        if excess:
            raise PeoplePlanError(_exceeded_message(pool, excess))


# --- the hires ---------------------------------------------------------------------------

@dataclass(frozen=True)
class HireData:
    category_id: int
    year: int
    count: int
    time_percent: Decimal
    pool: str
    profile: str
    channels: list[str]
    note: str | None = None


def _hire_problem(plan: StaffingPlan, data: HireData):
    if not (plan.first_year <= (data.year or 0) <= plan.last_year):
        return _l("The year of a hire is one of the plan's years.")
    if not data.count or data.count < 1:
        return _l("Plan at least one hire.")
    if data.time_percent is None or not (0 < data.time_percent <= 100):
        return _l("The share of full time is a percentage above 0 and at most 100.")
    if data.pool not in rules.POOLS:
        return _l("Choose the pool that pays the hire.")
    if not (data.profile or "").strip():
        return _l("Name the profile to hire.")
    if rules.channel_problem(data.channels):
        return _l("List the recruitment channels in the order they will be tried, each once.")
    return None


def add_hire(actor: User, plan: StaffingPlan, version: int | None, data: HireData) -> StaffingHire:
    """Plan hires; refused when their pool would be exceeded."""
    start_edit(actor, plan, version)
    problem = _hire_problem(plan, data)
    if problem:
        raise PeoplePlanError(problem)
    category = next((c for c in plan.categories if c.id == data.category_id), None)
    if category is None:
        raise PeoplePlanError(_l("The category is not in this plan."))
    cost = rules.hire_cost(post_cost(category).total, data.count, data.time_percent)
    pool = pools(plan)[data.pool]
    excess = rules.overdrawn(pool, cost)
    if excess:
        raise PeoplePlanError(_exceeded_message(
            rules.Pool(pool.name, pool.current, pool.carried, pool.planned + cost), excess))
    hire = StaffingHire(category=category, year=data.year, count=data.count,
                        time_percent=data.time_percent, pool=data.pool,
                        profile=data.profile.strip(), channels=",".join(data.channels),
                        note=(data.note or "").strip() or None)
    plan.hires.append(hire)
    db.session.flush()
    audit.record("staffing.hire", actor=actor, obj=hire, after={
        "category": category.code, "year": hire.year, "count": hire.count,
        "time_percent": hire.time_percent, "pool": hire.pool, "cost": cost,
        "channels": hire.channel_list})
    return hire


def remove_hire(actor: User, plan: StaffingPlan, version: int | None, hire_id: int) -> None:
    start_edit(actor, plan, version)
    hire = next((h for h in plan.hires if h.id == hire_id), None)
    if hire is None:
        raise PeoplePlanError(_l("The hire is not in this plan."))
    plan.hires.remove(hire)
    db.session.flush()
    audit.record("staffing.hire.remove", actor=actor, obj=plan, before={
        "category": hire.category.code, "count": hire.count, "pool": hire.pool})


# --- the tables --------------------------------------------------------------------------

@dataclass(frozen=True)
class CategoryRow:
    category: StaffingCategory
    cost: rules.UnitCost
    gap: rules.Gap


@dataclass(frozen=True)
class Table:
    rows: list[CategoryRow]
    ceiling_headcount: int
    ceiling_cost: Decimal
    in_service_headcount: int
    in_service_cost: Decimal
    gap: rules.Gap


def table(plan: StaffingPlan) -> Table:
    """Per category the unit cost, the ceiling, the staff in service and the gap, with
    the totals."""
    rows = [CategoryRow(c, post_cost(c), rules.gap(c.ceiling_headcount, c.ceiling_cost,
                                                   c.in_service_headcount, c.in_service_cost))
            for c in plan.categories]
    cap_n = sum(c.ceiling_headcount for c in plan.categories)
    cap = rules.cent(sum((c.ceiling_cost for c in plan.categories), Decimal(0)))
    in_n = sum(c.in_service_headcount for c in plan.categories)
    in_cost = rules.cent(sum((c.in_service_cost for c in plan.categories), Decimal(0)))
    return Table(rows, cap_n, cap, in_n, in_cost, rules.gap(cap_n, cap, in_n, in_cost))


def hires_by_pool(plan: StaffingPlan) -> dict[str, list[tuple[StaffingHire, Decimal]]]:
    return {name: [(h, hire_cost(h)) for h in plan.hires if h.pool == name]
            for name in rules.POOLS}


def plan_problems(plan: StaffingPlan) -> list:
    """What keeps the plan from adoption: a table without ceilings."""
    if not any(c.ceiling_headcount for c in plan.categories):
        return [_l("Give the ceiling of at least one category.")]
    return []
