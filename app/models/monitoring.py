"""The monitoring rounds of a cycle and what each one recorded, kept per round so that
the rounds stay separate and comparable: the calendar's rounds (planned with the cycle,
opened in turn by the master process) and the extra rounds the support unit or the OIV
open at any time; per round, each indicator's value so far, forecast and risk, and each
person's individual objectives checked by their evaluator (on track / at risk)."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.plan import IndicatorValue, PlanValue
from app.models.types import UTCDateTime, utcnow


class RoundKind(str, enum.Enum):
    CALENDAR = "calendar"  # in the cycle's calendar: opened in turn by the master process
    EXTRA = "extra"  # opened by the support unit or the OIV while the cycle runs


class RoundStatus(str, enum.Enum):
    PLANNED = "planned"  # a calendar round not opened yet
    OPEN = "open"
    CLOSED = "closed"  # consolidated


class CheckOutcome(str, enum.Enum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"


class MonitoringRound(db.Model):
    """One monitoring round. `number` is given when the round opens (1, 2, ... in the
    order they opened), so the OIV's report of round N names the same round."""

    __tablename__ = "monitoring_round"
    __table_args__ = (UniqueConstraint("cycle_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    number: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=RoundStatus.PLANNED.value)
    opens_on: Mapped[date | None] = mapped_column(Date)
    due: Mapped[date] = mapped_column(Date)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consolidation_note: Mapped[str | None] = mapped_column(Text)

    opened_by = relationship("User")
    entries: Mapped[list[MonitoringEntry]] = relationship(
        back_populates="round", order_by="MonitoringEntry.id")
    checks: Mapped[list[IndividualCheck]] = relationship(
        back_populates="round", order_by="IndividualCheck.id",
        foreign_keys="IndividualCheck.round_id")


class MonitoringEntry(db.Model):
    """An indicator's state in one round, as the area's head reported it."""

    __tablename__ = "monitoring_entry"
    __table_args__ = (UniqueConstraint("round_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_round.id"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    value: Mapped[IndicatorValue | None] = mapped_column(PlanValue)
    forecast: Mapped[IndicatorValue | None] = mapped_column(PlanValue)
    at_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    round: Mapped[MonitoringRound] = relationship(back_populates="entries")
    indicator = relationship("Indicator")


class IndividualCheck(db.Model):
    """A person's individual objectives checked mid-year by their evaluator in one round."""

    __tablename__ = "individual_check"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_round.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    checker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    round: Mapped[MonitoringRound] = relationship(back_populates="checks",
                                                  foreign_keys=[round_id])
    user = relationship("User", foreign_keys=[user_id])
    checker = relationship("User", foreign_keys=[checker_id])
