"""The background job drawing a new version of a cycle's Report and of its public
version (app.services.cycle.report.request_report_draft records it). Its one item is
the cycle, done in three steps so that no transaction lasts the seconds of rendering
(app.services.jobs.queue._run_outside): the figures are read as HTML in a short
transaction, both PDFs are rendered with none open, and the version is written in a
last short one that first checks the cycle is still as it was read. A worker killed
while rendering writes nothing: the next one draws the version again."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models.plan import Cycle
from app.services.cycle import report as cycle_report
from app.services.jobs.registry import job_kind
from app.services.reports import pdf as report_pdf


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
