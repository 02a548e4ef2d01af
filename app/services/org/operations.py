"""Operations on the organisation: people, roles, units, and the evaluation chain."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app import audit
from app.extensions import db
from app.models.org import ASSIGNABLE_ROLES, EvaluatorLink, OrgUnit, Role, User, UserRole
from app.services.org.password_policy import password_problems
from app.services.org.permissions import ORG_ADMINS, ensure_can_manage, require_role

_hasher = PasswordHasher()


class OrgError(ValueError):
    """Refused input; the message is meant for the user interface."""


# --- passwords ---------------------------------------------------------------------------

def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def check_password_evenly(user: User | None, password: str) -> bool:
    """check_password for a user who may be unknown or inactive: those cost one argon2
    verification too (against a throw-away hash), so the time of the answer does not
    tell whether an e-mail has an account."""
    if user is not None and user.active and user.password_hash:
        return check_password(user, password)
    try:
        _hasher.verify(_dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        pass
    return False


# --- the evaluation chain ----------------------------------------------------------------

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

    @classmethod
    def _units(cls) -> OrgSnapshot:
        """The units and their heads. A head who has left (no longer active) heads
        nobody: their people are evaluated up the chain, as in a unit without a head,
        rather than by someone who can no longer sign in."""
        snap = cls()
        active_head = aliased(User)
        for uid, parent, head in db.session.execute(
            select(OrgUnit.id, OrgUnit.parent_id, active_head.id)
            .outerjoin(active_head, (active_head.id == OrgUnit.head_id) & active_head.active)
        ):
            snap.unit_parent[uid], snap.unit_head[uid] = parent, head
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
        """The units, and each person only when asked about: one person's evaluator, or
        a chain of them, in a request, without reading 25,000 people."""
        snap = cls._units()
        snap.lazy_cycle = (cycle_id,)
        return snap

    def know(self, units: dict[int, int | None]) -> None:
        """Take these people (id -> unit) and their overrides in one read, not one
        person at a time (a list of people asked about together)."""
        for evaluatee, evaluator in db.session.execute(
                self._links(self.lazy_cycle[0]).where(EvaluatorLink.evaluatee_id.in_(units))):
            self.overrides[evaluatee] = evaluator
        self.user_unit.update(units)

    def _read(self, user_id: int) -> None:
        if self.lazy_cycle is None or user_id in self.user_unit:
            return
        self.user_unit[user_id] = db.session.scalar(
            select(User.unit_id).where(User.id == user_id, User.active))
        for _evaluatee, evaluator in db.session.execute(
                self._links(self.lazy_cycle[0]).where(EvaluatorLink.evaluatee_id == user_id)):
            self.overrides[user_id] = evaluator

    def default_evaluator(self, user_id: int) -> Evaluator:
        """Unit head evaluates members; a head is evaluated by the head of the unit above;
        area heads (no head above) by the SG; the SG by the Board."""
        self._read(user_id)
        if user_id in self.secretary_general:
            return Evaluator(None, board=True)
        unit = self.user_unit.get(user_id)
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


# --- people and roles --------------------------------------------------------------------

def _user_summary(user: User) -> dict:
    return {
        "email": user.email,
        "name": user.full_name,
        "category": user.category,
        "part_time_percent": str(user.part_time_percent),
        "unit_id": user.unit_id,
        "active": user.active,
        "service_start": user.service_start,
        "service_end": user.service_end,
        "roles": sorted(user.roles),
    }


@dataclass
class UserData:
    email: str
    first_name: str
    last_name: str
    category: str
    unit_id: int | None
    part_time_percent: Decimal = Decimal(100)
    service_start: date | None = None
    service_end: date | None = None
    active: bool = True


def _check_user_data(data: UserData, user_id: int | None) -> None:
    if not (Decimal(0) < data.part_time_percent <= Decimal(100)):
        raise OrgError(_l("The part-time percentage must be greater than 0 and at most 100."))
    if data.service_start and data.service_end and data.service_end < data.service_start:
        raise OrgError(_l("The end of service cannot precede its start."))
    other = db.session.execute(
        select(User.id).where(User.email == data.email.lower())
    ).scalar_one_or_none()
    if other is not None and other != user_id:
        raise OrgError(_l("Another user already has this e-mail address."))


def save_user(actor: User, data: UserData, user: User | None = None) -> User:
    require_role(actor, *ORG_ADMINS)
    if user is not None:
        ensure_can_manage(actor, user)
    _check_user_data(data, user.id if user else None)
    before = _user_summary(user) if user else None
    if user is None:
        user = User(email=data.email.lower())
        db.session.add(user)
    user.email = data.email.lower()
    user.first_name, user.last_name = data.first_name.strip(), data.last_name.strip()
    user.category, user.unit_id = data.category, data.unit_id
    user.part_time_percent = data.part_time_percent
    user.service_start, user.service_end = data.service_start, data.service_end
    if before is not None and before["active"] and not data.active:
        user.end_sessions()
    user.active = data.active
    db.session.flush()
    audit.record("user.save", actor=actor, obj=user, before=before, after=_user_summary(user))
    return user


def set_roles(actor: User, user: User, roles: set[str]) -> None:
    """Replace the user's roles. Only an Admin grants or withdraws the Admin role."""
    require_role(actor, *ORG_ADMINS)
    ensure_can_manage(actor, user)
    valid = {r.value for r in ASSIGNABLE_ROLES}
    unknown = set(roles) - valid
    if unknown:
        raise OrgError(_l("Unknown role: %(role)s", role=", ".join(sorted(unknown))))
    before = set(user.roles)
    if (Role.ADMIN.value in before ^ set(roles)) and not actor.has_role(Role.ADMIN):
        raise OrgError(_l("Only an administrator may grant or withdraw the Admin role."))
    for row in list(user.role_rows):
        if row.role not in roles:
            user.role_rows.remove(row)
    for role in sorted(set(roles) - before):
        user.role_rows.append(UserRole(role=role))
    if before != set(roles):
        user.end_sessions()  # pages open under the old roles must not go on
    db.session.flush()
    audit.record(
        "user.roles", actor=actor, obj=user,
        before={"roles": sorted(before)}, after={"roles": sorted(roles)},
    )


