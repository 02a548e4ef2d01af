"""The organisation import as background jobs (app.services.jobs.imports): the upload
is validated whole by one item, then written by ranges of rows
(app.services.org.imports.apply_rows)."""
from __future__ import annotations

from app.services.jobs import imports as background
from app.services.jobs.registry import job_kind
from app.services.org import imports
from app.services.org.permissions import ORG_ADMINS, require_role

VALIDATE_JOB, APPLY_JOB = "org.import", "org.import.apply"


def record(actor, filename: str, content: bytes):
    """Store the upload with its validation job; nothing else changes until the worker."""
    require_role(actor, *ORG_ADMINS)
    return background.record(VALIDATE_JOB, actor, filename, content)


def status() -> background.ImportStatus | None:
    return background.status(VALIDATE_JOB)


@job_kind(VALIDATE_JOB)
def validate(job, key: str, shared) -> None:
    background.validate(job, imports.validate_file, APPLY_JOB)


# One range of rows per transaction: about a second for a hundred people.
@job_kind(APPLY_JOB, prepare=background.rows_of, chunk=1)
def apply(job, key: str, rows) -> None:
    background.apply_range(job, key, rows, imports.apply_rows)
