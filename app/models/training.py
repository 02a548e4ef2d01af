"""The training plan (Piano della formazione): its entries (objective or strategic
area, action, beneficiaries, timing, internal or external teaching, contents, an
optional topic the plan's indicators count, e.g. anti-corruption), the mandatory
refresher rules some entries carry (every N years; within N days of hiring), the
attendance recorded per person, and each person's due dates that those rules give,
each with the reminder task that follows it."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.people_plan import AdoptedPlan, PlanKind
from app.models.types import UTCDateTime, utcnow


class Teaching(str, enum.Enum):
    INTERNAL = "internal"
    EXTERNAL = "external"


class TrainingPlan(AdoptedPlan, db.Model):
    __tablename__ = "training_plan"
    kind = PlanKind.TRAINING

    entries: Mapped[list[TrainingEntry]] = relationship(
        back_populates="plan", order_by="TrainingEntry.id", cascade="all, delete-orphan")


class TrainingEntry(db.Model):
    """One line of the plan. With `every_years` or `within_days` it is mandatory for its
    audience (the staff of the listed categories, everyone when none is listed)."""

    __tablename__ = "training_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("training_plan.id"), index=True)
    area: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(300))
    beneficiaries: Mapped[str] = mapped_column(String(300))
    timing: Mapped[str] = mapped_column(String(200))
    teaching: Mapped[str] = mapped_column(String(10))
    contents: Mapped[str | None] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(String(40), index=True)
    every_years: Mapped[int | None] = mapped_column(Integer)
    within_days: Mapped[int | None] = mapped_column(Integer)
    categories: Mapped[str | None] = mapped_column(String(100))

    plan: Mapped[TrainingPlan] = relationship(back_populates="entries")

    @property
    def mandatory(self) -> bool:
        return bool(self.every_years or self.within_days)

    @property
    def category_list(self) -> list[str]:
        return [c.strip() for c in (self.categories or "").split(",") if c.strip()]


class TrainingAttendance(db.Model):
    __tablename__ = "training_attendance"
    __table_args__ = (UniqueConstraint("entry_id", "user_id", "attended_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("training_entry.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    attended_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    entry: Mapped[TrainingEntry] = relationship()
    user = relationship("User", foreign_keys=[user_id])


class TrainingDue(db.Model):
    """A person's next due date for a mandatory entry, with the process instance whose
    task reminds them (workflows/training_due.bpmn); `done_on` once attended."""

    __tablename__ = "training_due"
    __table_args__ = (UniqueConstraint("entry_id", "user_id", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("training_entry.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))

    entry: Mapped[TrainingEntry] = relationship()
    user = relationship("User")
