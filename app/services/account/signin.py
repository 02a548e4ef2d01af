"""Sign-in with throttling of repeated failures, by local password or by the directory.

Without a directory (LDAP_URL empty) everyone signs in with the local password. With one,
the directory is the authority: a local password still works only for demo users, or for
everyone when LDAP_ALLOW_LOCAL is on (a transition, or an emergency account), and a
person is signed in only as an existing active User matched by the directory's e-mail,
never created from it. Group memberships mapped by LDAP_GROUP_ROLES set the roles they
name at each directory sign-in; the other roles stay as the administrators set them."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from app import audit
from app.extensions import db
from app.models.org import LoginAttempt, User, UserRole
from app.models.types import utcnow
from app.services.account import directory
from app.services.account.directory import DirectoryUnavailable
from app.services.org.operations import check_password

__all__ = ["DirectoryUnavailable", "Throttled", "authenticate"]


class Throttled(Exception):
    """Too many failed attempts in the window."""


def _recent_failures(column, value) -> int:
    since = utcnow() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    return db.session.execute(
        select(func.count(LoginAttempt.id)).where(
            column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since
        )
    ).scalar_one()


def authenticate(email: str, password: str, remote_addr: str) -> User | None:
    """The user if the credentials are right. Raises Throttled when the e-mail (or the
    address) has failed too often recently, before even looking at the password, so that
    guessing gains nothing. Commits the attempt either way, except when the directory
    does not answer (DirectoryUnavailable): that is not the person's failure, and
    counting it would lock everyone out after an outage."""
    email = (email or "").strip().lower()
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    if (
        _recent_failures(LoginAttempt.email, email) >= limit
        or _recent_failures(LoginAttempt.remote_addr, remote_addr) >= limit * 5
    ):
        db.session.add(LoginAttempt(email=email, remote_addr=remote_addr, succeeded=False))
        db.session.commit()
        raise Throttled()
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    method = "password"
    if not (_may_use_local_password(user) and check_password(user, password)):
        user, method = None, "directory"
        if directory.enabled():
            user = _directory_user(email, password)
    db.session.add(LoginAttempt(email=email, remote_addr=remote_addr, succeeded=user is not None))
    if user is not None:
        audit.record("auth.login", actor=user, obj=user, after={"method": method})
    db.session.commit()
    return user


def _may_use_local_password(user: User | None) -> bool:
    if user is None or not user.active:
        return False
    return (not directory.enabled() or user.is_demo
            or current_app.config["LDAP_ALLOW_LOCAL"])


def _directory_user(email: str, password: str) -> User | None:
    """The active User the directory vouches for, preferring the typed e-mail when the
    entry has several addresses."""
    person = directory.verify(email, password)
    if person is None or not person.emails:
        return None
    users = db.session.execute(
        select(User).where(User.email.in_(person.emails), User.active.is_(True))
    ).scalars().all()
    user = next((u for u in users if u.email == email), users[0] if len(users) == 1 else None)
    if user is not None:
        _apply_group_roles(user, person.groups)
    return user


def _apply_group_roles(user: User, groups: frozenset[str]) -> None:
    """Grant the roles of the mapped groups the person is in and withdraw the mapped
    roles of the others; audited when something changes."""
    mapping = directory.group_roles(current_app.config["LDAP_GROUP_ROLES"])
    if not mapping:
        return
    before = set(user.roles)
    after = (before - set(mapping.values())) | {mapping[g] for g in groups}
    if after == before:
        return
    for row in list(user.role_rows):
        if row.role not in after:
            user.role_rows.remove(row)
    for role in sorted(after - before):
        user.role_rows.append(UserRole(role=role))
    db.session.flush()
    audit.record("user.roles", obj=user, before={"roles": sorted(before)},
                 after={"roles": sorted(after), "by": "directory"})
