"""The background job drawing a new version of a cycle's Report and of its public
version (app.services.cycle.operations.request_report_draft records it). Its one item is
the cycle; the version is written in the item's transaction, so a worker killed while
rendering leaves nothing and the next run draws it again."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models.plan import Cycle
from app.services.cycle import operations as cycle_service
from app.services.jobs.registry import job_kind


@job_kind(cycle_service.DRAFT_REPORT_JOB)
def draft(job, key: str, shared) -> None:
    cycle = db.session.get(Cycle, int(key))
    if cycle is None:
        raise LookupError(_l("This cycle no longer exists."))
    cycle_service.draft_report(job.created_by, cycle, job.parameters.get("note"))
