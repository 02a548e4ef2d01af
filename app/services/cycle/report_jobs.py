"""The background jobs of a cycle's Report: drawing a new version of it and of its public
version (app.services.cycle.report.request_report_draft records it), and attaching the
OIV's validation to both (app.services.cycle.report.validate_report records it).

Each has one item (the cycle; the validated version) done in three steps so that no
transaction lasts the seconds of the work on the PDFs (app.services.jobs.queue._run_outside):
what is needed is read in a short transaction, the PDFs are rendered, or the validation
attached to them, with none open, and the result is written in a last short one, which
first checks the Report is still as it was read. A worker killed in the middle writes
nothing: the next one does the item again."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models.plan import Cycle
from app.services.cycle import report as cycle_report
from app.services.jobs.registry import job_kind
from app.services.reports import pdf as report_pdf
from app.services.reports import validation


def _cycle(key: str) -> Cycle:
    cycle = db.session.get(Cycle, int(key))
    if cycle is None:
        raise LookupError(_l("This cycle no longer exists."))
    return cycle


def _gather(job, key: str) -> cycle_report.ReportDraft:
    return cycle_report.gather_report(job.created_by, _cycle(key))


def _render(draft: cycle_report.ReportDraft) -> tuple:
    return draft, report_pdf.write(draft.html), report_pdf.write(draft.public_html)


@job_kind(cycle_report.DRAFT_REPORT_JOB, gather=_gather, produce=_render)
def draft(job, key: str, rendered) -> None:
    report, pdf, public = rendered
    cycle_report.write_report(job.created_by, _cycle(key), job.parameters.get("note"),
                              report, pdf, public)


def _gather_validation(job, key: str) -> cycle_report.ValidationToAttach:
    return cycle_report.gather_validation(int(key))


def _attach(gathered: cycle_report.ValidationToAttach) -> tuple:
    return gathered, {prefix: validation.attach(approved, text)
                      for prefix, (approved, text) in gathered.documents.items()}


@job_kind(cycle_report.ATTACH_VALIDATION_JOB, gather=_gather_validation, produce=_attach)
def attach_validation(job, key: str, attached) -> None:
    gathered, documents = attached
    cycle_report.write_validation(job.created_by, gathered, documents)
