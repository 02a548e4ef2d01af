"""Individual objectives: what each person is to achieve in a cycle (actions, the "what"),
how (behaviours), how it is measured, and its weight. A person's objectives are set as
a whole, because only the whole can be checked: weights must add up to 100 (± 0.01).

The person's evaluator assigns them (the Board for the Secretary General); the support
unit and administrators may too, and import them for everyone from a file
(individual_import)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.exceptions import Forbidden

from app import audit
from app.extensions import db
from app.models.org import Role, User
from app.models.plan import Cycle, CycleStatus, IndividualObjective, Objective
from app.services.org.operations import evaluator_of
from app.services.org.permissions import can_see_user
from app.services.plan.access import PLAN_EDITORS
from app.services.plan.errors import PlanError
from app.services.plan.fields import HUNDRED
from app.services.unique import all_by_key

# A person's objectives must add up to 100 (DOMAIN "Bad input": tolerance 0.01).
WEIGHT_TOLERANCE = Decimal("0.01")


@dataclass
class IndividualObjectiveData:
    title: str
    weight: Decimal | None
    actions: str | None = None
    behaviours: str | None = None
    measures: str | None = None
    objective_id: int | None = None


def objectives_of(cycle: Cycle, person: User) -> list[IndividualObjective]:
    """In order; read once per transaction (a completion asks while building the form
    and again while storing the answers) unless objectives change meanwhile."""
    return all_by_key(IndividualObjective, IndividualObjective.position,
                      cycle_id=cycle.id, user_id=person.id)


def objectives_shown(cycle: Cycle, person: User) -> list[IndividualObjective]:
    """objectives_of, with the plan's objectives they serve read in one statement (a page
    listing them names each one's plan objective)."""
    objectives = objectives_of(cycle, person)
    wanted = {o.objective_id for o in objectives if o.objective_id is not None}
    if wanted:
        found = {o.id: o for o in db.session.execute(
            select(Objective).where(Objective.id.in_(wanted))).scalars()}
        for objective in objectives:
            if objective.objective_id is not None:
                set_committed_value(objective, "objective", found.get(objective.objective_id))
    return objectives


def can_assign(actor: User | None, cycle: Cycle, person: User) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.has_role(*PLAN_EDITORS):
        return True
    evaluator = evaluator_of(person, cycle.id)
    if evaluator.board:
        return actor.has_role(Role.BOARD)
    return evaluator.user_id == actor.id


def can_view(actor: User | None, cycle: Cycle, person: User) -> bool:
    """The person, whoever has them in scope, and whoever assigns their objectives."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return can_see_user(actor, person) or can_assign(actor, cycle, person)


def set_errors(cycle: Cycle, items: list[IndividualObjectiveData],
               operational: set[int] | None = None) -> list[str]:
    """What is wrong with this set of objectives for one person; `operational`, the
    ids of the plan's operational objectives, when the caller (an import checking
    25,000 people) has them already."""
    if not items:
        return [str(_l("Assign at least one objective."))]
    errors = []
    operational = _operational_ids(cycle) if operational is None else operational
    for number, item in enumerate(items, start=1):
        if not (item.title or "").strip():
            errors.append(str(_l("Objective %(n)d: the title is required.", n=number)))
        if item.weight is None or not (Decimal(0) < item.weight <= HUNDRED):
            errors.append(str(_l("Objective %(n)d: the weight must be above 0 and at most 100.",
                                 n=number)))
        if item.objective_id is not None and item.objective_id not in operational:
            errors.append(str(_l("Objective %(n)d: the linked objective is not an operational "
                                 "objective of this plan.", n=number)))
    weights = [i.weight for i in items if i.weight is not None]
    total = sum(weights, Decimal(0))
    if len(weights) == len(items) and abs(total - HUNDRED) > WEIGHT_TOLERANCE:
        errors.append(str(_l("The weights add up to %(total)s, not 100.",
                             total=format(total.normalize(), "f"))))
    return errors


def _operational_ids(cycle: Cycle) -> set[int]:
    if cycle.plan is None:
        return set()
    return {o.id for o in cycle.plan.objectives if not o.is_strategic}


def set_individual_objectives(actor: User, cycle: Cycle, person: User,
                              items: list[IndividualObjectiveData]) -> list[IndividualObjective]:
    """Replace the person's objectives for the cycle with these."""
    if not can_assign(actor, cycle, person):
        raise Forbidden()
    if cycle.status == CycleStatus.CLOSED.value:
        raise PlanError(_l("The cycle is closed."))
    errors = set_errors(cycle, items)
    if errors:
        raise PlanError(errors)
    return replace_objectives(actor, cycle, person, items)


def _summary(rows) -> list[dict]:
    return [{"title": r.title, "weight": str(r.weight), "objective_id": r.objective_id}
            for r in rows]


def replace_objectives(actor, cycle, person, items) -> list[IndividualObjective]:
    old = objectives_of(cycle, person)
    before = _summary(old)
    for row in old:
        db.session.delete(row)
    db.session.flush()
    new = []
    for position, item in enumerate(items, start=1):
        row = IndividualObjective(
            cycle_id=cycle.id, user_id=person.id, position=position, title=item.title.strip(),
            actions=(item.actions or "").strip() or None,
            behaviours=(item.behaviours or "").strip() or None,
            measures=(item.measures or "").strip() or None, weight=item.weight,
            objective_id=item.objective_id, assigned_by_id=actor.id,
        )
        db.session.add(row)
        new.append(row)
    db.session.flush()
    audit.record("individual_objectives.set", actor=actor, obj=person,
                 before={"cycle": cycle.year, "objectives": before},
                 after={"cycle": cycle.year, "objectives": _summary(new)})
    return new
