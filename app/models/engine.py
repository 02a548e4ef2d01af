"""What the workflow engine persists: deployed definitions, running instances, the inbox
mirror of their human tasks, messages between instances, and outgoing notifications.

The SpiffWorkflow state of an instance is one JSON document without the spec (the spec is
stored once per definition version). Everything the user interface lists is queried from
`human_task`, never from that JSON."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class ProcessDefinition(db.Model):
    """One deployed version of one BPMN process. Immutable once written: a changed file
    becomes a new version, and instances keep the version they started with."""

    __tablename__ = "process_definition"
    __table_args__ = (UniqueConstraint("process_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(String(255))
    library_version: Mapped[str] = mapped_column(String(20))
    # Large columns load only when needed: the spec once per process (then cached), the
    # XML only for the diagram page.
    bpmn_xml: Mapped[str] = mapped_column(Text, deferred=True)
    spec_json: Mapped[str] = mapped_column(Text, deferred=True)
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class InstanceStatus(str, enum.Enum):
    RUNNING = "running"
    COMPLETED = "completed"


class ProcessInstance(db.Model):
    __tablename__ = "process_instance"
    __table_args__ = (
        # One running instance per process and business key (one evaluation per person
        # and cycle); finished ones may repeat the key.
        Index(
            "uq_process_instance_running_key", "process_id", "business_key", unique=True,
            postgresql_where=text("status = 'running'"), sqlite_where=text("status = 'running'"),
        ),
        # "Does a sibling of this batch still run?", asked by every child that ends.
        Index(
            "ix_process_instance_running_children", "parent_id", "end_message", "id",
            postgresql_where=text("status = 'running'"), sqlite_where=text("status = 'running'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definition.id"), index=True)
    process_id: Mapped[str] = mapped_column(String(100), index=True)
    business_key: Mapped[str] = mapped_column(String(200), index=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycle.id"), index=True)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    # Delivered to the parent as a BPMN message once the last child carrying it ends.
    end_message: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default=InstanceStatus.RUNNING.value)
    state: Mapped[str] = mapped_column(Text, deferred=True)
    serializer_version: Mapped[str] = mapped_column(String(10))
    next_timer_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__: ClassVar[dict] = {"version_id_col": version}

    definition: Mapped[ProcessDefinition] = relationship()
    parent: Mapped[ProcessInstance | None] = relationship(remote_side=[id])

    @property
    def running(self) -> bool:
        return self.status == InstanceStatus.RUNNING.value


class TaskStatus(str, enum.Enum):
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"  # the engine withdrew it (an interrupting timer, for example)


OPEN_POOLED = "status = 'open' AND assignee_id IS NULL"
ASSIGNED = "assignee_id IS NOT NULL"


class HumanTask(db.Model):
    """The inbox row of one READY manual task.

    Assignment: `assignee_id` names one person (lanes Evaluator and Employee, or after a
    reassignment); otherwise the task is pooled to the holders of `role`, limited for
    unit-scoped roles to those heading `org_unit_id`, and one of them claims it
    (`claimed_by_id`) before completing it."""

    __tablename__ = "human_task"
    __table_args__ = (
        # Only the assigned tasks: the pooled ones (assignee NULL) have the pool index, which
        # SQLite would otherwise pass over for this one's two equalities.
        Index("ix_human_task_inbox_assignee", "assignee_id", "status", "due_at",
              postgresql_where=text(ASSIGNED), sqlite_where=text(ASSIGNED)),
        Index("ix_human_task_inbox_claimed", "claimed_by_id", "status", "due_at"),
        # The pooled inbox: open unassigned tasks only, in page order within a role, with
        # every column its filters, counts and task types read, so that the database
        # answers them from the index alone (even status and assignee_id, constant here:
        # SQLite covers a query only with every column it names).
        Index("ix_human_task_open_pool", "role", "due_at", "id", "org_unit_id", "subject_id",
              "claimed_by_id", "cycle_id", "bpmn_id", "title", "status", "assignee_id",
              postgresql_where=text(OPEN_POOLED), sqlite_where=text(OPEN_POOLED)),
        Index("ix_human_task_instance_status", "instance_id", "status"),
        # No index leads with `status`: the planner would prefer it to the selective ones.
        Index("ix_human_task_escalated_to", "escalated_to_id", "status", "due_at"),
        # The dashboard: a cycle's open tasks per step and unit, the late ones by due date
        # and id (a bulk step's tasks share one due date: the id orders them in the index).
        Index("ix_human_task_cycle_status", "cycle_id", "status", "due_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"))
    task_guid: Mapped[str] = mapped_column(String(36), unique=True)
    bpmn_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    form_key: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(40))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Whom the lane resolved to when the task opened: a reassignment changes assignee_id,
    # never this, so the rightful evaluator can take the task back.
    lane_assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycle.id"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    status: Mapped[str] = mapped_column(String(20), default=TaskStatus.OPEN.value)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the next reminder or escalation is due; NULL once done or when the task closes,
    # so that the tick's indexed scan only meets pending work.
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalate_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalated_to_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__: ClassVar[dict] = {"version_id_col": version}

    # Read-only: a row is written through its ids (inbox._new_row, reassignments), and
    # a flush then skips these relationships, twice per task completion.
    instance: Mapped[ProcessInstance] = relationship(viewonly=True)
    assignee = relationship("User", foreign_keys=[assignee_id], viewonly=True)
    claimed_by = relationship("User", foreign_keys=[claimed_by_id], viewonly=True)
    subject = relationship("User", foreign_keys=[subject_id], viewonly=True)
    org_unit = relationship("OrgUnit", viewonly=True)
    cycle = relationship("Cycle", viewonly=True)

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN.value

    @property
    def pooled(self) -> bool:
        return self.assignee_id is None

    @property
    def holder_id(self) -> int | None:
        """Who must act now: the assignee, else whoever claimed the pooled task."""
        return self.assignee_id or self.claimed_by_id

    def overdue(self, now: datetime) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < now


class ProcessMessage(db.Model):
    """A BPMN message addressed to one instance. The unique key makes a second delivery
    of the same message a no-op; an undelivered row waits until the instance reaches a
    catch event for it."""

    __tablename__ = "process_message"
    __table_args__ = (UniqueConstraint("instance_id", "name", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict | None] = mapped_column(JSON)
    sender_instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NotificationStatus(str, enum.Enum):
    QUEUED = "queued"  # waiting for the SMTP dispatcher
    SENT = "sent"
    OUTBOX = "outbox"  # no SMTP configured: kept for the administrator to read
    FAILED = "failed"  # every attempt failed: shown to the administrator to retry
    HELD = "held"  # waiting for the person's daily digest
    DIGESTED = "digested"  # went out inside a digest (a notification of kind "digest")


class Notification(db.Model):
    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_status", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_task.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # After a failed attempt, not before this instant (backoff).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship("User")


class WorkflowDraft(db.Model):
    """An administrator's unsaved-to-deployment work on a diagram: one per process id,
    kept until it is deployed or discarded. Running instances never see a draft."""

    __tablename__ = "workflow_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100), unique=True)
    bpmn_xml: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    updated_by = relationship("User")


class TaskDraft(db.Model):
    """The answers of a task form saved without completing the task (the evaluator's
    grid saves ratings person by person, the task page shows them again). One per task;
    `version` grows at every save, and a save or completion carrying an older version
    is refused (409) rather than overwriting newer answers. Deleted when the task is
    completed: the domain tables then hold the answers."""

    __tablename__ = "task_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"),
                                         unique=True)
    data: Mapped[dict] = mapped_column(JSON)
    saved_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
