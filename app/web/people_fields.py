"""People on a form, at any size: a drop-down list of the active people up to
PEOPLE_LIST_LIMIT of them, and above that e-mail fields (a ministry's 25,000 people made
every such form carry a list of more than a megabyte, read as 25,000 rows on each view).
A form declares both fields; keep_people_field keeps one, the picked_* helpers read the
people named and put the reason on the field when an e-mail names nobody."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.models.org import User
from forms.fields import options

PEOPLE_LIST_LIMIT = 200
NO_PERSON = object()  # the picked_* answer when an e-mail names nobody
_SEPARATORS = re.compile(r"[\s,;]+")


def active_people(stmt=None):
    """The statement of the active people (within `stmt`, a select of User, if given)."""
    return (select(User) if stmt is None else stmt).where(User.active)


def listed(stmt=None) -> list[User] | None:
    """The people of `stmt` (default: every active person) by name, or None when they are
    more than PEOPLE_LIST_LIMIT: the form then asks for e-mails."""
    found = db.session.execute(active_people(stmt)
                               .order_by(User.last_name, User.first_name, User.id)
                               .limit(PEOPLE_LIST_LIMIT + 1)).scalars().all()
    return None if len(found) > PEOPLE_LIST_LIMIT else found


def keep_people_field(form, listed_field: str, email_field: str, people: list | None,
                      *, none_label: str | None = None) -> None:
    """Keep the drop-down list `listed_field` of `people` (after a `none_label` choice
    worth "" when a person is optional), or the e-mail field when `people` is None."""
    if people is None:
        del form[listed_field]
        return
    del form[email_field]
    form[listed_field].choices = options(
        ([("", none_label)] if none_label is not None else [])
        + [(u.id, f"{u.last_name} {u.first_name}") for u in people])


def emails_of(user_ids) -> str:
    """The e-mails of these people, one per line: an e-mail field showing who is chosen."""
    return "\n".join(db.session.execute(select(User.email).where(User.id.in_(list(user_ids)))
                                        .order_by(User.email)).scalars())


def _ids_by_email(emails: list[str], stmt=None) -> dict[str, int]:
    if not emails:
        return {}
    rows = db.session.execute(active_people(stmt).with_only_columns(
        func.lower(User.email), User.id).where(func.lower(User.email).in_(emails)))
    return dict(rows.all())


def person_by_email(email: str, stmt=None) -> int | None:
    """The id of the active person (within `stmt`) with this e-mail in any case, or None."""
    address = (email or "").strip().lower()
    return _ids_by_email([address], stmt).get(address)


def picked_person(form, listed_field: str, email_field: str, stmt=None):
    """The person's id from the field keep_people_field kept (None: nobody), or NO_PERSON
    after putting the reason on the e-mail field."""
    if listed_field in form:
        return form[listed_field].data or None
    field = form[email_field]
    if not (field.data or "").strip():
        return None
    found = person_by_email(field.data, stmt)
    if found is None:
        field.errors = [*field.errors, _("No active person has this e-mail.")]
        return NO_PERSON
    return found


def picked_people(form, listed_field: str, email_field: str, stmt=None, *,
                  refusal: str | None = None):
    """The ids from the field keep_people_field kept, or NO_PERSON after naming on the
    e-mail field the addresses (one per line, or separated by commas) that no active
    person of `stmt` has (`refusal`: the message, translated, with %(emails)s)."""
    if listed_field in form:
        return list(form[listed_field].data or [])
    field = form[email_field]
    emails = sorted({e.lower() for e in _SEPARATORS.split(field.data or "") if e})
    found = _ids_by_email(emails, stmt)
    unknown = [e for e in emails if e not in found]
    if unknown:
        shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        message = refusal or _("No active person has these e-mails: %(emails)s")
        field.errors = [*field.errors, message % {"emails": shown}]
        return NO_PERSON
    return sorted(found.values())
