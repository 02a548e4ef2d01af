"""The plan's import and the import of individual objectives as background jobs
(app.services.jobs.imports). The plan's file is one whole (its tree is replaced by the
file's: what it no longer names is removed), so one item validates it and writes it in
one chunk transaction, as the request did before. The individual objectives are
validated whole by one item, then written by ranges of people
(app.services.plan.individual_import)."""
from __future__ import annotations

from app.extensions import db
from app.models.plan import Cycle
from app.services.jobs import imports as background
from app.services.jobs.registry import job_kind
from app.services.plan import imports, individual_import
from app.services.plan.access import ensure_plan_editor

PLAN_JOB, INDIVIDUAL_JOB = "plan.import", "plan.import_individual"
INDIVIDUAL_APPLY_JOB = "plan.import_individual.apply"


def record(kind: str, actor, cycle: Cycle, filename: str, content: bytes):
    """Store the upload with its job; nothing else changes until the worker."""
    ensure_plan_editor(actor)
    return background.record(kind, actor, filename, content, cycle_id=cycle.id, cycle=cycle.id)


def status(kind: str, cycle: Cycle) -> background.ImportStatus | None:
    return background.status(kind, cycle.id)


def _cycle(job) -> Cycle:
    return db.session.get(Cycle, job.parameters["cycle"])


@job_kind(PLAN_JOB)
def import_plan(job, key: str, shared) -> None:
    background.validate_and_apply(
        job, lambda actor, name, content: imports.import_plan(actor, _cycle(job), name, content))


@job_kind(INDIVIDUAL_JOB)
def validate_individual(job, key: str, shared) -> None:
    background.validate(job, lambda actor, name, content: individual_import.validate_file(
        actor, _cycle(job), name, content), INDIVIDUAL_APPLY_JOB)


# One range of people per transaction (jobs.imports.ROWS_PER_ITEM of them).
@job_kind(INDIVIDUAL_APPLY_JOB, prepare=background.rows_of, chunk=1)
def apply_individual(job, key: str, people) -> None:
    background.apply_range(job, key, people, lambda actor, entries, first, last:
                           individual_import.apply_people(actor, _cycle(job), entries, first, last))
