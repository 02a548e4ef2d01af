"""Sign-in with throttling of repeated failures."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from app import audit
from app.extensions import db
from app.models.org import LoginAttempt, User
from app.models.types import utcnow
from app.services.org.operations import check_password


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
    guessing gains nothing. Commits the attempt either way."""
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
    ok = user is not None and user.active and check_password(user, password)
    db.session.add(LoginAttempt(email=email, remote_addr=remote_addr, succeeded=ok))
    if ok:
        audit.record("auth.login", actor=user, obj=user)
    db.session.commit()
    return user if ok else None
