"""The yearly targets of an indicator over the plan's horizon (the PIAO prints "Valore
2021 / Target 2022 / 2023 / 2024"). Indicator.target stays the target the cycle scores:
the entry of the cycle's year, copied there whenever the entries change or are resolved
(app.services.plan.targets)."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.plan import IndicatorValue, PlanValue
from app.scoring.targets import TargetKind, TargetRule

KINDS = tuple(k.value for k in TargetKind)


class IndicatorTarget(db.Model):
    """The target of one year: a fixed value (kind "value"), or a rule on the value
    observed in `reference_year` (kinds "same", "percent", "delta" with `amount`), whose
    `value` is filled when it is resolved. `base` is the observed value the rule used and
    `source` where it came from ("actual" of that year's cycle, or the indicator's own
    "baseline")."""

    __tablename__ = "indicator_target"
    __table_args__ = (
        UniqueConstraint("indicator_id", "year"),
        CheckConstraint(f"kind IN {KINDS}", name="kind_known"),
        CheckConstraint("kind = 'value' OR reference_year IS NOT NULL", name="rule_has_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10), default=TargetKind.VALUE.value)
    reference_year: Mapped[int | None] = mapped_column(Integer)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    value: Mapped[IndicatorValue | None] = mapped_column(PlanValue)
    base: Mapped[IndicatorValue | None] = mapped_column(PlanValue)
    source: Mapped[str | None] = mapped_column(String(10))

    @property
    def relative(self) -> bool:
        return TargetKind(self.kind).relative

    @property
    def rule(self) -> TargetRule | None:
        if not self.relative:
            return None
        return TargetRule(TargetKind(self.kind), self.reference_year, self.amount)
