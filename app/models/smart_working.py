"""Smart working (lavoro agile): the administration's policy (limits, period, the
monthly report's due day, the remotability rule and threshold), the remotability of the
process map's sub-processes (app.models.risk.ProcessPhase) and who works on each, each
person's agreement with its workflow's decisions, and the monthly reports of the work
done remotely."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

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

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class AgreementStatus(str, enum.Enum):
    REQUESTED = "requested"  # waiting for the head of the unit
    EXCEPTION = "exception"  # authorised beyond the limits: waiting for the Secretary General
    TO_SIGN = "to_sign"  # authorised: the employee acknowledges the agreement
    IN_FORCE = "in_force"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class SmartWorkingPolicy(db.Model):
    """One row per administration; without it the defaults of PIAO.md apply."""

    __tablename__ = "smart_working_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), unique=True)
    period: Mapped[str] = mapped_column(String(10), default="month")
    max_days: Mapped[int] = mapped_column(Integer, default=8)
    max_half_days: Mapped[int] = mapped_column(Integer, default=16)
    # The monthly report is due this many days after the month it covers.
    report_due_days: Mapped[int] = mapped_column(Integer, default=10)
    # A sub-process's score is the minimum or the mean of its four conditions; it is
    # remotable at or above the threshold.
    score_rule: Mapped[str] = mapped_column(String(10), default="minimum")
    threshold: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal(2))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SmartWorkingAgreement(db.Model):
    """A request and, once authorised and acknowledged, the agreement in force. Its
    `version` makes a form built on an older state fail (409) instead of overwriting."""

    __tablename__ = "smart_working_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=AgreementStatus.REQUESTED.value,
                                        index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    # Weekday (0 = Monday, as text: JSON keys) -> "day", "morning" or "afternoon".
    pattern: Mapped[dict] = mapped_column(JSON)
    place: Mapped[str] = mapped_column(String(20))  # home / other
    place_detail: Mapped[str | None] = mapped_column(String(300))
    equipment: Mapped[str] = mapped_column(String(20))  # administration / own
    exceeds_limits: Mapped[bool] = mapped_column(Boolean, default=False)
    exception_reason: Mapped[str | None] = mapped_column(Text)
    renewal_of_id: Mapped[int | None] = mapped_column(ForeignKey("smart_working_agreement.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(Text)
    exception_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    exception_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    exception_note: Mapped[str | None] = mapped_column(Text)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__: ClassVar[dict] = {"version_id_col": version}

    user = relationship("User", foreign_keys=[user_id])
    unit = relationship("OrgUnit")
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    exception_by = relationship("User", foreign_keys=[exception_by_id])
    withdrawn_by = relationship("User", foreign_keys=[withdrawn_by_id])
    reports: Mapped[list[SmartWorkingReport]] = relationship(
        back_populates="agreement", order_by="SmartWorkingReport.month")

    @property
    def weekly_pattern(self) -> dict[int, str]:
        return {int(k): v for k, v in (self.pattern or {}).items()}


class SmartWorkingReport(db.Model):
    """The employee's report of one month of the agreement: the remote days actually
    worked and the work done."""

    __tablename__ = "smart_working_report"
    __table_args__ = (UniqueConstraint("agreement_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("smart_working_agreement.id"),
                                              index=True)
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    days: Mapped[int] = mapped_column(Integer, default=0)
    half_days: Mapped[int] = mapped_column(Integer, default=0)
    activities: Mapped[str] = mapped_column(Text)
    problems: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    agreement: Mapped[SmartWorkingAgreement] = relationship(back_populates="reports")


class Remotability(db.Model):
    """A sub-process scored 0-5 on the four conditions of PIAO.md: contact with users,
    how far the work can be scheduled, how collegial and how interdependent it is (5 =
    the most suited to remote work)."""

    __tablename__ = "smart_working_remotability"
    __table_args__ = tuple(
        CheckConstraint(f"{name} BETWEEN 0 AND 5", name=f"remotability_{name}_range")
        for name in ("contact", "scheduling", "collegiality", "interdependence"))

    id: Mapped[int] = mapped_column(primary_key=True)
    phase_id: Mapped[int] = mapped_column(
        ForeignKey("process_phase.id", ondelete="CASCADE"), unique=True)
    contact: Mapped[int] = mapped_column(Integer)
    scheduling: Mapped[int] = mapped_column(Integer)
    collegiality: Mapped[int] = mapped_column(Integer)
    interdependence: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    scored_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    phase = relationship("ProcessPhase")

    @property
    def conditions(self) -> dict[str, int]:
        return {"contact": self.contact, "scheduling": self.scheduling,
                "collegiality": self.collegiality, "interdependence": self.interdependence}


class PhasePerson(db.Model):
    """A person working on a sub-process: eligible for smart working when one of their
    sub-processes is remotable."""

    __tablename__ = "smart_working_phase_person"
    __table_args__ = (UniqueConstraint("phase_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phase_id: Mapped[int] = mapped_column(
        ForeignKey("process_phase.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)

    phase = relationship("ProcessPhase")
    user = relationship("User")
