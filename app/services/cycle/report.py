"""The Report (Relazione sulla performance): the fund it states, its versions drawn by a
background job, the Board's approval and the OIV's validation, whose statement a second
background job attaches to the approved PDFs (both jobs: app.services.cycle.report_jobs).
What follows the validation is in app.services.cycle.closing."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models.cycle import BoardDeliberation, DeliberationSubject, ReportStatus, ReportVersion
from app.models.engine import ProcessInstance
from app.models.org import Role, User
from app.models.plan import Cycle
from app.models.types import utcnow
from app.services.cycle.deliberations import DeliberationInput, record_deliberation
from app.services.cycle.operations import CycleError, remark
from app.services.evaluation import rewards
from app.services.jobs import queue
from app.services.org.permissions import require_role
from app.services.plan.access import ensure_plan_editor

# --- the Report --------------------------------------------------------------------------

def report_versions(cycle: Cycle) -> list[ReportVersion]:
    return list(db.session.execute(select(ReportVersion).where(
        ReportVersion.cycle_id == cycle.id).order_by(ReportVersion.number)).scalars())


def current_report(cycle: Cycle) -> ReportVersion | None:
    versions = report_versions(cycle)
    return versions[-1] if versions else None


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def enter_fund(actor: User, cycle: Cycle, funds: dict[str, Decimal]) -> None:
    """The fund of each pool, entered before the Report is drafted so that the Report
    the Board approves and the OIV validates states it; frozen once validated."""
    if validated_report(cycle) is not None:
        raise CycleError(_l("The Report stating the fund has been validated: the fund "
                            "can no longer change."))
    for group, amount in funds.items():
        rewards.set_pool(actor, cycle, group, amount)


REPORT_DRAFTED = "report_drafted"
DRAFT_REPORT_JOB = "cycle.draft_report"


def _check_draft(actor: User, cycle: Cycle) -> ReportVersion | None:
    ensure_plan_editor(actor)
    previous = current_report(cycle)
    if previous is not None and previous.status == ReportStatus.VALIDATED.value:
        raise CycleError(_l("The Report has already been validated."))
    if not rewards.pools(cycle):
        raise CycleError(_l("Enter the fund first: the Report states it."))
    return previous


def request_report_draft(actor: User, cycle: Cycle, note: str | None, master: ProcessInstance):
    """Record the job drawing a new version of the Report (a minute of rendering at a
    thousand people: never inside the request); what can be refused at once is refused
    here. The master waits for the job's end message before the Board's approval."""
    _check_draft(actor, cycle)
    return queue.enqueue(DRAFT_REPORT_JOB, [(cycle.id, _l("Performance Report %(year)s",
                                                           year=cycle.year))],
                         actor=actor, parameters={"cycle_id": cycle.id, "note": note},
                         cycle_id=cycle.id, parent=master, notify_message=REPORT_DRAFTED)


@dataclass(frozen=True)
class ReportDraft:
    """What a new version of the Report is drawn from, read in one short transaction:
    both documents as HTML (app.services.reports.pdf.html) and the state of the cycle
    they were read in, which the writing checks again (the PDFs are rendered between,
    with no transaction open: app.services.cycle.report_jobs)."""
    html: str
    public_html: str
    state: dict


def _draft_state(cycle: Cycle) -> dict:
    """What a version drawn meanwhile or a fund entered meanwhile would change."""
    previous = current_report(cycle)
    return {"previous": [previous.number, previous.status] if previous else None,
            "fund": {pool.group: str(pool.amount) for pool in rewards.pools(cycle)}}


def gather_report(actor: User, cycle: Cycle) -> ReportDraft:
    from app.services.reports import pdf as report_pdf

    _check_draft(actor, cycle)
    return ReportDraft(report_pdf.html(cycle), report_pdf.html(cycle, public=True),
                       _draft_state(cycle))


def write_report(actor: User, cycle: Cycle, note: str | None, draft: ReportDraft,
                 pdf: bytes, public: bytes) -> ReportVersion:
    """The new version from the rendered PDFs, refused when the cycle is no longer in
    the state the draft was read in (the new version would state stale figures)."""
    previous = _check_draft(actor, cycle)
    if _draft_state(cycle) != draft.state:
        raise CycleError(_l("While this version of the Report was being drawn, another "
                            "version was drawn or the fund changed: draw it again."))
    row = ReportVersion(cycle_id=cycle.id, number=(previous.number + 1) if previous else 1,
                        note=(note or "").strip() or None, pdf=pdf, pdf_sha256=_sha256(pdf),
                        public_pdf=public, public_sha256=_sha256(public),
                        drafted_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("cycle.report.draft", actor=actor, obj=row,
                 after={"number": row.number, "sha256": row.pdf_sha256,
                        "public_sha256": row.public_sha256})
    return row


def draft_report(actor: User, cycle: Cycle, note: str | None) -> ReportVersion:
    """A new version of the Report and of its public version, rendered once from the
    live data, in one go: the approval, the validation and the transparency page use
    these bytes. The job does the same in three transactions' time (report_jobs)."""
    from app.services.reports import pdf as report_pdf

    draft = gather_report(actor, cycle)
    return write_report(actor, cycle, note, draft, report_pdf.write(draft.html),
                        report_pdf.write(draft.public_html))


