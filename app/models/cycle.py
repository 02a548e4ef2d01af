"""What the steps of the cycle workflow record beside the plan and the evaluations: the
Board's deliberations with their attached act, the remarks that send a step back, the
OIV's monitoring report and its evaluation of the organisation (with the proposal for
the Secretary General), and the versions of the Report with the OIV's validation."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class DeliberationSubject(str, enum.Enum):
    PLAN = "plan"
    REVISION = "revision"
    SG_EVALUATION = "sg_evaluation"
    REPORT = "report"
    FUND = "fund"
    RISK_SECTION = "risk_section"  # the corruption-risk section (app.services.risk)


class DeliberationOutcome(str, enum.Enum):
    APPROVED = "approved"
    SENT_BACK = "sent_back"


class BoardDeliberation(db.Model):
    """A numbered, dated act of the Board (Giunta) taken in the cycle, with its PDF."""

    __tablename__ = "board_deliberation"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    subject: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(40))
    date: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    attachment: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    attachment_sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    recorded_by = relationship("User")


class CycleRemark(db.Model):
    """Why a step sent the cycle back (or what it noted): shown on the next task."""

    __tablename__ = "cycle_remark"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    step: Mapped[str] = mapped_column(String(60))  # the form key of the step that wrote it
    concerns: Mapped[str] = mapped_column(String(30))  # plan | revision | report | rewards ...
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author = relationship("User")


class OivMonitoringReport(db.Model):
    """The OIV's report on the July monitoring, to the President and the Board."""

    __tablename__ = "oiv_monitoring_report"
    __table_args__ = (UniqueConstraint("cycle_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=1)
    text: Mapped[str] = mapped_column(Text)
    indicators_at_risk: Mapped[int] = mapped_column(Integer, default=0)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OivEvaluation(db.Model):
    """The OIV's evaluation of the organisation's performance and its proposal for the
    evaluation of the Secretary General."""

    __tablename__ = "oiv_evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), unique=True)
    organisation_achievement: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    assessment: Mapped[str] = mapped_column(Text)
    sg_proposed_score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    sg_proposal: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    noted_by_deliberation_id: Mapped[int | None] = mapped_column(ForeignKey("board_deliberation.id"))


class ReportStatus(str, enum.Enum):
    DRAFT = "draft"
    APPROVED = "approved"  # by the Board
    SENT_BACK = "sent_back"  # by the Board
    REFUSED = "refused"  # by the OIV
    VALIDATED = "validated"  # by the OIV


class ReportVersion(db.Model):
    """One version of the Report (Relazione sulla performance) as drafted: the PDF and its
    public version (no individual evaluation, no cell under the disclosure minimum), both
    rendered once at drafting, so what the Board approves is what the OIV validates and
    what the transparency page publishes. When validated, each validated PDF is the
    drafted PDF's exact bytes followed by an incremental update attaching the OIV's
    validation (app.services.reports.validation): its first len(pdf) bytes still hash to
    pdf_sha256."""

    __tablename__ = "report_version"
    __table_args__ = (UniqueConstraint("cycle_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=ReportStatus.DRAFT.value)
    note: Mapped[str | None] = mapped_column(Text)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approval_id: Mapped[int | None] = mapped_column(ForeignKey("board_deliberation.id"))
    statement: Mapped[str | None] = mapped_column(Text)
    refusal_reasons: Mapped[str | None] = mapped_column(Text)
    validated_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    validated_sha256: Mapped[str | None] = mapped_column(String(64))
    public_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    public_sha256: Mapped[str | None] = mapped_column(String(64))
    validated_public_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    validated_public_sha256: Mapped[str | None] = mapped_column(String(64))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    approval = relationship("BoardDeliberation")


class DashboardSnapshot(db.Model):
    """The cycle dashboard's figures over everyone (achievements, distribution, people
    per step, open tasks per step and unit) as last drawn, in one language: at 25,000
    people they cost a core for a fraction of a second, and the support unit reloads
    the page all day. Every app server reads the same row
    (app.services.reports.snapshots)."""

    __tablename__ = "dashboard_snapshot"
    __table_args__ = (UniqueConstraint("cycle_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(10))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[str] = mapped_column(Text)  # JSON: each part's HTML by name
