"""The evaluation chain: who evaluates whom (the unit heads up the tree, the Secretary
General, the Board) with the overrides an administrator sets, read whole (OrgSnapshot.load)
or one person at a time (OrgSnapshot.around), and its one operation, set_evaluator."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, bindparam, select
from sqlalchemy.orm import aliased

from app import audit
from app.extensions import db
from app.models.org import EvaluatorLink, OrgUnit, Role, User, UserRole
from app.services.org.errors import OrgError
from app.services.org.permissions import ORG_ADMINS, require_role


@dataclass(frozen=True)
class Evaluator:
    """Who evaluates a person: a user, or the Board (for the Secretary General)."""

    user_id: int | None
    board: bool = False


@dataclass
class OrgSnapshot:
    """The facts the default chain depends on, so that a proposed change (an import) can
    be checked before anything is written."""

    unit_parent: dict[int, int | None] = field(default_factory=dict)
    unit_head: dict[int, int | None] = field(default_factory=dict)
    user_unit: dict[int, int | None] = field(default_factory=dict)
    secretary_general: set[int] = field(default_factory=set)
    overrides: dict[int, int] = field(default_factory=dict)
    # Set by around(): people are read when first asked about, from this cycle's links.
    lazy_cycle: tuple[int | None] | None = None

    # Set by around(): a unit is read, with the units above it, when first met.
    lazy_units: bool = False

    @staticmethod
    def _with_active_head(units):
        """(id, parent, head) of the units selected by `units` (a selectable of unit ids
        and parents). A head who has left (no longer active) heads nobody: their people
        are evaluated up the chain, as in a unit without a head, rather than by someone
        who can no longer sign in."""
        head, joined = _active_head(OrgUnit)
        return (select(units.c.id, units.c.parent_id, head.id)
                .join(OrgUnit, OrgUnit.id == units.c.id)
                .outerjoin(head, joined))

    def _take_units(self, rows) -> None:
        for uid, parent, head in rows:
            self.unit_parent[uid], self.unit_head[uid] = parent, head

    @classmethod
    def _units(cls, lazy: bool = False) -> OrgSnapshot:
        """The units and their heads (all of them, or with `lazy` none until asked
        about), and the Secretaries General."""
        snap = cls(lazy_units=lazy)
        if not lazy:
            snap._take_units(db.session.execute(cls._with_active_head(
                select(OrgUnit.id, OrgUnit.parent_id).subquery())))
        snap.secretary_general = set(
            db.session.execute(
                select(UserRole.user_id).join(User, User.id == UserRole.user_id)
                .where(UserRole.role == Role.SECRETARY_GENERAL.value, User.active)
            ).scalars()
        )
        return snap

    @staticmethod
    def _links(cycle_id: int | None):
        """Evaluator overrides in force for the cycle: cycle-specific rows come last and
        win. An override naming someone who has left is not in force."""
        return (select(EvaluatorLink.evaluatee_id, EvaluatorLink.evaluator_id)
                .join(User, User.id == EvaluatorLink.evaluator_id)
                .where((EvaluatorLink.cycle_id.is_(None)) | (EvaluatorLink.cycle_id == cycle_id),
                       User.active)
                .order_by(EvaluatorLink.cycle_id.is_(None).desc(), EvaluatorLink.id))

    @classmethod
    def load(cls, cycle_id: int | None = None) -> OrgSnapshot:
        """Everyone: for the checks of a whole organisation and for the bulk steps."""
        snap = cls._units()
        for uid, unit in db.session.execute(select(User.id, User.unit_id).where(User.active)):
            snap.user_unit[uid] = unit
        for evaluatee, evaluator in db.session.execute(cls._links(cycle_id)):
            snap.overrides[evaluatee] = evaluator
        return snap

    @classmethod
    def around(cls, cycle_id: int | None = None) -> OrgSnapshot:
        """Each person, and each unit with the units above it, only when asked about: one
        person's evaluator, or a chain of them, in a request, without reading 25,000
        people or the whole unit tree."""
        snap = cls._units(lazy=True)
        snap.lazy_cycle = (cycle_id,)
        return snap

    @classmethod
    def below(cls, cycle_id: int | None, evaluator_id: int) -> OrgSnapshot:
        """The part of the unit tree an evaluator reaches going down (the units they
        head, or every top unit for a Secretary General, then each unit below until one
        with another head, that unit included), the units above it, and each person
        only when asked about: for a walk down the tree from one evaluator
        (app.services.cycle.checks) without reading the whole tree."""
        snap = cls.around(cycle_id)
        snap._take_units(db.session.execute(_units_down(), {
            "evaluator": evaluator_id, "top": evaluator_id in snap.secretary_general}))
        snap._read_units(*snap.unit_parent.values())
        return snap

    def know(self, units: dict[int, int | None]) -> None:
        """Take these people (id -> unit) and their overrides in one read, not one
        person at a time (a list of people asked about together)."""
        for evaluatee, evaluator in db.session.execute(
                self._links(self.lazy_cycle[0]).where(EvaluatorLink.evaluatee_id.in_(units))):
            self.overrides[evaluatee] = evaluator
        self.user_unit.update(units)
        self._read_units(*units.values())

    def know_line(self, user_id: int) -> None:
        """Take the person, the units above them, and the heads of those units and the
        Secretaries General (who follow one another up the default chain) in four reads
        whatever the depth: a walk up one person's chain of evaluators then reads again
        only where an override leads away from the unit tree."""
        self._read(user_id)
        if user_id in self.secretary_general:  # evaluated by the Board: nobody to read
            return
        self._read_units(self.user_unit.get(user_id))
        above = {head for head in self.unit_head.values() if head is not None}
        above = sorted((above | self.secretary_general) - set(self.user_unit))
        if above:
            units = dict(db.session.execute(
                select(User.id, User.unit_id).where(User.id.in_(above), User.active)).all())
            self.know({person: units.get(person) for person in above})

    def _read(self, user_id: int) -> None:
        if self.lazy_cycle is None or user_id in self.user_unit:
            return
        self.user_unit[user_id] = db.session.scalar(
            select(User.unit_id).where(User.id == user_id, User.active))
        for _evaluatee, evaluator in db.session.execute(
                self._links(self.lazy_cycle[0]).where(EvaluatorLink.evaluatee_id == user_id)):
            self.overrides[user_id] = evaluator

    def _read_units(self, *units: int | None) -> None:
        """The units and every unit above them, in one read (a recursive query)."""
        unknown = sorted({unit for unit in units if unit is not None and unit not in self.unit_parent})
        if not self.lazy_units or not unknown:
            return
        self._take_units(db.session.execute(_units_up(), {"units": unknown}))

    def default_evaluator(self, user_id: int) -> Evaluator:
        """Unit head evaluates members; a head is evaluated by the head of the unit above;
        area heads (no head above) by the SG; the SG by the Board."""
        self._read(user_id)
        if user_id in self.secretary_general:
            return Evaluator(None, board=True)
        unit = self.user_unit.get(user_id)
        self._read_units(unit)
        while unit is not None:
            head = self.unit_head.get(unit)
            if head is not None and head != user_id:
                return Evaluator(head)
            unit = self.unit_parent.get(unit)
        sg = sorted(self.secretary_general - {user_id})
        return Evaluator(sg[0]) if sg else Evaluator(None, board=True)

    def evaluator(self, user_id: int) -> Evaluator:
        self._read(user_id)
        if user_id in self.overrides:
            return Evaluator(self.overrides[user_id])
        return self.default_evaluator(user_id)

    def find_cycle(self, start: int, free: set[int] | None = None) -> list[int] | None:
        """The loop following evaluators from start runs into, if it does. `free`, when
        given, holds people known to lead to no loop and gains those found so: checking
        25,000 people, each chain is then walked only up to the first person already
        checked."""
        chain, current = [start], start
        seen = {start}
        while True:
            nxt = self.evaluator(current).user_id
            if nxt is None or (free is not None and nxt in free):
                if free is not None:
                    free.update(chain)
                return None
            if nxt in seen:
                return chain[chain.index(nxt):] + [nxt]
            chain.append(nxt)
            seen.add(nxt)
            current = nxt


def _active_head(unit):
    """An alias of User and the join condition making it `unit`'s head if still active."""
    head = aliased(User)
    return head, (head.id == unit.head_id) & head.active


