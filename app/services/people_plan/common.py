"""What the people plans share: who reads and edits them, the refusal their operations
raise, and the optimistic lock of their edit forms (a form carries the plan's version;
an older version means someone changed the plan since the form was read, answered 409
like a stale task)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Forbidden

from app.formats.italian import day
from app.models.org import Role, User
from app.models.people_plan import AdoptedPlan, AdoptionStatus
from app.models.types import utcnow
from app.services.org.permissions import ORG_WIDE, require_role

EDITORS = (Role.ADMIN, Role.SUPPORT_UNIT)
DRAFT_READERS = (*ORG_WIDE, Role.BOARD)


class PeoplePlanError(ValueError):
    """Refused input; the message is meant for the user interface."""


def ensure_editor(actor: User) -> None:
    require_role(actor, *EDITORS)


def can_read(actor: User | None, plan: AdoptedPlan | None) -> bool:
    """An adopted plan is a published document: every signed-in person reads it; a
    draft only the roles that prepare and judge it."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if plan is not None and plan.status == AdoptionStatus.ADOPTED.value:
        return True
    return actor.has_role(*DRAFT_READERS)


def ensure_reader(actor: User | None, plan: AdoptedPlan | None) -> None:
    if not can_read(actor, plan):
        raise Forbidden()


def start_edit(actor: User, plan: AdoptedPlan, version: int | None) -> None:
    """Before changing a plan: an editor, a draft, and the form's version current. The
    change touches the plan row, so its version moves on and any other open form of it
    is now stale."""
    ensure_editor(actor)
    if version is not None and version != plan.version:
        raise StaleDataError(f"{type(plan).__name__} {plan.id} changed since the form was read")
    if not plan.is_draft:
        raise PeoplePlanError(_l("The plan can be changed only while it is a draft."))
    plan.updated_at = utcnow()


def status_text(plan: AdoptedPlan) -> str:
    """The plan's state in a line: adopted (with its deliberation), submitted, draft."""
    if plan.status == AdoptionStatus.ADOPTED.value and plan.deliberation is not None:
        return _("Adopted by the Board's deliberation no. %(number)s of %(date)s.",
                 number=plan.deliberation.number, date=day(plan.deliberation.date))
    if plan.status == AdoptionStatus.SUBMITTED.value:
        return _("Submitted for adoption.")
    return _("Draft.")
