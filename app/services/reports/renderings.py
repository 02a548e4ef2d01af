"""The Report of a cycle rendered in the background: a reader asks for it, a job of one
item renders the PDF from the live data (app.services.reports.pdf, a few seconds of
WeasyPrint) and stores the bytes beside the job; the page shows the job's progress,
then offers the stored document with the instant it was drawn.

The rendering job's one item is the cycle: done again it replaces its document. A new
request while one is queued or running returns that job rather than queue a second."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.job_files import FileRole, JobFile
from app.models.jobs import Job, JobStatus
from app.models.org import Role
from app.services.jobs import files, queue
from app.services.org.permissions import ORG_WIDE, require_role
from app.services.reports import pdf as report_document

RENDER_JOB = "reports.render_report"
# Who reads the Report as it stands (aggregates only), and so may have it rendered.
READERS = (*ORG_WIDE, Role.BOARD)


def _jobs(cycle):
    return select(Job).where(Job.kind == RENDER_JOB, Job.cycle_id == cycle.id).order_by(Job.id.desc())


def request_rendering(actor, cycle) -> Job:
    """Record the job rendering the Report of `cycle` (or give the one already waiting)."""
    require_role(actor, *READERS)
    waiting = running(cycle)
    if waiting is not None:
        return waiting
    return queue.enqueue(RENDER_JOB, [(cycle.id, report_document.filename(cycle))], actor=actor,
                         parameters={"cycle_id": cycle.id}, cycle_id=cycle.id)


def running(cycle) -> Job | None:
    """The rendering still to finish (queued, running or stopped on its failed item)."""
    return db.session.scalar(_jobs(cycle).where(Job.status != JobStatus.DONE.value).limit(1))


def latest(cycle) -> tuple[Job, JobFile] | None:
    """The last rendering done, with its document."""
    job = db.session.scalar(_jobs(cycle).where(Job.status == JobStatus.DONE.value).limit(1))
    if job is None:
        return None
    document = files.find(job, FileRole.RESULT)
    return None if document is None else (job, document)
