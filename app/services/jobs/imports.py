"""Imports as background jobs, shared by the imports of the organisation, the plan and
the individual objectives: the upload is stored with a validation job of one item and
the request returns at once.

The validation item checks the whole file in the uploader's language (the same messages
the page showed when it ran in the request) and stores its report. A rejected file ends
there: nothing written. A clean one records the apply job, whose items are ranges of the
validated rows (kept as the apply job's upload), each written in its own chunk
transaction by the importer's `apply(actor, rows, first, last)`, which must be idempotent
(a "row" is whatever the importer writes as one: the individual objectives' are people,
each with their whole set). An import whose file is a whole that cannot be cut into
ranges (the plan's tree) is validated and applied by the one item instead
(validate_and_apply), as it was in the request. The import page follows the jobs
(status) and, at the end, shows the report."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import force_locale, get_locale
from sqlalchemy import select

from app.extensions import db
from app.models.job_files import FileRole
from app.models.jobs import Job, JobStatus
from app.services.jobs import files, queue
from app.services.org.imports import ImportReport

# Rows written per apply item: a chunk of ten items stays around a second on SQLite.
ROWS_PER_ITEM = 100


def record(kind: str, actor, filename: str, content: bytes, *, cycle_id: int | None = None,
           **parameters) -> Job:
    """The validation job of an upload, with the file stored beside it."""
    job = queue.enqueue(kind, [("file", filename)], actor=actor, cycle_id=cycle_id,
                        parameters={**parameters, "locale": str(get_locale() or "it")})
    files.store(job, FileRole.UPLOAD, filename, "application/octet-stream", content)
    return job


def validate(job: Job, check: Callable, apply_kind: str) -> None:
    """The validation item: check(actor, filename, content) -> (report, rows as data)."""
    upload = files.find(job, FileRole.UPLOAD)
    with force_locale(job.parameters.get("locale") or "it"):
        report, rows = check(job.created_by, upload.name, upload.content)
    result = report.as_data()
    if report.ok and rows:
        ranges = [(f"{first}-{min(first + ROWS_PER_ITEM, len(rows))}",
                   f"{rows[first]['line']}-{rows[min(first + ROWS_PER_ITEM, len(rows)) - 1]['line']}")
                  for first in range(0, len(rows), ROWS_PER_ITEM)]
        applying = queue.enqueue(apply_kind, ranges, actor=job.created_by, cycle_id=job.cycle_id,
                                 parameters={**job.parameters, "validated_by_job": job.id})
        files.store(applying, FileRole.UPLOAD, "rows.json", "application/json",
                    json.dumps(rows).encode())
        result["apply_job"] = applying.id
    files.store_json(job, "report.json", result)


class _Rejected(Exception):
    def __init__(self, report: ImportReport):
        super().__init__()
        self.report = report


def validate_and_apply(job: Job, run: Callable) -> None:
    """The one item of a whole-file import: run(actor, filename, content) validates the
    whole file and writes it only when every row is good; a rejected file's savepoint is
    rolled back all the same, so nothing it may have touched stays."""
    upload = files.find(job, FileRole.UPLOAD)
    with force_locale(job.parameters.get("locale") or "it"):
        try:
            with db.session.begin_nested():
                report = run(job.created_by, upload.name, upload.content)
                if not report.ok:
                    raise _Rejected(report)
        except _Rejected as rejected:
            report = rejected.report
    files.store_json(job, "report.json", report.as_data())


def rows_of(job: Job) -> list[dict]:
    """The validated rows an apply job writes (its items' `prepare`), decoded once per
    upload in this process: decoding a 25,000-row file took a quarter of a second, for
    each of its 250 chunks. The rows are shared: appliers only read them."""
    return _decoded(bytes(files.find(job, FileRole.UPLOAD).content))


@lru_cache(maxsize=2)
def _decoded(content: bytes) -> list[dict]:
    return json.loads(content)


def apply_range(job: Job, key: str, rows: list[dict], apply: Callable) -> None:
    first, _, last = key.partition("-")
    apply(job.created_by, rows, int(first), int(last))


@dataclass
class ImportStatus:
    """Where the last import of a page stands: validating (report None), rejected,
    being applied, or done."""
    job: Job
    report: ImportReport | None
    applying: Job | None

    @property
    def rejected(self) -> bool:
        return self.report is not None and not self.report.ok

    @property
    def done(self) -> bool:
        return self.report is not None and self.report.ok and (
            self.applying is None or self.applying.status == JobStatus.DONE.value)

    @property
    def running(self) -> list[Job]:
        """The jobs whose progress the page shows."""
        return [job for job in (self.job, self.applying)
                if job is not None and job.status != JobStatus.DONE.value]


def status(kind: str, cycle_id: int | None = None) -> ImportStatus | None:
    """The last import of this kind (of this cycle), whoever sent it."""
    same_cycle = Job.cycle_id.is_(None) if cycle_id is None else Job.cycle_id == cycle_id
    job = db.session.scalar(select(Job).where(Job.kind == kind, same_cycle)
                            .order_by(Job.id.desc()).limit(1))
    if job is None:
        return None
    data = files.read_json(job)
    report = None if data is None else ImportReport.from_data(data)
    applying = db.session.get(Job, data["apply_job"]) if data and data.get("apply_job") else None
    return ImportStatus(job, report, applying)
