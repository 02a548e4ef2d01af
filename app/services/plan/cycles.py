"""The cycles of an administration and the plan each one has: creating a cycle (with its
draft plan and evaluation system), its calendar, and the rule that the plan's structure
changes only while it is a draft or a revision is open."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models.org import User
from app.models.plan import CALENDAR_DEFAULTS, Cycle, CycleStatus, Plan, PlanStatus
from app.services.plan import system as smvp
from app.services.plan.access import ensure_plan_editor
from app.services.plan.errors import PlanError


def cycle_by_year(administration_id: int, year: int) -> Cycle | None:
    return db.session.execute(
        select(Cycle).where(Cycle.administration_id == administration_id, Cycle.year == year)
    ).scalar_one_or_none()


def create_cycle(actor: User, administration_id: int, year: int) -> Cycle:
    """A new cycle with the default calendar, an empty draft plan and the evaluation
    system copied from the previous cycle (Turin's rules for the first one)."""
    ensure_plan_editor(actor)
    if cycle_by_year(administration_id, year) is not None:
        raise PlanError(_l("A cycle for %(year)d already exists.", year=year))
    cycle = Cycle(administration_id=administration_id, year=year)
    db.session.add(cycle)
    db.session.flush()
    ensure_plan(cycle)
    smvp.ensure_config(cycle, actor)
    audit.record("cycle.create", actor=actor, obj=cycle, after={"year": year})
    return cycle


def ensure_plan(cycle: Cycle) -> Plan:
    """The cycle's plan, created empty (draft) for a cycle that has none yet."""
    if cycle.plan is None:
        cycle.plan = Plan(status=PlanStatus.DRAFT.value)
        db.session.flush()
    return cycle.plan


def set_calendar(actor: User, cycle: Cycle, dates: dict[str, date]) -> None:
    ensure_plan_editor(actor)
    unknown = set(dates) - set(CALENDAR_DEFAULTS)
    if unknown or any(not isinstance(v, date) for v in dates.values()):
        raise PlanError(_l("Every date of the calendar is required."))
    before = {name: getattr(cycle, name) for name in dates}
    for name, value in dates.items():
        setattr(cycle, name, value)
    db.session.flush()
    audit.record("cycle.calendar", actor=actor, obj=cycle, before=before, after=dates)


def ensure_editable(plan: Plan) -> None:
    """Structure and targets change only in a draft or while a revision is open."""
    if plan.cycle.status == CycleStatus.CLOSED.value:
        raise PlanError(_l("The cycle is closed."))
    if not plan.editable:
        raise PlanError(_l("The plan is approved and frozen: open a revision to change it."))
