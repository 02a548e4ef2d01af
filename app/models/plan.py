"""The cycle and its plan: strategic areas, the objective tree, indicators, individual
objectives and the evaluation system (SMVP) in force for the cycle.

The live tables hold the current plan. Each approved revision keeps a JSON snapshot of
the plan's content, so revisions can be compared long after the live rows changed."""
from __future__ import annotations

import calendar
import enum
import re
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from app.extensions import db
from app.models.types import UTCDateTime, utcnow
from app.scoring.values import NOT_MET, DateRange, NotMet

WEIGHT = Numeric(7, 4)
MONEY = Numeric(16, 2)


class CycleStatus(str, enum.Enum):
    DRAFT = "draft"
    RUNNING = "running"
    CLOSED = "closed"


def _last_of_february(year: int) -> date:
    return date(year, 2, calendar.monthrange(year, 2)[1])


# The yearly calendar of DOMAIN.md (Turin's dates); each date is a column of Cycle so
# that an administration can move it. Keys are column names, values the default.
CALENDAR_DEFAULTS = {
    "strategic_objectives_due": lambda y: date(y - 1, 12, 31),
    "plan_due": lambda y: date(y, 1, 31),
    "assignment_due": _last_of_february,
    "monitoring_start": lambda y: date(y, 7, 1),
    "monitoring_due": lambda y: date(y, 9, 30),
    "revision_due": lambda y: date(y, 10, 31),
    "measurement_due": lambda y: date(y + 1, 4, 30),
    # After the Board has noted the OIV's evaluation (31 May): DOMAIN's calendar, June.
    "evaluation_due": lambda y: date(y + 1, 6, 30),
    "oiv_evaluation_due": lambda y: date(y + 1, 5, 31),
    "report_due": lambda y: date(y + 1, 6, 30),
}


def default_calendar(year: int) -> dict[str, date]:
    return {name: default(year) for name, default in CALENDAR_DEFAULTS.items()}


def _calendar_column(name: str):
    """A date column whose insert default follows the cycle's year."""

    def default(context):
        return CALENDAR_DEFAULTS[name](context.get_current_parameters()["year"])

    return mapped_column(Date, default=default)


class Cycle(db.Model):
    """One year of the performance cycle of an administration."""

    __tablename__ = "cycle"
    __table_args__ = (UniqueConstraint("administration_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=CycleStatus.DRAFT.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    strategic_objectives_due: Mapped[date] = _calendar_column("strategic_objectives_due")
    plan_due: Mapped[date] = _calendar_column("plan_due")
    assignment_due: Mapped[date] = _calendar_column("assignment_due")
    monitoring_start: Mapped[date] = _calendar_column("monitoring_start")
    monitoring_due: Mapped[date] = _calendar_column("monitoring_due")
    revision_due: Mapped[date] = _calendar_column("revision_due")
    measurement_due: Mapped[date] = _calendar_column("measurement_due")
    evaluation_due: Mapped[date] = _calendar_column("evaluation_due")
    oiv_evaluation_due: Mapped[date] = _calendar_column("oiv_evaluation_due")
    report_due: Mapped[date] = _calendar_column("report_due")

    plan: Mapped[Plan | None] = relationship(back_populates="cycle", uselist=False)


# --- values of indicators ----------------------------------------------------------------

class ValueKind(str, enum.Enum):
    NUMBER = "number"
    DATE = "date"
    BOOLEAN = "boolean"


IndicatorValue = Decimal | date | bool | DateRange | NotMet
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})$")
NOT_MET_TEXT = "not-met"


def encode_value(value: IndicatorValue | None) -> str | None:
    """The canonical text of an indicator value: '12.5', '2022-11-30', 'yes' or 'no',
    'not-met' (a deadline never met), '2022-03-01/2022-04-15' (a date range)."""
    if value is None:
        return None
    if value is NOT_MET:
        return NOT_MET_TEXT
    if isinstance(value, DateRange):
        return f"{value.start.isoformat()}/{value.end.isoformat()}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("indicator values must be finite")
        text = format(value.normalize(), "f")
        return "0" if text == "-0" else text
    raise TypeError(f"unsupported indicator value {value!r}")


def decode_value(text: str | None) -> IndicatorValue | None:
    if text is None:
        return None
    if text in ("yes", "no"):
        return text == "yes"
    if text == NOT_MET_TEXT:
        return NOT_MET
    period = _ISO_RANGE.match(text)
    if period:
        return DateRange(date.fromisoformat(period[1]), date.fromisoformat(period[2]))
    if _ISO_DATE.match(text):
        return date.fromisoformat(text)
    return Decimal(text)


