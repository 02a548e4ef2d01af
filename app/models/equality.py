"""The positive actions plan (Piano delle azioni positive): objectives, each with its
numbered actions (actors, beneficiaries, and the optional deadline, indicator, owner and
budget Turin's plan does not give), the equality committee's (CUG) opinions on the
plan, and each action's state as recorded in a monitoring round of the cycle."""
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
from app.models.people_plan import AdoptedPlan, PlanKind
from app.models.types import UTCDateTime, utcnow


class OpinionOutcome(str, enum.Enum):
    FAVOURABLE = "favourable"
    WITH_REMARKS = "with_remarks"
    UNFAVOURABLE = "unfavourable"


class ActionState(str, enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class EqualityPlan(AdoptedPlan, db.Model):
    __tablename__ = "equality_plan"
    kind = PlanKind.EQUALITY

    objectives: Mapped[list[EqualityObjective]] = relationship(
        back_populates="plan", order_by="EqualityObjective.number", cascade="all, delete-orphan")


class EqualityObjective(db.Model):
    __tablename__ = "equality_objective"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("equality_plan.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[EqualityPlan] = relationship(back_populates="objectives")
    actions: Mapped[list[PositiveAction]] = relationship(
        back_populates="objective", order_by="PositiveAction.number", cascade="all, delete-orphan")


class PositiveAction(db.Model):
    """Action `number` of its objective, shown as <objective>.<number> (e.g. 2.3)."""

    __tablename__ = "positive_action"
    __table_args__ = (UniqueConstraint("objective_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("equality_objective.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    actors: Mapped[str] = mapped_column(Text)
    beneficiaries: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date | None] = mapped_column(Date)
    indicator: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    budget: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))

    objective: Mapped[EqualityObjective] = relationship(back_populates="actions")
    owner = relationship("User")

    @property
    def code(self) -> str:
        return f"{self.objective.number}.{self.number}"


class CugOpinion(db.Model):
    """The equality committee's opinion on a submission of the plan, with its act."""

    __tablename__ = "cug_opinion"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("equality_plan.id"), index=True)
    date: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    attachment: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    attachment_sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ActionMonitoring(db.Model):
    """An action's state as recorded in one monitoring round of the cycle."""

    __tablename__ = "positive_action_monitoring"
    __table_args__ = (UniqueConstraint("round_id", "action_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_round.id"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("positive_action.id"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    action: Mapped[PositiveAction] = relationship()
