"""Passwords: hashing and checking them (an unknown e-mail costs the same time as a
known one), and setting one under the password policy, by an administrator, by the
person themselves or from the server's console.

Hashes are argon2id at the cost PASSWORD_HASH_PARAMETERS sets. A hash made at another
cost (an older default, or before the setting changed) still verifies, and is made
again at the configured cost when its owner next signs in with it."""
from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app

from app import audit
from app.models.org import User
from app.services.org.errors import OrgError
from app.services.org.password_policy import password_problems
from app.services.org.permissions import ORG_ADMINS, ensure_can_manage, require_role

_EXTENSION = "password_hasher"


def use_hasher(app: Flask, parameters: dict[str, int]) -> None:
    """Hash this app's passwords with argon2id at these costs (from
    config.password_hash_parameters)."""
    app.extensions[_EXTENSION] = PasswordHasher(**parameters)


def _hasher() -> PasswordHasher:
    return current_app.extensions[_EXTENSION]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def refresh_hash(user: User, password: str) -> bool:
    """After `password` was checked right: hash it again if the stored hash was made at
    another cost than the configured one, so that a change of PASSWORD_HASH_PARAMETERS
    reaches everyone who signs in. The password is the same, so the sessions stay and
    no audit row is written. Whether the hash was made again."""
    hasher = _hasher()
    if not user.password_hash or not hasher.check_needs_rehash(user.password_hash):
        return False
    user.password_hash = hasher.hash(password)
    return True


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(16))


def check_password_evenly(user: User | None, password: str) -> bool:
    """check_password for a user who may be unknown or inactive: those cost one argon2
    verification too (against a throw-away hash), so the time of the answer does not
    tell whether an e-mail has an account."""
    if user is not None and user.active and user.password_hash:
        return check_password(user, password)
    hasher = _hasher()
    try:
        hasher.verify(_dummy_hash(hasher), password)
    except (VerificationError, InvalidHashError):
        pass
    return False


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
