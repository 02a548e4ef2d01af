"""The Board's acts (deliberazioni della Giunta) on the cycle: a number, a date, approved
or sent back with the reason (which leaves a remark for the step it returns to), and the
act itself attached as a PDF. The plan, its revisions, the OIV's evaluation, the Report
and the fund each go through `record_deliberation`; the risk register and the people
plan check theirs with `deliberation_errors`."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from app import audit
from app.extensions import db
from app.models.cycle import BoardDeliberation, DeliberationOutcome, DeliberationSubject
from app.models.org import Role, User
from app.models.plan import Cycle
from app.services.cycle.operations import CycleError, remark
from app.services.org.permissions import require_role

MAX_ATTACHMENT = 10 * 1024 * 1024


@dataclass(frozen=True)
class DeliberationInput:
    number: str
    date: date
    approved: bool
    reason: str | None = None
    attachment_name: str | None = None
    attachment: bytes | None = None


def _attachment_errors(data: DeliberationInput) -> list[str]:
    if data.attachment is None:
        return []
    if len(data.attachment) > MAX_ATTACHMENT:
        return [str(_l("The attached act is larger than 10 MB."))]
    if not data.attachment.startswith(b"%PDF"):
        return [str(_l("The attached act must be a PDF file."))]
    return []


def deliberation_errors(data: DeliberationInput, *, attachment_required: bool = True) -> list[str]:
    errors = []
    if not (data.number or "").strip() or not isinstance(data.date, date):
        errors.append(str(_l("The Board's deliberation needs a number and a date.")))
    if not data.approved and not (data.reason or "").strip():
        errors.append(str(_l("Give the reason for sending it back.")))
    if data.approved and attachment_required and data.attachment is None:
        errors.append(str(_l("Attach the deliberation (PDF).")))
    return errors + _attachment_errors(data)


def record_deliberation(actor: User, cycle: Cycle, subject: DeliberationSubject,
                        data: DeliberationInput, concerns: str | None = None) -> BoardDeliberation:
    """Record the Board's act; sending back also leaves a remark for the next step."""
    require_role(actor, Role.BOARD)
    errors = deliberation_errors(data)
    if errors:
        raise CycleError(errors)
    outcome = DeliberationOutcome.APPROVED if data.approved else DeliberationOutcome.SENT_BACK
    row = BoardDeliberation(
        cycle_id=cycle.id, subject=subject.value, number=data.number.strip(), date=data.date,
        outcome=outcome.value, reason=(data.reason or "").strip() or None,
        attachment_name=data.attachment_name, attachment=data.attachment,
        attachment_sha256=hashlib.sha256(data.attachment).hexdigest() if data.attachment else None,
        recorded_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("cycle.deliberation", actor=actor, obj=row,
                 after={"subject": subject.value, "number": row.number, "date": row.date,
                        "outcome": row.outcome, "attachment_sha256": row.attachment_sha256})
    if not data.approved:
        remark(actor, cycle, f"board_{subject.value}", concerns or subject.value, data.reason)
    return row
