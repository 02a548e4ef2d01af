"""When a person is due for a mandatory training, pure (no database): the rules of the
training plan's entries are "within N days of hiring" and "again every N years"
(PIAO.md: health and safety within 60 days of hiring, refreshed every 3 or 5 years).

- never attended, with a within-days rule and a known hiring date: hired + N days,
  when that falls inside the plan (on or after `plan_start`);
- hired before the plan and never attended: with an every-years rule, the plan's
  default date (`first_due`, e.g. the end of its first year: catching up); without
  one (a course for new hires), nothing: the rule was not theirs;
- never attended otherwise (no within-days rule, or no hiring date): `first_due`;
- attended, with an every-years rule: the last attendance + N years (29 February
  falls on 28 February in a year that has none);
- attended, with no every-years rule: nothing more is due.

    next_due(date(2022, 3, 1), None, 5, 60, START, date(2022, 12, 31)) -> 30/04/2022
    next_due(date(2010, 1, 1), None, None, 365, START, date(2022, 12, 31)) -> None
    next_due(date(2010, 1, 1), date(2020, 2, 29), 5, 60, START, date(2022, 12, 31)) -> 28/02/2025
"""
from __future__ import annotations

from datetime import date, timedelta


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def next_due(hired_on: date | None, last_attended: date | None, every_years: int | None,
             within_days: int | None, plan_start: date, first_due: date) -> date | None:
    if last_attended is None:
        if within_days and hired_on is not None:
            due = hired_on + timedelta(days=within_days)
            if due >= plan_start:
                return due
            return first_due if every_years else None
        return first_due
    if every_years:
        return add_years(last_attended, every_years)
    return None
