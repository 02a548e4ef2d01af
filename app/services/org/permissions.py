"""The permission layer: role checks plus scope. Services call these before acting;
views call them before showing. Anything not allowed raises Forbidden (HTTP 403)."""
from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased
from werkzeug.exceptions import Forbidden

from app.extensions import db
from app.models.org import OrgUnit, Role, User
from app.services.unique import transaction_memo

# Roles that see the whole organisation.
ORG_WIDE = (Role.ADMIN, Role.SUPPORT_UNIT, Role.SECRETARY_GENERAL, Role.OIV)
# Roles that administer people, units and evaluator links.
ORG_ADMINS = (Role.ADMIN, Role.SUPPORT_UNIT)


def require_role(actor: User | None, *roles: Role) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(*roles):
        raise Forbidden()


def can_manage(actor: User, user: User) -> bool:
    """Whether the actor (an org admin) may change this person: an Admin's e-mail,
    roles, password and active flag are changed only by an Admin, otherwise the
    SupportUnit could take over or lock out the administrators."""
    return not user.has_role(Role.ADMIN) or actor.has_role(Role.ADMIN)


def ensure_can_manage(actor: User, user: User) -> None:
    if not can_manage(actor, user):
        raise Forbidden()


@cache
def _headed_tree():
    """The statement of headed_units, for the head given as `head`: built once, since
    building a recursive query over an aliased table costs about a millisecond."""
    tree = select(OrgUnit.id).where(OrgUnit.head_id == bindparam("head")).cte(
        "headed", recursive=True)
    below = aliased(OrgUnit)
    tree = tree.union(select(below.id).where(below.parent_id == tree.c.id))
    return select(tree.c.id)


_headed_memo = transaction_memo("org.headed_units", OrgUnit)


def headed_units(actor: User) -> set[int]:
    """The units the actor heads, with every unit below them: one recursive query (UNION
    stops at a unit already found), not one query per level of the tree; read once per
    transaction (a page asks several times: its lists, the pool, the navigation) unless
    a unit changes meanwhile. A copy: callers may change what they get."""
    memo = _headed_memo()
    if actor.id not in memo:
        memo[actor.id] = frozenset(db.session.execute(_headed_tree(), {"head": actor.id}).scalars())
    return set(memo[actor.id])


def units_in_scope(actor: User) -> set[int] | None:
    """None means every unit; otherwise the ids of the units the actor may see."""
    if actor.has_role(*ORG_WIDE):
        return None
    if actor.has_role(Role.MANAGER, Role.SUPERVISOR):
        return headed_units(actor)
    return set()


def can_see_user(actor: User, user: User) -> bool:
    if actor.id == user.id:
        return True
    scope = units_in_scope(actor)
    return scope is None or (user.unit_id is not None and user.unit_id in scope)


def ensure_can_see_user(actor: User, user: User) -> None:
    if not can_see_user(actor, user):
        raise Forbidden()


def unit_and_below(unit_id: int) -> set[int]:
    """The unit with every unit below it: a filter "unit A1" means the whole area."""
    return units_and_below([unit_id])


def units_and_below(unit_ids) -> set[int]:
    """The units with every unit below them, from one read of the tree."""
    children: dict[int | None, list[int]] = {}
    for uid, parent in db.session.execute(select(OrgUnit.id, OrgUnit.parent_id)):
        children.setdefault(parent, []).append(uid)
    found, frontier = set(), list(unit_ids)
    while frontier:
        found.update(frontier)
        frontier = [c for uid in frontier for c in children.get(uid, []) if c not in found]
    return found
