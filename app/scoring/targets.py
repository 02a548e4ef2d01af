"""Targets over several years: a yearly target is either a fixed value or a rule relative
to the value observed in an earlier year (the Alessandria-Asti plan: "2021 >= value
observed in 2020"; Turin: "+10% on 2022"). This module resolves a rule against the
observed value; finding that value is the caller's business.

Rules (kind, amount):
  value    the target is the value itself
  same     the value observed in the reference year: (same, -) on 70 -> 70
  percent  the observed value moved by `amount` percent of its size, up for a positive
           amount and down for a negative one, whatever the sign of the base:
           +10 on 70 -> 77; -10 on 70 -> 63; +10 on -20 -> -18 (never -22: a percentage
           "more" always means higher). A zero base is refused: every percentage of
           zero is zero, so the rule would silently mean "= 0".
  delta    the observed value plus `amount` (negative: minus): +5 on 70 -> 75

Percentages and deltas need numbers: a date or a yes/no answer is refused. Results keep
two decimals (ROUND_HALF_UP), like every figure of the plan."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.scoring.numbers import CENT, HUNDRED, ScoringError, in_context
from app.scoring.values import NOT_MET, DateRange


class TargetKind(str, enum.Enum):
    VALUE = "value"
    SAME = "same"
    PERCENT = "percent"
    DELTA = "delta"

    @property
    def relative(self) -> bool:
        return self is not TargetKind.VALUE

    @property
    def numeric_only(self) -> bool:
        return self in (TargetKind.PERCENT, TargetKind.DELTA)


@dataclass(frozen=True)
class TargetRule:
    """A relative target: `kind` applied to the value observed in `reference_year`."""

    kind: TargetKind
    reference_year: int
    amount: Decimal | None = None

    def check(self, target_year: int) -> None:
        """The reference must lie before the target's year and a change needs an amount."""
        if self.reference_year >= target_year:
            raise ScoringError("The target of %(year)d can refer only to an earlier year, "
                               "not %(reference)d.", year=target_year,
                               reference=self.reference_year)
        if self.kind.numeric_only and self.amount is None:
            raise ScoringError("The rule needs an amount.")


@in_context
def resolve(rule: TargetRule, observed) -> Decimal | date | bool:
    """The target the rule gives on the observed value.

    (percent, +10) on 70 -> 77.00; (percent, +10) on -20 -> -18.00;
    (percent, +10) on 0 -> refused; (delta, -2) on 7 -> 5; (same) on a date -> the date."""
    if observed is None:
        raise ScoringError("No value was recorded for %(year)d.", year=rule.reference_year)
    if observed is NOT_MET:
        raise ScoringError("The deadline of %(year)d was never met: there is no date to "
                           "start from.", year=rule.reference_year)
    if isinstance(observed, DateRange):
        observed = observed.end
    if rule.kind is TargetKind.SAME:
        return observed
    if not isinstance(observed, Decimal):
        raise ScoringError("A percentage or an amount applies only to numbers, not to dates "
                           "or yes/no answers.")
    if rule.kind is TargetKind.PERCENT:
        if observed == 0:
            raise ScoringError("The value of %(year)d is zero: a percentage of zero is zero. "
                               "Give the target as a number or as an amount (+X).",
                               year=rule.reference_year)
        result = observed + abs(observed) * rule.amount / HUNDRED
    else:
        result = observed + rule.amount
    return result.quantize(CENT, rounding=ROUND_HALF_UP).normalize() + 0