@cache
def _units_up():
    """The statement of OrgSnapshot._read_units, for the units given as `units`: built
    once, since building a recursive query over an aliased table costs milliseconds and
    every task about one person may ask for their evaluator."""
    up = select(OrgUnit.id, OrgUnit.parent_id).where(
        OrgUnit.id.in_(bindparam("units", expanding=True))).cte("up", recursive=True)
    above = aliased(OrgUnit)
    up = up.union(select(above.id, above.parent_id).join(up, above.id == up.c.parent_id))
    return OrgSnapshot._with_active_head(up)


@cache
def _units_down():
    """The statement of OrgSnapshot.below, for `evaluator` (and `top`, whether they are
    a Secretary General): the walk goes on below a unit that has no active head or is
    headed by the evaluator, and stops at any other; built once, as _units_up."""
    start, start_join = _active_head(OrgUnit)
    down = (select(OrgUnit.id, OrgUnit.parent_id, start.id.label("head_id"))
            .outerjoin(start, start_join)
            .where((OrgUnit.head_id == bindparam("evaluator"))
                   | (bindparam("top", type_=Boolean) & OrgUnit.parent_id.is_(None)))
            .cte("down", recursive=True))
    child = aliased(OrgUnit)
    head, head_join = _active_head(child)
    down = down.union(
        select(child.id, child.parent_id, head.id)
        .join(down, child.parent_id == down.c.id)
        .outerjoin(head, head_join)
        .where(down.c.head_id.is_(None) | (down.c.head_id == bindparam("evaluator"))))
    return select(down.c.id, down.c.parent_id, down.c.head_id)


