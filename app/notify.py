"""Notifications about tasks: assignment, reminder before the due date, escalation after.

Messages are written to the `notification` table in the transaction that caused them, so
a rolled-back action sends nothing. Each is written in its recipient's language, names
the task as the interface does (app.task_names) and links to it with an absolute
address under PUBLIC_URL. With MAIL_SERVER configured they are queued and app.mailer
sends them (from `flask engine tick`); without it they stay in an outbox that the
administrator reads at /admin/outbox.

One message per task or a daily digest, as the person chose (User.mail_mode): "each",
"digest", or automatic (NULL), where the first DIGEST_THRESHOLD messages of a day go out
one by one and the rest wait for the next day's digest. Escalations are never held: an
overdue task does not wait a day. People may opt out of reminders, never of assignments
or escalations."""
from __future__ import annotations

from datetime import datetime, time
from functools import cache
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from sqlalchemy import String, bindparam, case, func, select
from sqlalchemy.orm import aliased
from sqlalchemy.orm.util import identity_key

from app.extensions import db
from app.models.engine import HumanTask, Notification, NotificationStatus
from app.models.org import User
from app.models.types import utcnow
from app.task_names import display_name

ASSIGNMENT, REMINDER, ESCALATION, DIGEST = "assignment", "reminder", "escalation", "digest"
EACH, DIGEST_MODE = "each", "digest"
MAIL_MODES = (EACH, DIGEST_MODE)
DIGEST_THRESHOLD = 3  # automatic mode: more messages than this in a day go to the digest


def public_url(path: str) -> str:
    """An absolute link a mail client can open (e-mails are written outside requests)."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def user_locale(user: User) -> str:
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def day_start(now: datetime) -> datetime:
    """Midnight of the administration's local day containing `now` (a digest's day)."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(now.astimezone(zone).date(), time(0), zone)


def _compose(kind: str, task: HumanTask, user: User) -> tuple[str, str]:
    due = format_datetime(task.due_at, "short") if task.due_at else _("no due date")
    title = display_name(task)
    if kind == ASSIGNMENT:
        subject = _("New task: %(title)s", title=title)
    elif kind == REMINDER:
        subject = _("Reminder: %(title)s is due on %(due)s", title=title, due=due)
    else:
        subject = _("Overdue task: %(title)s", title=title)
    lines = [_("Dear %(name)s,", name=user.full_name), "", subject]
    if task.subject:
        lines.append(_("Concerning: %(name)s", name=task.subject.full_name))
    lines.append(_("Due: %(due)s", due=due))
    if kind == ESCALATION:
        holder = task.assignee or task.claimed_by
        lines.append(_("Assigned to: %(name)s", name=holder.full_name if holder else _("nobody")))
    lines += ["", _("Open the task: %(url)s", url=public_url(f"/tasks/{task.id}")), "",
              _("To receive one message a day instead, or one per task: %(url)s",
                url=public_url("/me/preferences"))]
    return subject, "\n".join(lines)


def _held(user: User, kind: str, sent_today: int) -> bool:
    """Whether this message waits for the daily digest (see the module docstring);
    `sent_today`: the user's messages of the day so far, digests apart."""
    if kind == ESCALATION or user.mail_mode == EACH:
        return False
    if user.mail_mode == DIGEST_MODE:
        return True
    return sent_today >= DIGEST_THRESHOLD


def _sent_today(user_ids: list[int]) -> dict[int, int]:
    """Each user's messages of the administration's day so far, digests apart."""
    counts: dict[int, int] = {}
    for start in range(0, len(user_ids), 500):
        counts.update(db.session.execute(
            select(Notification.user_id, func.count(Notification.id))
            .where(Notification.user_id.in_(user_ids[start:start + 500]),
                   Notification.kind != DIGEST,
                   Notification.created_at >= day_start(utcnow()))
            .group_by(Notification.user_id)).all())
    return counts


def initial_status() -> str:
    configured = bool(current_app.config.get("MAIL_SERVER"))
    return (NotificationStatus.QUEUED if configured else NotificationStatus.OUTBOX).value


