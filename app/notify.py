"""Notifications about tasks: assignment, reminder before the due date, escalation after.

Messages are written to the `notification` table in the transaction that caused them, so
a rolled-back action sends nothing. With MAIL_SERVER configured they are queued and
`flask engine tick` sends them over SMTP; without it they stay in an outbox that the
administrator reads at /admin/outbox. People may opt out of reminders, never of
assignments or escalations."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models.engine import HumanTask, Notification, NotificationStatus
from app.models.org import User
from app.models.types import utcnow

ASSIGNMENT, REMINDER, ESCALATION = "assignment", "reminder", "escalation"
MAX_ATTEMPTS = 5


def _compose(kind: str, task: HumanTask, user: User) -> tuple[str, str]:
    due = format_datetime(task.due_at, "short") if task.due_at else _("no due date")
    subject_person = task.subject.full_name if task.subject else None
    if kind == ASSIGNMENT:
        subject = _("New task: %(title)s", title=task.title)
    elif kind == REMINDER:
        subject = _("Reminder: %(title)s is due on %(due)s", title=task.title, due=due)
    else:
        subject = _("Overdue task: %(title)s", title=task.title)
    lines = [_("Dear %(name)s,", name=user.full_name), "", subject]
    if subject_person:
        lines.append(_("Concerning: %(name)s", name=subject_person))
    lines.append(_("Due: %(due)s", due=due))
    if kind == ESCALATION:
        holder = task.assignee or task.claimed_by
        lines.append(_("Assigned to: %(name)s", name=holder.full_name if holder else _("nobody")))
    base = (current_app.config.get("BASE_URL") or "").rstrip("/")
    lines += ["", _("Open the task: %(url)s", url=f"{base}/tasks/{task.id}")]
    return subject, "\n".join(lines)


def notify(user: User, kind: str, task: HumanTask) -> Notification | None:
    """Queue one message, unless the user opted out of reminders or has left."""
    if not user.active or (kind == REMINDER and user.reminders_opt_out):
        return None
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        subject, body = _compose(kind, task, user)
    configured = bool(current_app.config.get("MAIL_SERVER"))
    notification = Notification(
        user_id=user.id, email=user.email, kind=kind, subject=subject[:300], body=body,
        task_id=task.id, attempts=0,
        status=(NotificationStatus.QUEUED if configured else NotificationStatus.OUTBOX).value,
    )
    db.session.add(notification)
    return notification


def notify_users(user_ids, kind: str, task: HumanTask) -> list[Notification]:
    ids = sorted(set(user_ids))
    if not ids:
        return []
    users = db.session.execute(select(User).where(User.id.in_(ids))).scalars()
    return [n for n in (notify(u, kind, task) for u in users) if n is not None]


def _message(notification: Notification, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = notification.email
    message["Subject"] = notification.subject
    message.set_content(notification.body)
    return message


def dispatch(limit: int = 500) -> int:
    """Send queued messages over SMTP (one connection); return how many were sent. Rows
    are locked with SKIP LOCKED so two dispatchers never send the same message."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return 0
    rows = db.session.execute(
        select(Notification).where(Notification.status == NotificationStatus.QUEUED.value)
        .order_by(Notification.id).limit(limit).with_for_update(skip_locked=True)
    ).scalars().all()
    if not rows:
        db.session.rollback()
        return 0
    sent = 0
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        for notification in rows:
            try:
                smtp.send_message(_message(notification, config["MAIL_SENDER"]))
            except smtplib.SMTPException as exc:
                notification.attempts += 1
                notification.last_error = str(exc)[:2000]
                if notification.attempts >= MAX_ATTEMPTS:
                    notification.status = NotificationStatus.FAILED.value
                continue
            notification.status = NotificationStatus.SENT.value
            notification.sent_at = utcnow()
            sent += 1
    db.session.commit()
    return sent
