"""The background job that starts each person's reminder task of a training due date
(app.services.people_plan.training.schedule_dues records it): one item per due date,
done once whatever the retries, since a started due keeps its instance."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models.training import TrainingDue
from app.services.jobs.registry import job_kind
from app.services.people_plan import training


@job_kind(training.DUE_JOB)
def start_due_reminder(job, key: str, _shared) -> None:
    due = db.session.get(TrainingDue, int(key))
    if due is None:
        raise LookupError(_l("This due date no longer exists."))
    training.start_reminder(job.created_by, due)
