"""Sign-in with throttling of repeated failures, by local password or by the directory.

Without a directory (LDAP_URL empty) everyone signs in with the local password. With one,
the directory is the authority: a local password still works only for demo users, or for
everyone when LDAP_ALLOW_LOCAL is on (a transition, or an emergency account), and a
person is signed in only as an existing active User matched by the directory's e-mail,
never created from it. Group memberships mapped by LDAP_GROUP_ROLES set the roles they
name at each directory sign-in; the other roles stay as the administrators set them.

Locks are per (e-mail, address) pair with a delay that doubles at each failure after the
first LOGIN_MAX_FAILURES, so guessing from one address slows down quickly while the
real person, from another address, can still sign in; one address failing across many
e-mails hits a separate cap. Unknown e-mails and inactive users cost one password hash
verification like everyone else, so the time of the answer reveals nothing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from app import audit
from app.extensions import db
from app.models.org import LoginAttempt, LoginThrottle, Role, User, UserRole
from app.models.types import utcnow
from app.services.account import directory
from app.services.account.directory import DirectoryUnavailable
from app.services.org.passwords import check_password_evenly, refresh_hash
from app.services.org.permissions import require_role

__all__ = ["DirectoryUnavailable", "Throttled", "authenticate"]

# A pair's count of failures starts again after this long without one.
FORGET_FAILURES_AFTER = timedelta(hours=24)


class Throttled(Exception):
    """Too many failed attempts: this pair is locked, or this address is over its cap."""


def _address_failures(remote_addr: str) -> int:
    since = utcnow() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    return db.session.execute(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.remote_addr == remote_addr, LoginAttempt.succeeded.is_(False),
            LoginAttempt.at >= since,
        )
    ).scalar_one()


def _throttle(email: str, remote_addr: str) -> LoginThrottle | None:
    return db.session.execute(
        select(LoginThrottle).where(
            LoginThrottle.email == email, LoginThrottle.remote_addr == remote_addr)
    ).scalar_one_or_none()


def lock_delay(failures: int) -> timedelta:
    """How long a pair waits after this many failures in a row: nothing before
    LOGIN_MAX_FAILURES, then LOGIN_LOCK_MINUTES doubling each time, capped."""
    config = current_app.config
    over = failures - config["LOGIN_MAX_FAILURES"]
    if over < 0:
        return timedelta(0)
    minutes = min(config["LOGIN_LOCK_MINUTES"] * 2 ** min(over, 20),
                  config["LOGIN_LOCK_MAX_MINUTES"])
    return timedelta(minutes=minutes)


def _record_failure(email: str, remote_addr: str, row: LoginThrottle | None) -> None:
    now = utcnow()
    if row is None:
        row = LoginThrottle(email=email, remote_addr=remote_addr, failures=0)
        db.session.add(row)
    elif row.last_failure_at < now - FORGET_FAILURES_AFTER:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    delay = lock_delay(row.failures)
    row.locked_until = now + delay if delay else None


def authenticate(email: str, password: str, remote_addr: str) -> User | None:
    """The user if the credentials are right. Raises Throttled when the pair is locked
    (or the address over its cap), before even looking at the password, so that
    guessing gains nothing. Commits the attempt either way, except when the directory
    does not answer (DirectoryUnavailable): that is not the person's failure, and
    counting it would lock everyone out after an outage."""
    email = (email or "").strip().lower()
    row = _throttle(email, remote_addr)
    locked = row is not None and row.locked_until is not None and row.locked_until > utcnow()
    if locked or _address_failures(remote_addr) >= current_app.config["LOGIN_MAX_FAILURES"] * 5:
        db.session.add(LoginAttempt(email=email, remote_addr=remote_addr, succeeded=False))
        db.session.commit()
        raise Throttled()
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    method = "password"
    ok = check_password_evenly(user if _may_use_local_password(user) else None, password)
    if not ok and directory.enabled():
        user, method = _directory_user(email, password), "directory"
        ok = user is not None
    db.session.add(LoginAttempt(email=email, remote_addr=remote_addr, succeeded=ok))
    if ok:
        if method == "password":
            refresh_hash(user, password)
        if row is not None:
            db.session.delete(row)
        audit.record("auth.login", actor=user, obj=user, after={"method": method})
    else:
        _record_failure(email, remote_addr, row)
    db.session.commit()
    return user if ok else None


@dataclass(frozen=True)
class Lock:
    id: int
    email: str
    remote_addr: str
    failures: int
    locked_until: datetime


def current_locks(actor: User) -> list[Lock]:
    """The pairs locked now, latest first (for the administrators' page)."""
    require_role(actor, Role.ADMIN)
    rows = db.session.execute(
        select(LoginThrottle).where(LoginThrottle.locked_until > utcnow())
        .order_by(LoginThrottle.locked_until.desc())
    ).scalars()
    return [Lock(r.id, r.email, r.remote_addr, r.failures, r.locked_until) for r in rows]


def clear_lock(actor: User, lock_id: int) -> bool:
    """Lift one pair's lock and forget its failures; False if there was none."""
    require_role(actor, Role.ADMIN)
    row = db.session.get(LoginThrottle, lock_id)
    if row is None:
        return False
    audit.record(
        "auth.unlock", actor=actor, object_type="LoginThrottle", object_id=str(row.id),
        before={"email": row.email, "remote_addr": row.remote_addr, "failures": row.failures,
                "locked_until": row.locked_until.isoformat() if row.locked_until else None},
    )
    db.session.delete(row)
    return True


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
