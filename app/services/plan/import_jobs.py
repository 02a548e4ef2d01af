"""The plan's import and the import of individual objectives as background jobs
(app.services.jobs.imports). Each file is one whole: the plan's tree is replaced by the
file's (what it no longer names is removed), each person named gets exactly the
objectives of their rows; so one item validates the whole file and writes it, in one
chunk transaction, as the request did before."""
from __future__ import annotations

from app.extensions import db
from app.models.plan import Cycle
from app.services.jobs import imports as background
from app.services.jobs.registry import job_kind
from app.services.plan import imports, individual
from app.services.plan.access import ensure_plan_editor

PLAN_JOB, INDIVIDUAL_JOB = "plan.import", "plan.import_individual"


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
def import_individual(job, key: str, shared) -> None:
    background.validate_and_apply(
        job, lambda actor, name, content: individual.import_individual(actor, _cycle(job), name, content))
