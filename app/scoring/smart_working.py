"""The rules of smart working (lavoro agile) as pure functions: how many remote days a
weekly pattern gives in each period of an agreement, whether a period stays within the
limits, and a sub-process's remotability score.

A pattern maps weekdays (0 = Monday ... 4 = Friday) to a part of the day: a whole day
("day") or a half-day ("morning", "afternoon"). The limits (PIAO.md: at most 8 days or
16 half-days per period) mix: a period is within them when
days / max_days + half_days / max_half_days <= 1, computed exactly, so with 8 and 16
seven days leave room for two half-days and no more.

    Mondays as whole days in March 2027 -> 5 dates (1, 8, 15, 22, 29): 5 days, within;
    Usage(7, 2) with Limits(8, 16) -> within; Usage(7, 3) -> not; Usage(9, 0) -> not.
"""
from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

DAY, MORNING, AFTERNOON = "day", "morning", "afternoon"
PARTS = (DAY, MORNING, AFTERNOON)
WORKDAYS = range(5)  # Monday to Friday
MONTH, WEEK = "month", "week"
PERIODS = (MONTH, WEEK)
MINIMUM, MEAN = "minimum", "mean"
SCORE_RULES = (MINIMUM, MEAN)
CONDITIONS = ("contact", "scheduling", "collegiality", "interdependence")


@dataclass(frozen=True)
class Limits:
    max_days: int = 8
    max_half_days: int = 16
    period: str = MONTH


@dataclass(frozen=True)
class Usage:
    days: int = 0
    half_days: int = 0

    @property
    def day_equivalent(self) -> Decimal:
        """Half-days count as half a day (for figures: 7 days and 2 half-days -> 8)."""
        return Decimal(self.days) + Decimal(self.half_days) / 2


@dataclass(frozen=True)
class PeriodUsage:
    start: date
    end: date
    usage: Usage
    within: bool


class PatternError(ValueError):
    """A pattern that is not weekdays to parts of the day."""


def check_pattern(pattern: dict[int, str]) -> dict[int, str]:
    """The pattern with int weekdays; refuses weekends, unknown parts and an empty one."""
    clean = {}
    for weekday, part in pattern.items():
        weekday = int(weekday)
        if weekday not in WORKDAYS or part not in PARTS:
            raise PatternError(f"{weekday}: {part}")
        clean[weekday] = part
    if not clean:
        raise PatternError("empty pattern")
    return clean


def remote_dates(pattern: dict[int, str], start: date, end: date) -> list[tuple[date, str]]:
    """Every date from start to end (both included) the pattern makes remote, with its part."""
    pattern = check_pattern(pattern)
    found, day = [], start
    while day <= end:
        part = pattern.get(day.weekday())
        if part is not None:
            found.append((day, part))
        day += timedelta(days=1)
    return found


def usage(dates: list[tuple[date, str]]) -> Usage:
    days = sum(1 for _day, part in dates if part == DAY)
    return Usage(days, len(dates) - days)


def within_limits(used: Usage, limits: Limits) -> bool:
    """days / max_days + half_days / max_half_days <= 1 (a zero maximum allows none)."""
    share = Fraction(0)
    for count, maximum in ((used.days, limits.max_days), (used.half_days, limits.max_half_days)):
        if count and maximum <= 0:
            return False
        if count:
            share += Fraction(count, maximum)
    return share <= 1


def periods(start: date, end: date, period: str) -> list[tuple[date, date]]:
    """The calendar months (or ISO weeks) the agreement touches, cut to its dates."""
    if start > end:
        return []
    found, cursor = [], start
    while cursor <= end:
        if period == WEEK:
            last = cursor + timedelta(days=6 - cursor.weekday())
        else:
            last = cursor.replace(day=monthrange(cursor.year, cursor.month)[1])
        found.append((cursor, min(last, end)))
        cursor = last + timedelta(days=1)
    return found


def usage_by_period(pattern: dict[int, str], start: date, end: date,
                    limits: Limits) -> list[PeriodUsage]:
    """Each period of the agreement with its remote days and whether it keeps the limits."""
    result = []
    for first, last in periods(start, end, limits.period):
        used = usage(remote_dates(pattern, first, last))
        result.append(PeriodUsage(first, last, used, within_limits(used, limits)))
    return result


def exceeds_limits(pattern: dict[int, str], start: date, end: date, limits: Limits) -> bool:
    return any(not p.within for p in usage_by_period(pattern, start, end, limits))


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def remotability_score(scores: dict[str, int], rule: str) -> Decimal | None:
    """A sub-process's score from its four conditions (0-5 each): their minimum or their
    mean (2 decimals, half up); None until all four are scored.

    (3, 2, 4, 5) -> minimum 2, mean 3.50."""
    values = [scores.get(name) for name in CONDITIONS]
    if any(v is None for v in values):
        return None
    if any(not 0 <= int(v) <= 5 for v in values):
        raise ValueError("a condition is scored 0 to 5")
    if rule == MINIMUM:
        return Decimal(min(values))
    if rule == MEAN:
        return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    raise ValueError(f"unknown score rule {rule!r}")


def is_remotable(score: Decimal | None, threshold: Decimal) -> bool:
    """Eligible at or above the threshold (PIAO.md: >= 2)."""
    return score is not None and score >= threshold
