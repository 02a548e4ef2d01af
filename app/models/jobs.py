"""Background jobs: bulk work recorded by a request and done by `flask jobs work`.

A job is one bulk step (start the objective assignment of every person, for example);
its items are the units of that work, one per person or area, each with a business key
unique within the job, so that an item can never be queued, or done, twice. Counts on
the job are refreshed by the worker after every chunk, for the progress bars."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class JobStatus(str, enum.Enum):
    QUEUED = "queued"  # recorded, no item taken yet
    RUNNING = "running"  # items being done
    FAILED = "failed"  # nothing left to do but some items failed: waiting for a retry
    DONE = "done"  # every item done


class ItemStatus(str, enum.Enum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    __tablename__ = "job"
    __table_args__ = (Index("ix_job_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(100))
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED.value)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycle.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Whom to tell when every item is done: the BPMN message `notify_message`, sent to
    # the instance `parent_instance_id` (the master process waiting for its children).
    parent_instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("process_instance.id"), index=True)
    notify_message: Mapped[str | None] = mapped_column(String(100))

    created_by = relationship("User")

    @property
    def active(self) -> bool:
        return self.status != JobStatus.DONE.value


class JobItem(db.Model):
    __tablename__ = "job_item"
    __table_args__ = (
        UniqueConstraint("job_id", "key"),
        Index("ix_job_item_job_status", "job_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id"))
    key: Mapped[str] = mapped_column(String(200))  # the business key: a person's or unit's id
    label: Mapped[str] = mapped_column(String(200), default="")  # what the page shows
    status: Mapped[str] = mapped_column(String(20), default=ItemStatus.PENDING.value)
    # Written by the claiming UPDATE, so that the transaction finds the items it took;
    # it starts with the id of the worker process that did them.
    claim_token: Mapped[str | None] = mapped_column(String(32), index=True)
    # When a worker took an item of a kind that works outside the transaction
    # (app.services.jobs.queue._run_outside): committed with the claim, it keeps other
    # workers off the item for a lease, after which a killed worker's item is taken again.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    job: Mapped[Job] = relationship()
