"""The background job rendering a cycle's Report (app.services.reports.renderings)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models.job_files import FileRole
from app.models.plan import Cycle
from app.services.jobs import files
from app.services.jobs.registry import job_kind
from app.services.reports import pdf as report_document
from app.services.reports import renderings


@job_kind(renderings.RENDER_JOB)
def render(job, key: str, shared) -> None:
    cycle = db.session.get(Cycle, int(key))
    if cycle is None:
        raise LookupError(_l("This cycle no longer exists."))
    files.store(job, FileRole.RESULT, report_document.filename(cycle), "application/pdf",
                report_document.render(cycle))