def evaluator_of(user: User, cycle_id: int | None = None) -> Evaluator:
    return OrgSnapshot.around(cycle_id).evaluator(user.id)


class EvaluatorDirectory:
    """The evaluation chain as the engine asks for it (app.engine.assignment): installed by
    the application at start-up."""

    @staticmethod
    def chain(cycle_id: int | None) -> OrgSnapshot:
        return OrgSnapshot.around(cycle_id)


def superior_of(user: User, cycle_id: int | None = None) -> Evaluator:
    """The evaluator's evaluator: second-level review and escalation go there."""
    snap = OrgSnapshot.around(cycle_id)
    first = snap.evaluator(user.id)
    if first.user_id is None:
        return first
    return snap.evaluator(first.user_id)


def set_evaluator(
    actor: User, evaluatee: User, evaluator: User | None,
    cycle_id: int | None = None, reason: str | None = None,
) -> None:
    """Override (or, with evaluator None, restore the default for) one person's evaluator."""
    require_role(actor, *ORG_ADMINS)
    link = db.session.execute(
        select(EvaluatorLink).where(
            EvaluatorLink.evaluatee_id == evaluatee.id,
            EvaluatorLink.cycle_id.is_(None) if cycle_id is None
            else EvaluatorLink.cycle_id == cycle_id,
        )
    ).scalar_one_or_none()
    before = {"evaluator_id": link.evaluator_id} if link else None
    if evaluator is not None:
        if evaluator.id == evaluatee.id:
            raise OrgError(_l("Nobody can evaluate themselves."))
        if not evaluator.active:
            raise OrgError(_l("%(name)s is no longer in service and cannot evaluate anyone.",
                              name=evaluator.full_name))
        proposed = OrgSnapshot.load(cycle_id)
        proposed.overrides[evaluatee.id] = evaluator.id
        if proposed.find_cycle(evaluatee.id):
            raise OrgError(_l("This choice would make people evaluate each other in a loop."))
    if evaluator is None:
        if link is not None:
            db.session.delete(link)
    else:
        if link is None:
            link = EvaluatorLink(evaluatee_id=evaluatee.id, cycle_id=cycle_id)
            db.session.add(link)
        link.evaluator_id, link.reason = evaluator.id, reason
    db.session.flush()
    audit.record(
        "evaluator.set", actor=actor, obj=evaluatee, before=before,
        after={"evaluator_id": evaluator.id if evaluator else None, "cycle_id": cycle_id,
               "reason": reason},
    )
