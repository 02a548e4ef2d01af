"""Achievement of one indicator, 0-100 (DOMAIN "Indicator achievement").

Results are unrounded Decimals: they feed weighted means, and rounding them first would
let reported objective figures drift from the indicators'; use quantize2 to display.
The options `cap` (ratio), `credit_per_day_late` (deadlines) and `steps` (steps) are
accepted by every method and used by the ones they concern, so a caller can pass the
evaluation system's options (EvaluationSystem.indicator_options()) merged with the
indicator's own overrides for every indicator.

Actuals may also be NOT_MET (a deadline never met: 0 under every date rule) or a
DateRange (scored by its end date), see app.scoring.values."""
from __future__ import annotations

import itertools
import operator
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
from app.scoring.values import NOT_MET, DateRange

DIRECTIONS = (">=", "<=", "=")
METHODS = ("threshold", "ratio", "boolean", "deadline", "steps")
STEP_OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_YES = {"yes", "si", "sì", "true", "y", "s"}
_NO = {"no", "false", "n"}


@in_context
def indicator_score(actual, target, threshold=None, direction: str = ">=",
                    method: str = "threshold", *, cap=HUNDRED, credit_per_day_late=ZERO,
                    steps=None) -> Decimal:
    """The achievement of `actual` against `target`, 0-100 (0-cap for ratio), unrounded.

    threshold: linear from the threshold (0) to the target (100); without a threshold,
    short of the target is 0. When the target is a date, the deadline rule of _dates, or
    linear between the target date and a threshold date. ratio: see _ratio, at most
    `cap` (100 or more). boolean: 100 when the yes/no actual equals the target (yes
    when None); direction does not apply. deadline: dates only, see _dates. steps: the
    first step of the table whose condition holds, see _steps; the target is not used
    (it may be None) and neither is the direction.

    Examples: ratio, 96 vs >= 99 -> 96.97 (rounded); ratio on dates, 10/01/2023 vs <=
    31/12/2022 -> 365 / 375 = 97.33; steps [("<", 80, 100), ("<", 85, 80), ("<", 90, 60),
    ("<", 95, 40), ("<", 100, 20)], 92 -> 40."""
    if direction not in DIRECTIONS:
        raise ScoringError("Unknown direction '%(value)s' (use >=, <= or =).", value=direction)
    if isinstance(actual, DateRange):
        actual = actual.end
    if method == "steps":
        _no_threshold(threshold, "A steps indicator has no threshold: its table gives every "
                                 "step.")
        return _steps(actual, steps)
    if actual is NOT_MET:
        if method == "boolean" or not isinstance(target, date):
            raise ScoringError("Only a deadline can be recorded as never met.")
        return ZERO
    if method == "threshold":
        if isinstance(target, date):
            return _dates(actual, target, threshold, direction, credit_per_day_late)
        return _threshold(_actual(actual), _target(target), threshold, direction)
    if method == "ratio":
        _no_threshold(threshold, "A ratio indicator has no threshold.")
        cap = to_decimal(cap, "The cap must be a number.")
        if cap < HUNDRED:
            raise ScoringError("The cap must be at least 100.")
        if isinstance(target, date):
            actual, target = _day_numbers(actual, target)
            return min(cap, _ratio(actual, target, direction, cap))
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


def _day_numbers(actual, target) -> tuple[Decimal, Decimal]:
    """Both dates as day numbers of the target's year: 1 January is day 1, and days
    past 31 December go on counting (10/01/2023 is day 375 of 2022); days before the
    year are 0 or below, so an early actual beats a `<=` target and a ratio of two
    such numbers stays monotone."""
    target = to_date(target, "The target must be a date.")
    actual = to_date(actual, "The actual value must be a date.")
    new_year = date(target.year, 1, 1).toordinal() - 1
    return Decimal(actual.toordinal() - new_year), Decimal(target.toordinal() - new_year)


def check_steps(steps) -> list[tuple[str, Decimal | date, Decimal]]:
    """The steps table, checked and normalised: [(op, bound, achievement), ...] from the
    best step to the worst. op is <, <=, > or >=, all of one direction; the bounds all
    numbers or all dates, each step's condition weaker than the one before; the
    achievements 0-100, never higher than the step before."""
    if not steps:
        raise ScoringError("A steps indicator needs a table of at least one step.")
    table = []
    for position, step in enumerate(steps, start=1):
        try:
            op, bound, achievement = step
        except (TypeError, ValueError):
            raise ScoringError("Step %(n)s must be (condition, bound, achievement).",
                               n=position) from None
        if op not in STEP_OPERATORS:
            raise ScoringError("Step %(n)s: the condition must be <, <=, > or >=.", n=position)
        bound = _step_bound(bound, position)
        achievement = _step_achievement(achievement, position)
        if not ZERO <= achievement <= HUNDRED:
            raise ScoringError("Step %(n)s: the achievement must be between 0 and 100.",
                               n=position)
        table.append((op, bound, achievement))
    _check_step_order(table)
    return table


def _step_bound(value, position: int):
    if isinstance(value, date):
        return to_date(value, "")
    if not isinstance(value, bool):
        try:
            return to_decimal(value, "")
        except ScoringError:
            pass
    raise ScoringError("Step %(n)s: the bound must be a number or a date.", n=position)


def _step_achievement(value, position: int) -> Decimal:
    if not isinstance(value, bool):
        try:
            return to_decimal(value, "")
        except ScoringError:
            pass
    raise ScoringError("Step %(n)s: the achievement must be a number.", n=position)


def _check_step_order(table) -> None:
    lower_is_better = table[0][0] in ("<", "<=")
    if any((op in ("<", "<=")) != lower_is_better for op, _, _ in table):
        raise ScoringError("The steps mix < and > conditions: write them all one way.")
    if len({isinstance(bound, date) for _, bound, _ in table}) > 1:
        raise ScoringError("The steps mix dates and numbers as bounds.")
    strict = {"<": 0, "<=": 1, ">": 0, ">=": 1}
    for position, ((op, bound, achievement), (next_op, next_bound, next_achievement)) in \
            enumerate(itertools.pairwise(table), start=2):
        key, next_key = ((bound, strict[op]), (next_bound, strict[next_op]))
        in_order = next_key > key if lower_is_better else (
            (next_bound, -strict[next_op]) < (bound, -strict[op]))
        if not in_order:
            raise ScoringError("Step %(n)s is out of order: write the steps from the best "
                               "to the worst, each condition wider than the one before.",
                               n=position)
        if next_achievement > achievement:
            raise ScoringError("Step %(n)s gives more than the step before it: write the "
                               "steps from the best to the worst.", n=position)


def _steps(actual, steps) -> Decimal:
    """The achievement of the first step whose condition holds for the actual, else 0.
    A deadline never met (NOT_MET) holds no condition."""
    table = check_steps(steps)
    if actual is NOT_MET:
        if not isinstance(table[0][1], date):
            raise ScoringError("Only a deadline can be recorded as never met.")
        return ZERO
    if isinstance(table[0][1], date):
        actual = to_date(actual, "The actual value must be a date.")
    else:
        actual = _actual(actual)
    for op, bound, achievement in table:
        if STEP_OPERATORS[op](actual, bound):
            return achievement
    return ZERO


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
