"""The files of a job (app.models.job_files): the upload it reads, the result it
writes. Storing a result again replaces it, so an item done twice leaves one file."""
from __future__ import annotations

import hashlib
import json

from sqlalchemy import delete, select

from app.extensions import db
from app.models.job_files import FileRole, JobFile
from app.models.jobs import Job


def store(job: Job, role: FileRole, name: str, media_type: str, content: bytes) -> JobFile:
    db.session.execute(delete(JobFile).where(JobFile.job_id == job.id, JobFile.role == role.value))
    row = JobFile(job_id=job.id, role=role.value, name=name[:200], media_type=media_type,
                  content=content, sha256=hashlib.sha256(content).hexdigest())
    db.session.add(row)
    db.session.flush()
    return row


def find(job: Job, role: FileRole) -> JobFile | None:
    return db.session.scalar(select(JobFile).where(JobFile.job_id == job.id,
                                                   JobFile.role == role.value))


def store_json(job: Job, name: str, value) -> JobFile:
    """A job's report (what an import did) as its JSON result."""
    return store(job, FileRole.RESULT, name, "application/json",
                 json.dumps(value, ensure_ascii=False, sort_keys=True).encode())


def read_json(job: Job):
    row = find(job, FileRole.RESULT)
    return None if row is None else json.loads(row.content)
