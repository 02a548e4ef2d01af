"""People and their roles: an administrator creates and changes a person's record and
grants or withdraws roles; each change ends the sessions it makes stale."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models.org import ASSIGNABLE_ROLES, Role, User, UserRole
from app.services.org.errors import OrgError
from app.services.org.permissions import ORG_ADMINS, ensure_can_manage, require_role


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
