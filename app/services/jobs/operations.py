"""What people do with jobs: follow their progress, retry a failed item."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models.jobs import ItemStatus, Job, JobItem, JobStatus
from app.models.org import Role, User
from app.services.jobs import wakeup
from app.services.org.permissions import require_role

# Whom the failed items are shown to and who may retry them: those who run the cycle.
OPERATORS = (Role.SUPPORT_UNIT, Role.ADMIN)


class JobError(ValueError):
    """A refused action on a job; the message is for the user."""


def is_operator(actor: User) -> bool:
    return actor.has_role(*OPERATORS)


def jobs_to_show(cycle_id: int | None = None) -> list[Job]:
    """Running jobs, and finished ones with failed items, newest first (of one cycle
    when given)."""
    query = select(Job).where(Job.status != JobStatus.DONE.value)
    if cycle_id is not None:
        query = query.where(Job.cycle_id == cycle_id)
    return list(db.session.scalars(query.order_by(Job.id.desc())))


def failed_items(job: Job) -> list[JobItem]:
    return list(db.session.scalars(select(JobItem).where(
        JobItem.job_id == job.id, JobItem.status == ItemStatus.FAILED.value).order_by(JobItem.id)))


def retry_item(actor: User, item: JobItem) -> None:
    """Put a failed item back in the queue; the next worker chunk does it again."""
    require_role(actor, *OPERATORS)
    if item.status != ItemStatus.FAILED.value:
        raise JobError(_l("This item has not failed: there is nothing to retry."))
    error = item.error
    item.status = ItemStatus.PENDING.value
    job = item.job
    job.failed = max(job.failed - 1, 0)
    job.status, job.finished_at = JobStatus.RUNNING.value, None
    audit.record("job.retry", actor=actor, obj=item,
                 after={"job_id": job.id, "key": item.key, "error": error})
    wakeup.notify()
