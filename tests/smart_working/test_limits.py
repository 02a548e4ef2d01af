"""The limits of smart working as pure rules: remote days per period from a weekly
pattern, days and half-days mixed (days / 8 + half-days / 16 <= 1 by default), periods
cut to the agreement's dates, and the remotability score of a sub-process."""
from datetime import date
from decimal import Decimal

import pytest

from app.scoring import smart_working as rules

LIMITS = rules.Limits(8, 16, rules.MONTH)


@pytest.mark.parametrize(("days", "half_days", "within"), [
    (8, 0, True), (9, 0, False), (0, 16, True), (0, 17, False), (7, 2, True), (7, 3, False),
    (0, 0, True)])
def test_days_and_half_days_share_the_limit(days, half_days, within):
    assert rules.within_limits(rules.Usage(days, half_days), LIMITS) is within


def test_a_zero_limit_allows_none_of_that_kind():
    only_half_days = rules.Limits(0, 10)
    assert rules.within_limits(rules.Usage(0, 10), only_half_days)
    assert not rules.within_limits(rules.Usage(1, 0), only_half_days)


def test_a_month_with_five_mondays_gives_five_remote_days():
    dates = rules.remote_dates({0: "day"}, date(2027, 3, 1), date(2027, 3, 31))
    assert [d.day for d, _part in dates] == [1, 8, 15, 22, 29]


def test_two_days_a_week_exceed_eight_in_a_month_with_nine_of_them():
    usage = rules.usage_by_period({0: "day", 3: "day"}, date(2027, 3, 1), date(2027, 4, 30), LIMITS)
    assert [(p.usage.days, p.within) for p in usage] == [(9, False), (9, False)]
    assert rules.exceeds_limits({1: "day", 3: "day"}, date(2027, 2, 1), date(2027, 2, 28), LIMITS) is False


def test_half_days_are_counted_apart_from_whole_days():
    usage = rules.usage(rules.remote_dates({0: "day", 2: "morning", 4: "afternoon"},
                                           date(2027, 2, 1), date(2027, 2, 28)))
    assert usage == rules.Usage(4, 8)
    assert usage.day_equivalent == Decimal(8)


def test_periods_are_cut_to_the_agreement():
    assert rules.periods(date(2027, 1, 20), date(2027, 3, 10), rules.MONTH) == [
        (date(2027, 1, 20), date(2027, 1, 31)), (date(2027, 2, 1), date(2027, 2, 28)),
        (date(2027, 3, 1), date(2027, 3, 10))]
    assert rules.periods(date(2027, 1, 6), date(2027, 1, 18), rules.WEEK) == [
        (date(2027, 1, 6), date(2027, 1, 10)), (date(2027, 1, 11), date(2027, 1, 17)),
        (date(2027, 1, 18), date(2027, 1, 18))]


def test_a_weekly_limit_counts_per_week():
    weekly = rules.Limits(2, 4, rules.WEEK)
    assert not rules.exceeds_limits({0: "day", 1: "day"}, date(2027, 1, 4), date(2027, 1, 31), weekly)
    assert rules.exceeds_limits({0: "day", 1: "day", 2: "morning"}, date(2027, 1, 4),
                                date(2027, 1, 10), weekly)


@pytest.mark.parametrize("pattern", [{5: "day"}, {0: "evening"}, {}])
def test_weekends_unknown_parts_and_empty_patterns_are_refused(pattern):
    with pytest.raises(rules.PatternError):
        rules.check_pattern(pattern)


def test_the_next_month_crosses_the_year():
    assert rules.next_month(date(2027, 12, 15)) == date(2028, 1, 1)
    assert rules.month_start(date(2027, 2, 28)) == date(2027, 2, 1)


def test_remotability_is_the_minimum_or_the_mean_of_the_four_conditions():
    scores = {"contact": 3, "scheduling": 2, "collegiality": 4, "interdependence": 5}
    assert rules.remotability_score(scores, rules.MINIMUM) == Decimal(2)
    assert rules.remotability_score(scores, rules.MEAN) == Decimal("3.50")
    assert rules.remotability_score({"contact": 3}, rules.MEAN) is None


def test_a_sub_process_is_remotable_at_the_threshold_and_above():
    assert rules.is_remotable(Decimal(2), Decimal(2))
    assert not rules.is_remotable(Decimal("1.99"), Decimal(2))
    assert not rules.is_remotable(None, Decimal(2))


def test_a_condition_outside_zero_to_five_is_refused():
    with pytest.raises(ValueError):
        rules.remotability_score({"contact": 6, "scheduling": 2, "collegiality": 4,
                                  "interdependence": 5}, rules.MINIMUM)
