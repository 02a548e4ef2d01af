"""The yearly corruption-risk register of a plan year: its configuration (the scales and
the bands of each band method), the risk items on the process map, the prevention
measures, the managers' reports on the measures, the RPCT's periodic checks and the
RPCT's yearly report.

A risk year belongs to the cycle of the same year, so its process instances, its
inbox tasks and the performance objectives its measures link to share the cycle."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class RiskYearStatus(str, enum.Enum):
    DRAFT = "draft"  # the RPCT updates the register and the measures
    ADOPTED = "adopted"  # the Board adopted the section: the register is frozen


class RiskYear(db.Model):
    """The corruption-risk section of one plan year and its configuration.

    `bands` maps each band method (app.models.risk.BandMethod) to its bands, lowest
    first, as [[upper bound, band code], ...]: a level belongs to the first band whose
    upper bound it does not exceed (upper bounds inclusive, app.scoring.risk)."""

    __tablename__ = "risk_year"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=RiskYearStatus.DRAFT.value)
    probability_max: Mapped[int] = mapped_column(Integer, default=5)
    impact_max: Mapped[int] = mapped_column(Integer, default=5)
    bands: Mapped[dict] = mapped_column(JSON)
    mid_year_due: Mapped[date] = mapped_column(Date)
    year_end_due: Mapped[date] = mapped_column(Date)
    deliberation_number: Mapped[str | None] = mapped_column(String(40))
    deliberation_date: Mapped[date | None] = mapped_column(Date)
    adopted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    cycle = relationship("Cycle")
    items: Mapped[list[RiskItem]] = relationship(
        back_populates="year", order_by="RiskItem.code", cascade="all, delete-orphan")
    measures: Mapped[list[RiskMeasure]] = relationship(
        back_populates="year", order_by="RiskMeasure.code", cascade="all, delete-orphan")
    checks: Mapped[list[PeriodicCheck]] = relationship(
        back_populates="year", order_by="PeriodicCheck.position", cascade="all, delete-orphan")


item_measure = Table(
    "risk_item_measure", db.metadata,
    Column("item_id", ForeignKey("risk_item.id", ondelete="CASCADE"), primary_key=True),
    Column("measure_id", ForeignKey("risk_measure.id", ondelete="CASCADE"), primary_key=True),
)


class RiskItem(db.Model):
    """A risk event of a process (or one of its phases) and its assessment."""

    __tablename__ = "risk_item"
    __table_args__ = (UniqueConstraint("year_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("risk_year.id", ondelete="CASCADE"),
                                         index=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("mapped_process.id"), index=True)
    phase_id: Mapped[int | None] = mapped_column(ForeignKey("process_phase.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    event: Mapped[str] = mapped_column(Text)
    factors: Mapped[str | None] = mapped_column(Text)
    analysis: Mapped[str | None] = mapped_column(Text)
    probability: Mapped[int] = mapped_column(Integer)
    impact: Mapped[int] = mapped_column(Integer)
    level: Mapped[Decimal] = mapped_column(Numeric(6, 2), index=True)
    judgement: Mapped[str | None] = mapped_column(Text)

    year: Mapped[RiskYear] = relationship(back_populates="items")
    process = relationship("MappedProcess")
    phase = relationship("ProcessPhase")
    measures: Mapped[list[RiskMeasure]] = relationship(
        secondary=item_measure, back_populates="items", order_by="RiskMeasure.code")


class MeasureKind(str, enum.Enum):
    GENERAL = "general"
    SPECIFIC = "specific"


class RiskMeasure(db.Model):
    """A prevention measure: who applies it, by when, how it is measured, and (for
    measures in the performance plan) the objective tagged "A" that carries it."""

    __tablename__ = "risk_measure"
    __table_args__ = (UniqueConstraint("year_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("risk_year.id", ondelete="CASCADE"),
                                         index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    deadline: Mapped[date | None] = mapped_column(Date)
    indicator: Mapped[str | None] = mapped_column(String(300))
    target: Mapped[str | None] = mapped_column(String(200))
    objective_id: Mapped[int | None] = mapped_column(
        ForeignKey("objective.id", ondelete="SET NULL"), index=True)

    year: Mapped[RiskYear] = relationship(back_populates="measures")
    owner_unit = relationship("OrgUnit")
    objective = relationship("Objective")
    items: Mapped[list[RiskItem]] = relationship(
        secondary=item_measure, back_populates="measures", order_by="RiskItem.code")


class ObjectiveTag(db.Model):
    """A PIAO tag on a performance objective: "A" anti-corruption, "S" simplification,
    "C" accessibility. Measures link only to objectives tagged "A"."""

    __tablename__ = "objective_tag"
    __table_args__ = (UniqueConstraint("objective_id", "tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("objective.id", ondelete="CASCADE"), index=True)
    tag: Mapped[str] = mapped_column(String(1))


class ReportRound(str, enum.Enum):
    MID_YEAR = "mid_year"
    YEAR_END = "year_end"


class Application(str, enum.Enum):
    APPLIED = "applied"
    PARTLY = "partly"
    NOT_APPLIED = "not_applied"


class MeasureReport(db.Model):
    """A manager's report, in one round, on one measure in their unit's processes."""

    __tablename__ = "measure_report"
    __table_args__ = (UniqueConstraint("measure_id", "round", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("risk_measure.id", ondelete="CASCADE"),
                                            index=True)
    round: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    application: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[str | None] = mapped_column(Text)
    proposal: Mapped[str | None] = mapped_column(Text)
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    measure: Mapped[RiskMeasure] = relationship()
    unit = relationship("OrgUnit")
    reported_by = relationship("User")


class CheckMethod(str, enum.Enum):
    SAMPLE = "sample"  # a campione
    EVERY_CASE = "every_case"  # puntuale


class Periodicity(str, enum.Enum):
    """How often a check falls due; NONE ("-") checks every case as it comes and is
    accounted for once, at year end."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"
    NONE = "none"


class PeriodicCheck(db.Model):
    """A row of the RPCT's checks table (process, measure code, method, periodicity)."""

    __tablename__ = "periodic_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("risk_year.id", ondelete="CASCADE"),
                                         index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    process_name: Mapped[str] = mapped_column(String(300))
    measure_code: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(20))
    periodicity: Mapped[str] = mapped_column(String(20))

    year: Mapped[RiskYear] = relationship(back_populates="checks")
    outcomes: Mapped[list[CheckOutcome]] = relationship(
        back_populates="check", order_by="CheckOutcome.due", cascade="all, delete-orphan")


class CheckOutcome(db.Model):
    """What one period's check found."""

    __tablename__ = "check_outcome"
    __table_args__ = (UniqueConstraint("check_id", "due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("periodic_check.id", ondelete="CASCADE"),
                                          index=True)
    due: Mapped[date] = mapped_column(Date)
    cases_checked: Mapped[int] = mapped_column(Integer)
    irregular_cases: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    check: Mapped[PeriodicCheck] = relationship(back_populates="outcomes")
    recorded_by = relationship("User")


class RpctReportStatus(str, enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"


class RpctReport(db.Model):
    """The RPCT's yearly report: the text and the PDF produced from the year's data."""

    __tablename__ = "rpct_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("risk_year.id", ondelete="CASCADE"),
                                         unique=True)
    status: Mapped[str] = mapped_column(String(20), default=RpctReportStatus.DRAFT.value)
    summary: Mapped[str] = mapped_column(Text)
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    year: Mapped[RiskYear] = relationship()
