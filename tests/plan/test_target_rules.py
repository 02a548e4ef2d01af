"""Relative targets as a rule (app.scoring.targets) and as people write them
(app.formats.targets): each kind, its edges, and the Italian text both ways."""
from datetime import date
from decimal import Decimal

import pytest

from app.formats.targets import (
    TargetText,
    format_rule,
    format_years,
    parse_target,
    parse_year,
    parse_years,
)
from app.scoring import ScoringError
from app.scoring.targets import TargetKind, TargetRule, resolve
from app.scoring.values import NOT_MET, DateRange

PERCENT = TargetKind.PERCENT


def test_plus_ten_percent_on_the_observed_value():
    assert resolve(TargetRule(PERCENT, 2022, Decimal(10)), Decimal("77.3")) == Decimal("85.03")


def test_minus_percent_moves_the_value_down():
    assert resolve(TargetRule(PERCENT, 2022, Decimal(-10)), Decimal(70)) == Decimal(63)


def test_a_percentage_more_on_a_negative_base_is_higher_never_lower():
    assert resolve(TargetRule(PERCENT, 2022, Decimal(10)), Decimal(-20)) == Decimal(-18)


def test_a_percentage_of_a_zero_base_is_refused():
    with pytest.raises(ScoringError, match="zero"):
        resolve(TargetRule(PERCENT, 2022, Decimal(10)), Decimal(0))


def test_an_amount_is_added_or_taken_away():
    assert resolve(TargetRule(TargetKind.DELTA, 2022, Decimal(3)), Decimal(70)) == Decimal(73)
    assert resolve(TargetRule(TargetKind.DELTA, 2022, Decimal("-0.5")), Decimal(7)) \
        == Decimal("6.5")


def test_results_keep_two_decimals_rounded_half_up():
    assert resolve(TargetRule(PERCENT, 2022, Decimal(5)), Decimal("0.1")) == Decimal("0.11")


def test_same_as_the_year_keeps_dates_and_yes_no():
    same = TargetRule(TargetKind.SAME, 2022)
    assert resolve(same, date(2022, 11, 30)) == date(2022, 11, 30)
    assert resolve(same, True) is True
    assert resolve(same, DateRange(date(2022, 3, 1), date(2022, 4, 15))) == date(2022, 4, 15)


def test_percentages_and_amounts_refuse_dates_and_yes_no():
    for observed in (date(2022, 11, 30), True):
        with pytest.raises(ScoringError, match="only to numbers"):
            resolve(TargetRule(PERCENT, 2022, Decimal(10)), observed)


def test_a_missing_year_or_a_deadline_never_met_cannot_be_resolved():
    with pytest.raises(ScoringError, match="No value was recorded for 2022"):
        resolve(TargetRule(TargetKind.SAME, 2022), None)
    with pytest.raises(ScoringError, match="never met"):
        resolve(TargetRule(TargetKind.SAME, 2022), NOT_MET)


def test_a_target_refers_only_to_an_earlier_year():
    with pytest.raises(ScoringError, match="earlier year"):
        TargetRule(TargetKind.SAME, 2023).check(2023)
    TargetRule(TargetKind.SAME, 2022).check(2023)


def test_the_italian_rules_read_and_write_back():
    cases = {
        "+10% sul 2022": TargetRule(PERCENT, 2022, Decimal(10)),
        "-5% sul 2022": TargetRule(PERCENT, 2022, Decimal(-5)),
        "+3 sul 2022": TargetRule(TargetKind.DELTA, 2022, Decimal(3)),
        "-0,5 sul 2022": TargetRule(TargetKind.DELTA, 2022, Decimal("-0.5")),
        "= valore 2022": TargetRule(TargetKind.SAME, 2022),
    }
    for text, rule in cases.items():
        assert parse_target(text, "number") == TargetText(rule=rule)
        assert format_rule(rule) == text
    assert parse_target(">= valore del 2021", "number").rule == TargetRule(TargetKind.SAME, 2021)
    assert parse_target("+10 % rispetto al 2022", "percent").rule.kind is PERCENT


def test_a_plain_target_is_a_value_in_the_unit_and_bad_text_says_what_fits():
    assert parse_target("1.234,5", "number") == TargetText(value=Decimal("1234.5"))
    assert parse_target("30/11/2023", "date") == TargetText(value=date(2023, 11, 30))
    assert parse_target("n.d.", "number") is None
    with pytest.raises(ValueError, match="sul 2022"):
        parse_target("tanto", "number")


def test_the_targets_of_several_years_in_one_cell():
    years = parse_years("2024: <= 7 | 2025: +10% sul 2024", "percent")
    assert years == {2024: TargetText(value=Decimal(7)),
                     2025: TargetText(rule=TargetRule(PERCENT, 2024, Decimal(10)))}
    assert format_years(years) == "2024: 7 | 2025: +10% sul 2024"
    assert parse_years("", "number") == {}
    with pytest.raises(ValueError, match="twice"):
        parse_years("2024: 7; 2024: 8", "number")
    with pytest.raises(ValueError, match="2024: value"):
        parse_years("7", "number")
    with pytest.raises(ValueError, match="not a year"):
        parse_year("22")
