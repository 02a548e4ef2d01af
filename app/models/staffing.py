"""The staffing plan (Piano triennale dei fabbisogni di personale): per category the
ceiling (a spending cap, in posts and euros), the staff in service and what one post
costs; the hiring budget (last year's leavers and what earlier years left unused, in the
usable pool and the pool reserved to protected categories, L. 68/1999); and the planned
hires, each with its pool and the order of the recruitment channels to try. Costs of
posts and hires are computed by app.services.people_plan.rules, never stored."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.people_plan import AdoptedPlan, PlanKind

MONEY = Numeric(14, 2)
RATE = Numeric(5, 2)
ZERO = Decimal("0.00")


class StaffingPlan(AdoptedPlan, db.Model):
    __tablename__ = "staffing_plan"
    kind = PlanKind.STAFFING

    leavers_count: Mapped[int] = mapped_column(Integer, default=0)
    leavers_usable: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    leavers_reserved: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    carried_usable: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    carried_reserved: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)

    categories: Mapped[list[StaffingCategory]] = relationship(
        back_populates="plan", order_by="StaffingCategory.position",
        cascade="all, delete-orphan")
    hires: Mapped[list[StaffingHire]] = relationship(
        back_populates="plan", order_by="StaffingHire.id", cascade="all, delete-orphan")


class StaffingCategory(db.Model):
    """One row of the plan's table: a category (DIR, D3, D1, C, B3, B1, A or the
    administration's own), what its entry grade costs, its ceiling and its staff."""

    __tablename__ = "staffing_category"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("staffing_plan.id"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer, default=0)
    monthly_base: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    charges_rate: Mapped[Decimal] = mapped_column(RATE, default=ZERO)
    irap_rate: Mapped[Decimal] = mapped_column(RATE, default=ZERO)
    ceiling_headcount: Mapped[int] = mapped_column(Integer, default=0)
    ceiling_cost: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    in_service_headcount: Mapped[int] = mapped_column(Integer, default=0)
    in_service_cost: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)

    plan: Mapped[StaffingPlan] = relationship(back_populates="categories")


class StaffingHire(db.Model):
    """Planned hires of one category: how many, at what share of full time, paid from
    which pool, and the recruitment channels in the order they will be tried (codes of
    rules.CHANNELS, comma-separated)."""

    __tablename__ = "staffing_hire"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("staffing_plan.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("staffing_category.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    time_percent: Mapped[Decimal] = mapped_column(RATE)
    pool: Mapped[str] = mapped_column(String(10))
    profile: Mapped[str] = mapped_column(String(200))
    channels: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[StaffingPlan] = relationship(back_populates="hires")
    category: Mapped[StaffingCategory] = relationship()

    @property
    def channel_list(self) -> list[str]:
        return [c for c in self.channels.split(",") if c]
