"""People on a form, at any size: a drop-down list of the active people up to
listing.PEOPLE_LIST_LIMIT of them, and above that e-mail fields (a ministry's 25,000
people made every such form carry a list of more than a megabyte, read as 25,000 rows on
each view). A form declares both fields; keep_people_field keeps one, the picked_*
helpers read the people named and put the reason on the field when an e-mail names
nobody who may be chosen."""
from __future__ import annotations

import re

from flask_babel import gettext as _

from app.services.org import listing
from forms.fields import options

NO_PERSON = object()  # the picked_* answer when an e-mail names nobody
_SEPARATORS = re.compile(r"[\s,;]+")


def keep_people_field(form, listed_field: str, email_field: str, people: list | None,
                      *, none_label: str | None = None) -> None:
    """Keep the drop-down list `listed_field` of `people` (after a `none_label` choice
    worth "" when a person is optional), or the e-mail field when `people` is None
    (listing.listed_people: too many to list)."""
    if people is None:
        del form[listed_field]
        return
    del form[email_field]
    form[listed_field].choices = options(
        ([("", none_label)] if none_label is not None else [])
        + [(u.id, f"{u.last_name} {u.first_name}") for u in people])


def show_people(form, listed_field: str, email_field: str, user_ids: list[int]) -> None:
    """Show who is chosen in whichever field keep_people_field kept."""
    if listed_field in form:
        form[listed_field].data = user_ids
    else:
        form[email_field].data = "\n".join(listing.emails_of(user_ids))


def person_id(email: str, stmt=None) -> int | None:
    """The id of the active person of `stmt` (default everyone) with this e-mail."""
    address = (email or "").strip().lower()
    return listing.ids_by_email([address], stmt).get(address)


def picked_person(form, listed_field: str, email_field: str):
    """The person's id from the field keep_people_field kept (None: nobody), or NO_PERSON
    after putting the reason on the e-mail field."""
    if listed_field in form:
        return form[listed_field].data or None
    field = form[email_field]
    if not (field.data or "").strip():
        return None
    person = listing.active_person(field.data)
    if person is None:
        field.errors = [*field.errors, _("No active person has this e-mail.")]
        return NO_PERSON
    return person.id


def picked_people(form, listed_field: str, email_field: str, stmt=None, *,
                  refusal: str | None = None):
    """The ids from the field keep_people_field kept, or NO_PERSON after naming on the
    e-mail field the addresses (one per line, or separated by commas) that no active
    person of `stmt` has (`refusal`: the message, translated, with %(emails)s)."""
    if listed_field in form:
        return list(form[listed_field].data or [])
    field = form[email_field]
    emails = sorted({e.lower() for e in _SEPARATORS.split(field.data or "") if e})
    found = listing.ids_by_email(emails, stmt)
    unknown = [e for e in emails if e not in found]
    if unknown:
        shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        message = refusal or _("No active person has these e-mails: %(emails)s")
        field.errors = [*field.errors, message % {"emails": shown}]
        return NO_PERSON
    return sorted(found.values())
