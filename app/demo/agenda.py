"""`flask demo users`: each demo login per role and what that person finds to do, read
from the same inbox queries as their pages (their own tasks, then the unclaimed tasks
of their roles), so what it prints is what they see. In the interface's default
language (Italian), like the pages of a person who has chosen none."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.engine import clock
from app.extensions import db
from app.formats import italian as formatting
from app.models.engine import HumanTask
from app.models.org import User
from app.services.tasks import inbox
from app.task_names import display_name

TASKS_NAMED = 3  # per person; the others are counted
USERS_SHOWN = 3  # per role; the others are counted


@dataclass(frozen=True)
class Agenda:
    """What one person finds: their tasks in inbox order and how many there are."""

    tasks: list[HumanTask]
    total: int


def agenda(user: User) -> Agenda:
    mine = inbox.page("mine", user, inbox.Filters())
    pool = inbox.page("pool", user, inbox.Filters(), 1)
    pooled = [t for t in pool.items if t.claimed_by_id is None]
    counts = inbox.counts(user, ("mine", "pool"))
    return Agenda(mine.items + pooled, counts["mine"] + counts["pool"])


def task_line(task: HumanTask, user: User) -> str:
    """"Valuta gli obiettivi: Mario Rossi (scade il 12/12/2026)"; no name on a task
    about the reader."""
    text = display_name(task)
    if task.subject is not None and task.subject_id != user.id:
        text = _("%(task)s: %(person)s", task=text, person=task.subject.full_name)
    if task.due_at is not None:
        due = formatting.day(task.due_at)
        text += " " + (_("(overdue since %(date)s)", date=due) if task.overdue(clock.now())
                       else _("(due %(date)s)", date=due))
    return text


def summary(found: Agenda, user: User) -> str:
    """"3 attività: ..., ..., e altre 2" or "nessuna attività"."""
    if not found.total:
        return _("nothing to do")
    named = [task_line(t, user) for t in found.tasks[:TASKS_NAMED]]
    more = found.total - len(named)
    if more > 0:
        named.append(ngettext("and %(num)d more", "and %(num)d more", more))
    count = ngettext("%(num)d task", "%(num)d tasks", found.total)
    return f"{count}: {', '.join(named)}"


def _shown(found: list[tuple[User, Agenda]]) -> list[tuple[User, Agenda]]:
    """A few people of a role: those with work first, of them those holding fewest
    other roles (who show the role best), one per kind of first task before any second
    of a kind, in that order."""
    ranked = sorted(found, key=lambda row: (row[1].total == 0, len(row[0].roles)))
    kinds, first, rest = set(), [], []
    for person, each in ranked:
        kind = each.tasks[0].bpmn_id if each.tasks else None
        (rest if kind in kinds else first).append((person, each))
        kinds.add(kind)
    chosen = {p.id for p, _each in (first + rest)[:USERS_SHOWN]}
    return [row for row in ranked if row[0].id in chosen]


def lines(logins: dict[str, list[str]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Per role, (login, what they find) for a few of its people, and the count of the
    others as a last row without a login."""
    result = []
    for role, emails in logins.items():
        people = db.session.execute(select(User).where(User.email.in_(emails))).scalars()
        rows = [(p.email, summary(each, p)) for p, each in _shown([(p, agenda(p)) for p in people])]
        if len(emails) > USERS_SHOWN:
            rows.append(("", ngettext("... and %(num)d more", "... and %(num)d more",
                                      len(emails) - USERS_SHOWN)))
        result.append((role, rows))
    return result