@cache
def _insert():
    """The INSERT of messages: a Core statement, written at once, not objects of the
    session's unit of work (a completion's one message cost a flush of its own)."""
    return Notification.__table__.insert()


@cache
def _insert_counted():
    """The INSERT of a user's one message of a transaction with the digest rule applied
    by the statement itself: the day's count is a subquery of the row's own values,
    which saves the statement that would read it first (a task completed opens the next
    one, and tells one person). Built once: its values are parameters."""
    earlier = aliased(Notification, name="earlier")
    sent_today = (select(func.count(earlier.id))
                  .where(earlier.user_id == bindparam("counted_user"),
                         earlier.kind != DIGEST,
                         earlier.created_at >= bindparam("counted_since"))
                  .scalar_subquery())
    return _insert().values(status=case(
        (sent_today >= DIGEST_THRESHOLD, NotificationStatus.HELD.value),
        else_=bindparam("not_held", type_=String)))


def _message(user: User, kind: str, task: HumanTask, sent_today: int | None) -> dict | None:
    """The message's row, or None for someone who left or opted out; `sent_today`
    None: the only message to this user in the transaction, whose count its INSERT
    reads (the row then carries the subquery's parameters instead of a status)."""
    if not user.active or (kind == REMINDER and user.reminders_opt_out):
        return None
    with force_locale(user_locale(user)):
        subject, body = _compose(kind, task, user)
    now = utcnow()
    row = {"user_id": user.id, "email": user.email, "kind": kind, "subject": subject[:300],
           "body": body, "task_id": task.id, "attempts": 0, "created_at": now}
    if sent_today is None and kind != ESCALATION and user.mail_mode not in MAIL_MODES:
        row.update(counted_user=user.id, counted_since=day_start(now),
                   not_held=initial_status())
    else:
        row["status"] = NotificationStatus.HELD.value if _held(user, kind, sent_today or 0) \
            else initial_status()
    return row


def _write(rows: list[dict]) -> list[int]:
    """Insert the rows (written at once, in the caller's transaction); the ids of the
    people they go to."""
    counted = [row for row in rows if "counted_user" in row]
    for row in counted:
        db.session.execute(_insert_counted(), row)
    plain = [row for row in rows if "counted_user" not in row]
    if plain:
        db.session.execute(_insert(), plain)
    return [row["user_id"] for row in rows]


def notify(user: User, kind: str, task: HumanTask) -> bool:
    """Queue one message, unless the user opted out of reminders or has left; whether
    it was queued."""
    row = _message(user, kind, task, None)
    return bool(row is not None and _write([row]))


def notify_users(user_ids, kind: str, task: HumanTask) -> list[int]:
    return notify_many([(task, user_ids)], kind)


def notify_many(recipients: list[tuple[HumanTask, list[int]]], kind: str) -> list[int]:
    """Queue the messages of many tasks, each to its users, with one query for the
    users and one for their counts of the day (the digest rule), however many; the ids
    of the people messaged, one per message."""
    ids = sorted({uid for _task, users in recipients for uid in users})
    if not ids:
        return []
    # The people the messages name (the task's subject) come with the recipients.
    named = sorted(set(ids) | {task.subject_id for task, _users in recipients if task.subject_id})
    # Those the session holds already (a task's subject, as a rule) are not read again.
    users: dict[int, User] = {uid: user for uid in named if (user := db.session.identity_map.get(
        identity_key(User, uid))) is not None}
    missing = [uid for uid in named if uid not in users]
    for start in range(0, len(missing), 500):
        users.update((u.id, u) for u in db.session.execute(
            select(User).where(User.id.in_(missing[start:start + 500]))).scalars())
    # One message to one person: its INSERT counts the day's messages itself.
    alone = len(recipients) == 1 and len(ids) == 1
    sent = {} if alone else _sent_today(ids)
    created = []
    for task, user_ids in recipients:
        for uid in sorted(set(user_ids)):
            user = users.get(uid)
            row = None if user is None else _message(
                user, kind, task, None if alone else sent.get(uid, 0))
            if row is not None:
                sent[uid] = sent.get(uid, 0) + 1
                created.append(row)
    return _write(created)
