"""Who has which individual objectives in a cycle, one page of people at a time: the
people the signed-in person may see (everyone for the plan's editors and the
organisation-wide roles; otherwise their units, the people they evaluate, and the
Secretary General for the Board), filtered by name, e-mail or unit in the database,
with each person's count of objectives and total weight for that page only."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models.org import Role, User
from app.models.plan import Cycle, IndividualObjective
from app.services.org import unit_search
from app.services.org.operations import OrgSnapshot
from app.services.org.permissions import unit_and_below, units_in_scope
from app.services.paging import Page, paginate
from app.services.plan.access import PLAN_EDITORS


@dataclass(frozen=True)
class PersonObjectives:
    person: User
    objectives: int
    weight: Decimal


def _visible_clause(actor: User, cycle: Cycle):
    """None: everyone. Otherwise the actor, the units in their scope (a condition on the
    unit, not a list of thousands of ids), and the few outside it the evaluation chain
    gives them (read from the chain on ids and units alone: no person is loaded)."""
    scope = units_in_scope(actor)
    if scope is None or actor.has_role(*PLAN_EDITORS):
        return None
    chain = OrgSnapshot.load(cycle.id)
    # Plain values, not the actor: current_user is a proxy, slow to read 25,000 times.
    actor_id, board = actor.id, actor.has_role(Role.BOARD)

    def evaluated_by_actor(person_id: int) -> bool:
        evaluator = chain.evaluator(person_id)
        return evaluator.user_id == actor_id or (evaluator.board and board)

    outside = {uid for uid, unit in chain.user_unit.items()
               if unit is not None and unit not in scope and evaluated_by_actor(uid)}
    return or_(User.id == actor_id, User.unit_id.in_(scope or {-1}),
               User.id.in_(outside or {-1}))


def people_page(actor: User, cycle: Cycle, text: str = "", unit_id: int | None = None,
                number: int = 1, size: int | None = None, *, unit_text: str = "") -> Page:
    """A page of PersonObjectives, active people with a unit, by name; `unit_text`: a
    search of the units (app.services.org.unit_search)."""
    stmt = select(User).where(User.active, User.unit_id.is_not(None))
    visible = _visible_clause(actor, cycle)
    if visible is not None:
        stmt = stmt.where(visible)
    if text:
        like = f"%{text.lower()}%"
        stmt = stmt.where(or_(func.lower(User.last_name).like(like),
                              func.lower(User.first_name).like(like),
                              func.lower(User.email).like(like)))
    if unit_id:
        stmt = stmt.where(User.unit_id.in_(unit_and_below(unit_id)))
    if unit_text:
        stmt = stmt.where(unit_search.within_searched(User.unit_id, unit_text))
    page = paginate(stmt.options(selectinload(User.unit))
                    .order_by(User.last_name, User.first_name, User.id), number, size)
    totals = {uid: (n, weight) for uid, n, weight in db.session.execute(
        select(IndividualObjective.user_id, func.count(), func.sum(IndividualObjective.weight))
        .where(IndividualObjective.cycle_id == cycle.id,
               IndividualObjective.user_id.in_([p.id for p in page.items] or [-1]))
        .group_by(IndividualObjective.user_id))}
    rows = [PersonObjectives(p, *totals.get(p.id, (0, Decimal(0)))) for p in page.items]
    return Page(rows, page.total, page.number, page.size)
