"""Achievement of one indicator, 0-100 (DOMAIN "Indicator achievement").

Results are unrounded Decimals: they feed weighted means, and rounding them first would
let reported objective figures drift from the indicators'; use quantize2 to display.
The options `cap` (ratio) and `credit_per_day_late` (deadlines) are accepted by every
method and used by the ones they concern, so a caller can pass the evaluation system's
options (EvaluationSystem.indicator_options()) for every indicator."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.scoring.numbers import (
    HUNDRED,
    ONE,
    ZERO,
    ScoringError,
    in_context,
    to_date,
    to_decimal,
)

DIRECTIONS = (">=", "<=", "=")
METHODS = ("threshold", "ratio", "boolean", "deadline")
_YES = {"yes", "si", "sì", "true", "y", "s"}
_NO = {"no", "false", "n"}


@in_context
def indicator_score(actual, target, threshold=None, direction: str = ">=",
                    method: str = "threshold", *, cap=HUNDRED, credit_per_day_late=ZERO
                    ) -> Decimal:
    """The achievement of `actual` against `target`, 0-100 (0-cap for ratio), unrounded.

    threshold: linear from the threshold (0) to the target (100); without a threshold,
    short of the target is 0. When the target is a date, the deadline rule of _dates, or
    linear between the target date and a threshold date. ratio: see _ratio, at most
    `cap` (100 or more). boolean: 100 when the yes/no actual equals the target (yes
    when None); direction does not apply. deadline: dates only, see _dates."""
    if direction not in DIRECTIONS:
        raise ScoringError("Unknown direction '%(value)s' (use >=, <= or =).", value=direction)
    if method == "threshold":
        if isinstance(target, date):
            return _dates(actual, target, threshold, direction, credit_per_day_late)
        return _threshold(_actual(actual), _target(target), threshold, direction)
    if method == "ratio":
        _no_threshold(threshold, "A ratio indicator has no threshold.")
        cap = to_decimal(cap, "The cap must be a number.")
        if cap < HUNDRED:
            raise ScoringError("The cap must be at least 100.")
        return min(cap, _ratio(_actual(actual), _target(target), direction, cap))
    if method == "boolean":
        _no_threshold(threshold, "A yes/no indicator has no threshold.")
        wanted = True if target is None else _yes_no(target, "The target must be yes or no.")
        return HUNDRED if _yes_no(actual, "The actual value must be yes or no.") is wanted else ZERO
    if method == "deadline":
        _no_threshold(threshold, "A deadline has no threshold: use the threshold method "
                                 "to scale between two dates.")
        return _dates(actual, target, None, direction, credit_per_day_late)
    raise ScoringError("Unknown scoring method '%(value)s'.", value=method)


def _actual(value) -> Decimal:
    return to_decimal(value, "The actual value must be a number.")


def _target(value) -> Decimal:
    return to_decimal(value, "The target must be a number.")


def _no_threshold(threshold, message: str) -> None:
    if threshold is not None:
        raise ScoringError(message)


def _threshold(actual: Decimal, target: Decimal, threshold, direction: str) -> Decimal:
    if threshold is None:
        met = (actual >= target if direction == ">=" else
               actual <= target if direction == "<=" else actual == target)
        return HUNDRED if met else ZERO
    threshold = to_decimal(threshold, "The threshold must be a number.")
    if direction == "=":
        if threshold == target:
            raise ScoringError("The threshold must differ from the target.")
        progress = ONE - abs(actual - target) / abs(threshold - target)
    elif direction == ">=":
        if threshold >= target:
            raise ScoringError("The threshold must be below the target when higher is better.")
        progress = (actual - threshold) / (target - threshold)
    else:
        if threshold <= target:
            raise ScoringError("The threshold must be above the target when lower is better.")
        progress = (threshold - actual) / (threshold - target)
    return max(ZERO, min(ONE, progress)) * HUNDRED


def _ratio(actual: Decimal, target: Decimal, direction: str, cap: Decimal) -> Decimal:
    """actual/target for >=, target/actual for <=, closeness min/max for =.

    A ratio only means something when actual and target have the same sign, so:
    equal values score 100 (0 = 0 included); for >=, a target of zero or below that the
    actual beats without a meaningful ratio (target 0 and actual above; target negative
    and actual 0 or above) scores the cap; an actual of zero or below against a positive
    target scores 0; two negatives compare magnitudes (target -6, actual -2 is three
    times better). <= is >= on the negated values. For =, values of different signs or
    a zero against a non-zero score 0."""
    if actual == target:
        return HUNDRED
    if direction == "=":
        if actual * target <= 0:
            return ZERO
        return min(abs(actual), abs(target)) / max(abs(actual), abs(target)) * HUNDRED
    if direction == "<=":
        actual, target = -actual, -target
    if target > 0:
        return actual / target * HUNDRED if actual > 0 else ZERO
    if actual >= 0:
        return cap
    if target == 0:
        return ZERO
    return target / actual * HUNDRED


def _dates(actual, target, threshold, direction: str, credit_per_day_late) -> Decimal:
    """Dates scored as day numbers. Without a threshold, the deadline rule: on the right
    side of the target (on or before for <=, on or after for >=, the day itself for =)
    100; else 0, or, when credit_per_day_late (points lost per day) is not 0, 100 minus
    that credit per day on the wrong side, never below 0."""
    actual = to_date(actual, "The actual value must be a date.")
    target = to_date(target, "The target must be a date.")
    if threshold is not None:
        threshold = to_date(threshold, "The threshold must be a date.").toordinal()
        return _threshold(Decimal(actual.toordinal()), Decimal(target.toordinal()),
                          threshold, direction)
    credit = to_decimal(credit_per_day_late, "The credit per day late must be a number.")
    if not ZERO <= credit <= HUNDRED:
        raise ScoringError("The credit per day late must be between 0 and 100.")
    days = (actual - target).days
    late = max(days, 0) if direction == "<=" else max(-days, 0) if direction == ">=" else abs(days)
    if not late:
        return HUNDRED
    return max(ZERO, HUNDRED - late * credit) if credit else ZERO


def _yes_no(value, message: str) -> bool:
    if isinstance(value, bool):
        return value
    if type(value) is int and value in (0, 1):
        return value == 1
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
    raise ScoringError(message)
