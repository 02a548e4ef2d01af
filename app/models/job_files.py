"""Files a background job reads or writes: the upload an import job validates and
applies, the document a rendering job produced, the report of what an import did.

They live beside the job rather than in the request, so that a request returns at once
with the file stored and the page shows the result whenever the worker is done."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class FileRole(str, enum.Enum):
    UPLOAD = "upload"  # what the user sent: the job's input
    RESULT = "result"  # what the job produced: a document, or its report as JSON


class JobFile(db.Model):
    __tablename__ = "job_file"
    __table_args__ = (UniqueConstraint("job_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