def set_password(actor: User, user: User, password: str) -> None:
    """Set a password that meets the policy (demo users are exempt) and end the user's
    sessions; whoever set it for themselves is signed in again by the caller. The
    audit row says who and when, never the password."""
    if actor.id != user.id:
        require_role(actor, *ORG_ADMINS)
        ensure_can_manage(actor, user)
    _store_password(actor, user, password)


def set_password_from_console(user: User, password: str) -> None:
    """`flask users set-password`: whoever runs it already controls the server, so no
    role is checked; the policy still applies and the audit row has no actor."""
    _store_password(None, user, password)


def _store_password(actor: User | None, user: User, password: str) -> None:
    problems = [] if user.is_demo else password_problems(password, user.email)
    if problems:
        raise OrgError(" ".join(problems))
    user.password_hash = hash_password(password)
    user.end_sessions()
    audit.record("user.password", actor=actor, obj=user)


# --- units -------------------------------------------------------------------------------

def save_unit(
    actor: User, *, administration_id: int, code: str, name: str, kind: str,
    parent_id: int | None, head_id: int | None, unit: OrgUnit | None = None,
) -> OrgUnit:
    require_role(actor, *ORG_ADMINS)
    before = None
    if unit is not None:
        before = {"code": unit.code, "name": unit.name, "parent_id": unit.parent_id,
                  "head_id": unit.head_id, "kind": unit.kind}
        node_id = parent_id
        while node_id is not None:
            if node_id == unit.id:
                raise OrgError(_l("A unit cannot be placed under itself."))
            node_id = db.session.get(OrgUnit, node_id).parent_id
    else:
        unit = OrgUnit(administration_id=administration_id)
        db.session.add(unit)
    clash = db.session.execute(
        select(OrgUnit.id).where(
            OrgUnit.administration_id == administration_id, OrgUnit.code == code
        )
    ).scalar_one_or_none()
    if clash is not None and clash != unit.id:
        raise OrgError(_l("Another unit already has this code."))
    unit.code, unit.name, unit.kind = code.strip(), name.strip(), kind
    unit.parent_id, unit.head_id = parent_id, head_id
    db.session.flush()
    audit.record(
        "unit.save", actor=actor, obj=unit, before=before,
        after={"code": unit.code, "name": unit.name, "parent_id": unit.parent_id,
               "head_id": unit.head_id, "kind": unit.kind},
    )
    return unit


# --- evaluator links ---------------------------------------------------------------------

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


def default_administration_id() -> int:
    """The administration new top-level units belong to (one per installation)."""
    from app.models.org import Administration

    admin_id = db.session.execute(
        select(Administration.id).order_by(Administration.id).limit(1)
    ).scalar_one_or_none()
    if admin_id is None:
        raise OrgError(_l("Create the administration first."))
    return admin_id
