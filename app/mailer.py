"""Sending the queued task messages over SMTP, the daily digests, and retrying failures.

`dispatch` sends what is queued and due (one connection, rows locked with SKIP LOCKED so
two dispatchers never send the same message). A failed message (an SMTP error, a
refused recipient, a server that cannot be reached) is tried again after a backoff of
RETRY_MINUTES, doubled at each attempt; after MAX_ATTEMPTS it is FAILED, listed for the
administrator at /admin/outbox with its last error, who may queue it again (`retry`).

`send_digests` bundles each person's held messages of the days before `until` into one
message in their language, leaving out tasks closed meanwhile. `flask engine tick` runs
both; `flask mail digest` runs the digests by hand."""
from __future__ import annotations

import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from itertools import groupby

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import or_, select

from app import audit
from app.extensions import db
from app.models.engine import HumanTask, Notification, NotificationStatus, TaskStatus
from app.models.org import User
from app.models.types import utcnow
from app.notify import DIGEST, day_start, initial_status, public_url, user_locale

MAX_ATTEMPTS = 5
RETRY_MINUTES = 5


def _message(notification: Notification, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = notification.email
    message["Subject"] = notification.subject
    message.set_content(notification.body)
    return message


def _failed(notification: Notification, error: Exception, now: datetime) -> None:
    notification.attempts += 1
    notification.last_error = str(error)[:2000] or type(error).__name__
    if notification.attempts >= MAX_ATTEMPTS:
        notification.status = NotificationStatus.FAILED.value
        notification.next_attempt_at = None
    else:
        delay = RETRY_MINUTES * 2 ** (notification.attempts - 1)
        notification.next_attempt_at = now + timedelta(minutes=delay)


def _due(limit: int, now: datetime) -> list[Notification]:
    return db.session.execute(
        select(Notification).where(
            Notification.status == NotificationStatus.QUEUED.value,
            or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now))
        .order_by(Notification.id).limit(limit).with_for_update(skip_locked=True)
    ).scalars().all()


def _connect(config) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
    if config.get("MAIL_USE_TLS"):
        smtp.starttls()
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return smtp


def dispatch(limit: int = 500, now: datetime | None = None) -> int:
    """Send queued messages that are due; return how many were sent. A server that
    cannot be reached counts as a failed attempt of every message, then is raised."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return 0
    now = now or utcnow()
    rows = _due(limit, now)
    if not rows:
        db.session.rollback()
        return 0
    try:
        smtp = _connect(config)
    except (OSError, smtplib.SMTPException) as exc:
        for notification in rows:
            _failed(notification, exc, now)
        db.session.commit()
        raise
    sent = 0
    with smtp:
        for notification in rows:
            try:
                smtp.send_message(_message(notification, config["MAIL_SENDER"]))
            except (OSError, smtplib.SMTPException) as exc:
                _failed(notification, exc, now)
                continue
            notification.status = NotificationStatus.SENT.value
            notification.sent_at = now
            notification.next_attempt_at = None
            sent += 1
    db.session.commit()
    return sent


def _digest(user: User, held: list[Notification], day: datetime) -> Notification | None:
    open_ids = set(db.session.execute(select(HumanTask.id).where(
        HumanTask.id.in_([n.task_id for n in held if n.task_id]),
        HumanTask.status == TaskStatus.OPEN.value)).scalars())
    for notification in held:
        notification.status = NotificationStatus.DIGESTED.value
    items = [n for n in held if n.task_id in open_ids]
    if not items:
        return None
    with force_locale(user_locale(user)):
        subject = _("Your tasks: %(n)d messages since %(day)s", n=len(items),
                    day=format_date(day, "long"))
        lines = [_("Dear %(name)s,", name=user.full_name), ""]
        for item in items:
            lines += [f"- {item.subject}", f"  {public_url(f'/tasks/{item.task_id}')}"]
        lines += ["", _("To receive one message a day instead, or one per task: %(url)s",
                        url=public_url("/me/preferences"))]
    digest = Notification(user_id=user.id, email=user.email, kind=DIGEST,
                          subject=subject[:300], body="\n".join(lines), attempts=0,
                          status=initial_status())
    db.session.add(digest)
    return digest


def send_digests(until: datetime | None = None) -> int:
    """One digest per person of the messages held before `until` (default: the start
    of today, so each day's messages go out once, the next day); return how many."""
    until = until or day_start(utcnow())
    held = db.session.execute(
        select(Notification).where(Notification.status == NotificationStatus.HELD.value,
                                   Notification.created_at < until)
        .order_by(Notification.user_id, Notification.id).with_for_update(skip_locked=True)
    ).scalars().all()
    made = 0
    for _user_id, rows in groupby(held, key=lambda n: n.user_id):
        rows = list(rows)
        made += _digest(rows[0].user, rows, rows[0].created_at) is not None
    db.session.commit()
    return made


def failed() -> list[Notification]:
    return db.session.execute(
        select(Notification).where(Notification.status == NotificationStatus.FAILED.value)
        .order_by(Notification.id.desc())).scalars().all()


def retry(actor: User, notification: Notification) -> None:
    """Queue a failed message again with fresh attempts; the caller commits."""
    before = {"status": notification.status, "attempts": notification.attempts,
              "last_error": notification.last_error}
    notification.status = initial_status()
    notification.attempts = 0
    notification.next_attempt_at = None
    audit.record("notification.retry", actor=actor, obj=notification, before=before,
                 after={"status": notification.status, "attempts": 0})
