"""Who may see and change which part of the plan.

The adopted plan is a published document (D.Lgs. 33/2013): every signed-in person may
read it. A draft is seen whole by the roles that prepare and judge it (organisation-wide
roles and the Board) and by managers and supervisors for the objectives of the units
they head. Only the support unit and administrators edit, and only while the plan is a
draft or a revision is open. Values are recorded by them or by the head of the unit that
owns the objective."""
from __future__ import annotations

from werkzeug.exceptions import Forbidden

from app.models.org import Role, User
from app.models.plan import Indicator, Objective, Plan
from app.services.org.permissions import ORG_WIDE, headed_units, require_role

PLAN_EDITORS = (Role.ADMIN, Role.SUPPORT_UNIT)
WHOLE_DRAFT_READERS = (*ORG_WIDE, Role.BOARD)
UNIT_HEADS = (Role.MANAGER, Role.SUPERVISOR)


def _signed_in(actor: User | None) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def sees_whole_plan(actor: User | None, plan: Plan) -> bool:
    if not _signed_in(actor):
        return False
    return plan.ever_approved or actor.has_role(*WHOLE_DRAFT_READERS)


def visible_objective_ids(actor: User, plan: Plan) -> set[int] | None:
    """None: every objective. Otherwise the objectives owned by units the actor heads,
    with the objectives above them (so the tree keeps its shape)."""
    if sees_whole_plan(actor, plan):
        return None
    if not actor.has_role(*UNIT_HEADS):
        return set()
    units = headed_units(actor)
    visible: set[int] = set()
    for objective in plan.objectives:
        if objective.owner_unit_id in units:
            node = objective
            while node is not None:
                visible.add(node.id)
                node = node.parent
    return visible


def can_see_plan(actor: User | None, plan: Plan) -> bool:
    if not _signed_in(actor):
        return False
    ids = visible_objective_ids(actor, plan)
    return ids is None or bool(ids)


def ensure_can_see_plan(actor: User | None, plan: Plan) -> None:
    if not can_see_plan(actor, plan):
        raise Forbidden()


def ensure_can_see_objective(actor: User, objective: Objective) -> None:
    ids = visible_objective_ids(actor, objective.plan)
    if ids is not None and objective.id not in ids:
        raise Forbidden()


def is_plan_editor(actor: User | None) -> bool:
    return _signed_in(actor) and actor.has_role(*PLAN_EDITORS)


def ensure_plan_editor(actor: User | None) -> None:
    require_role(actor, *PLAN_EDITORS)


def can_measure(actor: User | None, indicator: Indicator) -> bool:
    """Record monitoring values, actuals or a neutralisation for this indicator."""
    if not _signed_in(actor):
        return False
    if actor.has_role(*PLAN_EDITORS):
        return True
    owner = indicator.objective.owner_unit_id
    return owner is not None and actor.has_role(*UNIT_HEADS) and owner in headed_units(actor)


def ensure_can_measure(actor: User | None, indicator: Indicator) -> None:
    if not can_measure(actor, indicator):
        raise Forbidden()