class PlanValue(TypeDecorator):
    """A number, a date or a yes/no answer, stored as canonical text. The indicator's
    unit says which kind it must be; text keeps numbers exact (Decimal, never float)
    on every database."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return encode_value(value)

    def process_result_value(self, value, dialect):
        return decode_value(value)


# --- the plan ----------------------------------------------------------------------------

class PlanStatus(str, enum.Enum):
    DRAFT = "draft"  # never approved: freely editable by the support unit
    APPROVED = "approved"  # frozen: changes only through a revision
    REVISING = "revising"  # a revision is open: editable until the Board approves it


class Plan(db.Model):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=PlanStatus.DRAFT.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cycle: Mapped[Cycle] = relationship(back_populates="plan")
    areas: Mapped[list[StrategicArea]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="StrategicArea.code"
    )
    objectives: Mapped[list[Objective]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Objective.code"
    )
    revisions: Mapped[list[PlanRevision]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanRevision.number"
    )

    @property
    def editable(self) -> bool:
        return self.status != PlanStatus.APPROVED.value

    @property
    def ever_approved(self) -> bool:
        return self.status != PlanStatus.DRAFT.value


class RevisionStatus(str, enum.Enum):
    OPEN = "open"
    APPROVED = "approved"


class PlanRevision(db.Model):
    """Number 0 is the plan as first adopted; Rev. 1, Rev. 2 ... follow. An approved
    revision keeps the snapshot of the plan and the changes from the previous one."""

    __tablename__ = "plan_revision"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=RevisionStatus.OPEN.value)
    reason: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    oiv_opinion_reference: Mapped[str | None] = mapped_column(String(100))
    oiv_opinion_date: Mapped[date | None] = mapped_column(Date)
    oiv_opinion_positive: Mapped[bool | None] = mapped_column(Boolean)
    oiv_opinion_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    deliberation_number: Mapped[str | None] = mapped_column(String(40))
    deliberation_date: Mapped[date | None] = mapped_column(Date)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    changes: Mapped[list | None] = mapped_column(JSON)

    plan: Mapped[Plan] = relationship(back_populates="revisions")

    @property
    def label(self) -> str:
        return "Rev. 0" if self.number == 0 else f"Rev. {self.number}"


class StrategicArea(db.Model):
    """An area (or line) of strategy grouping strategic objectives."""

    __tablename__ = "strategic_area"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint("weight >= 0 AND weight <= 100", name="weight_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[Decimal | None] = mapped_column(WEIGHT)  # None: blank, see app.scoring.weights

    plan: Mapped[Plan] = relationship(back_populates="areas")
    objectives: Mapped[list[Objective]] = relationship(
        back_populates="area", order_by="Objective.code"
    )


class ObjectiveLevel(str, enum.Enum):
    STRATEGIC = "strategic"
    OPERATIONAL = "operational"


class Objective(db.Model):
    """A strategic objective (under a strategic area) or an operational one (under a
    strategic objective, or on its own when the plan has no strategic layer)."""

    __tablename__ = "objective"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint("weight >= 0 AND weight <= 100", name="weight_range"),
        CheckConstraint("level IN ('strategic', 'operational')", name="level_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(20))
    area_id: Mapped[int | None] = mapped_column(
        ForeignKey("strategic_area.id", ondelete="SET NULL"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("objective.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    weight: Mapped[Decimal | None] = mapped_column(WEIGHT)  # None: blank, see app.scoring.weights
    mission_code: Mapped[str | None] = mapped_column(String(10))
    programme_code: Mapped[str | None] = mapped_column(String(10))
    budget: Mapped[Decimal | None] = mapped_column(MONEY)

    plan: Mapped[Plan] = relationship(back_populates="objectives")
    area: Mapped[StrategicArea | None] = relationship(back_populates="objectives")
    parent: Mapped[Objective | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Objective]] = relationship(
        back_populates="parent", order_by="Objective.code"
    )
    owner_unit = relationship("OrgUnit")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="objective", cascade="all, delete-orphan", order_by="Indicator.code"
    )

    @property
    def is_strategic(self) -> bool:
        return self.level == ObjectiveLevel.STRATEGIC.value


class IndicatorType(str, enum.Enum):
    EFFECTIVENESS = "effectiveness"
    EFFICIENCY = "efficiency"
    QUALITY = "quality"
    VOLUME = "volume"
    OUTCOME = "outcome"
    ECONOMIC_HEALTH = "economic_health"
    OTHER = "other"


class IndicatorUnit(str, enum.Enum):
    PERCENT = "percent"
    NUMBER = "number"
    DAYS = "days"
    EUR = "eur"
    DATE = "date"
    BOOLEAN = "boolean"

    @property
    def kind(self) -> ValueKind:
        if self is IndicatorUnit.DATE:
            return ValueKind.DATE
        if self is IndicatorUnit.BOOLEAN:
            return ValueKind.BOOLEAN
        return ValueKind.NUMBER


class Direction(str, enum.Enum):
    AT_LEAST = ">="
    AT_MOST = "<="
    EXACTLY = "="


OPERATIONAL_MEAN = "operational_mean"


class Indicator(db.Model):
    """A measure of an objective. Values follow the unit: numbers (Decimal) for %,
    number, days and EUR; dates for deadlines; yes/no for boolean indicators."""

    __tablename__ = "indicator"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint("weight >= 0 AND weight <= 100", name="weight_range"),
        CheckConstraint(
            "neutralised = false OR neutralised_reason IS NOT NULL", name="neutralised_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("objective.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(500))
    algorithm: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(20), default=IndicatorType.OTHER.value)
    unit: Mapped[str] = mapped_column(String(10), default=IndicatorUnit.NUMBER.value)
    data_source: Mapped[str | None] = mapped_column(String(500))
    baseline: Mapped[IndicatorValue | None] = mapped_column(PlanValue)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(2), default=Direction.AT_LEAST.value)
    # The cycle's year's entry of `targets`; None while a relative one is unresolved.
    target: Mapped[IndicatorValue | None] = mapped_column(PlanValue)
    threshold: Mapped[IndicatorValue | None] = mapped_column(PlanValue)
    weight: Mapped[Decimal | None] = mapped_column(WEIGHT)  # None: blank, see app.scoring.weights
    # The indicator's own rule, each None for the evaluation system's default.
    method: Mapped[str | None] = mapped_column(String(20))
    ratio_cap: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    credit_per_day_late: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    steps: Mapped[list | None] = mapped_column(JSON)  # [[op, bound text, achievement], ...]
    # Where the actual comes from: None, measured and entered; OPERATIONAL_MEAN, the mean
    # of the objective's operational objectives (Alessandria), computed by the roll-up.
    source: Mapped[str | None] = mapped_column(String(30))
    monitoring_value: Mapped[IndicatorValue | None] = mapped_column(PlanValue)
    monitoring_forecast: Mapped[IndicatorValue | None] = mapped_column(PlanValue)
    at_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    monitoring_note: Mapped[str | None] = mapped_column(Text)
    actual: Mapped[IndicatorValue | None] = mapped_column(PlanValue)
    neutralised: Mapped[bool] = mapped_column(Boolean, default=False)
    neutralised_reason: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    objective: Mapped[Objective] = relationship(back_populates="indicators")
    targets = relationship("IndicatorTarget", cascade="all, delete-orphan",
                           order_by="IndicatorTarget.year")

    @property
    def computed(self) -> bool:
        """Its value comes from the roll-up, never from an entry."""
        return self.source == OPERATIONAL_MEAN

    @property
    def value_kind(self) -> ValueKind:
        return IndicatorUnit(self.unit).kind


class IndividualObjective(db.Model):
    """An objective assigned to one person for a cycle: what to achieve (actions), how
    (behaviours), how it is measured, and its weight among the person's objectives."""

    __tablename__ = "individual_objective"
    __table_args__ = (
        CheckConstraint("weight > 0 AND weight <= 100", name="weight_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(500))
    actions: Mapped[str | None] = mapped_column(Text)
    behaviours: Mapped[str | None] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[Decimal] = mapped_column(WEIGHT)
    objective_id: Mapped[int | None] = mapped_column(
        ForeignKey("objective.id", ondelete="SET NULL"), index=True
    )
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cycle: Mapped[Cycle] = relationship()
    user = relationship("User", foreign_keys=[user_id])
    objective: Mapped[Objective | None] = relationship()


class EvaluationSystemConfig(db.Model):
    """One version of the evaluation system (SMVP) of a cycle: the JSON form of
    app.scoring.system.EvaluationSystem. Versions are appended, never changed; the
    highest version is in force."""

    __tablename__ = "evaluation_system_config"
    __table_args__ = (UniqueConstraint("cycle_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class UnitEvaluationSystem(db.Model):
    """An evaluation system bound to an org unit for one cycle: it scores the objectives,
    indicators and people of the unit's subtree, except where a nearer unit below has
    its own (app.services.plan.parts). Edited in place; the audit trail keeps each
    before and after."""

    __tablename__ = "unit_evaluation_system"
    __table_args__ = (UniqueConstraint("cycle_id", "org_unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    org_unit = relationship("OrgUnit")