def _open_report(cycle: Cycle, status: ReportStatus) -> ReportVersion:
    report = current_report(cycle)
    if report is None or report.status != status.value:
        raise CycleError(_l("There is no Report waiting for this step."))
    return report


def approve_report(actor: User, cycle: Cycle, data: DeliberationInput) -> BoardDeliberation:
    report = _open_report(cycle, ReportStatus.DRAFT)
    row = record_deliberation(actor, cycle, DeliberationSubject.REPORT, data)
    report.status = (ReportStatus.APPROVED if data.approved else ReportStatus.SENT_BACK).value
    report.approval_id = row.id
    audit.record("cycle.report.board", actor=actor, obj=report, after={"status": report.status})
    return row


# --- the OIV's validation -----------------------------------------------------------------

# The message the master waits for once the validation is attached to both PDFs.
REPORT_VALIDATED = "report_validated"
ATTACH_VALIDATION_JOB = "cycle.attach_validation"
DOCUMENTS = ("", "public_")  # the Report and its public version, by column prefix


def validate_report(actor: User, cycle: Cycle, validated: bool, statement: str,
                    master: ProcessInstance | None = None) -> ReportVersion:
    """The OIV validates the approved Report with a signed statement, or refuses it with
    reasons. The decision is recorded here, at once; attaching the statement to the
    approved PDF and to its public version (app.services.reports.validation: seconds for
    a large Report) is a background job, whose end message the master waits for
    before the rewards."""
    require_role(actor, Role.OIV)
    report = _open_report(cycle, ReportStatus.APPROVED)
    statement = (statement or "").strip()
    if not statement:
        raise CycleError(_l("Write the statement (or the reasons for refusing)."))
    report.decided_by_id, report.decided_at = actor.id, utcnow()
    after = {"statement": statement}
    if validated:
        report.status, report.statement = ReportStatus.VALIDATED.value, statement
        after.update(approved_sha256=report.pdf_sha256, approved_public_sha256=report.public_sha256)
    else:
        report.status, report.refusal_reasons = ReportStatus.REFUSED.value, statement
        remark(actor, cycle, "cycle_report_validation", "report", statement)
    db.session.flush()
    audit.record("cycle.report.validation", actor=actor, obj=report,
                 after={"status": report.status, **after})
    if validated:
        label = _l("Validation of the Performance Report %(year)s", year=cycle.year)
        queue.enqueue(ATTACH_VALIDATION_JOB, [(report.id, label)], actor=actor,
                      cycle_id=cycle.id, parent=master, notify_message=REPORT_VALIDATED)
    return report


@dataclass(frozen=True)
class ValidationToAttach:
    """What the job attaching the OIV's validation reads in one short transaction: for
    each document (by column prefix) the approved bytes and the text to attach to them.
    The attaching takes seconds with no transaction open (report_jobs)."""
    version_id: int
    documents: dict[str, tuple[bytes, str]]


def _validated_version(version_id: int) -> ReportVersion:
    report = db.session.get(ReportVersion, version_id)
    if report is None or report.status != ReportStatus.VALIDATED.value:
        raise CycleError(_l("This version of the Report has not been validated."))
    return report


def gather_validation(version_id: int) -> ValidationToAttach:
    from app.services.reports import validation

    report = _validated_version(version_id)
    year = db.session.get(Cycle, report.cycle_id).year
    documents = {}
    for prefix in DOCUMENTS:
        approved = getattr(report, f"{prefix}pdf")
        documents[prefix] = (approved, validation.statement_text(
            year=year, number=report.number, approved=approved, statement=report.statement,
            validated_at=report.decided_at))
    return ValidationToAttach(report.id, documents)


def write_validation(actor: User, gathered: ValidationToAttach,
                     attached: dict[str, bytes]) -> ReportVersion:
    """Store each validated PDF (the approved bytes, then the attachment) with its
    fingerprint; the audit event holds the approved length and hash anyone checks it
    by. Stored once: writing again (a job done twice) changes nothing."""
    report = _validated_version(gathered.version_id)
    if report.validated_sha256 is not None:
        return report
    after = {}
    for prefix, (approved, _text) in gathered.documents.items():
        signed = attached[prefix]
        setattr(report, f"validated_{prefix}pdf", signed)
        setattr(report, f"validated_{prefix}sha256", _sha256(signed))
        after.update({f"approved_{prefix}sha256": _sha256(approved),
                      f"approved_{prefix}length": len(approved),
                      f"validated_{prefix}sha256": _sha256(signed)})
    db.session.flush()
    audit.record("cycle.report.validation_attached", actor=actor, obj=report, after=after)
    return report


def validated_report(cycle: Cycle) -> ReportVersion | None:
    """The current version when the OIV has validated it; its validated PDFs may still
    be being attached (validated_sha256 is then empty)."""
    report = current_report(cycle)
    return report if report is not None and report.status == ReportStatus.VALIDATED.value else None


def require_validated(cycle: Cycle, refusal) -> ReportVersion:
    """The validated Report, its validation attached; else CycleError with `refusal`
    (not validated) or saying the attaching is under way."""
    report = validated_report(cycle)
    if report is None:
        raise CycleError(refusal)
    if report.validated_sha256 is None:
        raise CycleError(_l("The OIV's validation is still being attached to the Report: "
                            "try again in a few minutes."))
    return report
