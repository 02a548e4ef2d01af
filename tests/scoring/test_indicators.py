"""Indicator achievement: DOMAIN.md's examples, every method and direction, refused
input, and the properties that hold for any input (range, monotony)."""
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.scoring import DIRECTIONS, ScoringError, indicator_score, quantize2

PROPERTY = settings(max_examples=200, deadline=None)
D = Decimal


def test_domain_examples():
    assert indicator_score(D(85), D(90), D(70), ">=") == 75  # target >= 90%, threshold 70%
    assert indicator_score(6, 5, 9, "<=") == 75  # target <= 5 days, threshold 9


@pytest.mark.parametrize(("actual", "expected"), [(95, 100), (90, 100), (80, 50), (70, 0), (10, 0)])
def test_threshold_higher_is_better(actual, expected):
    assert indicator_score(actual, 90, 70) == expected


@pytest.mark.parametrize(("actual", "expected"), [(3, 100), (5, 100), (7, 50), (9, 0), (20, 0)])
def test_threshold_lower_is_better(actual, expected):
    assert indicator_score(actual, 5, 9, "<=") == expected


def test_threshold_without_threshold_is_all_or_nothing():
    assert indicator_score(90, 90) == 100
    assert indicator_score(D("89.99"), 90) == 0
    assert indicator_score(4, 5, direction="<=") == 100
    assert indicator_score(6, 5, direction="<=") == 0
    assert indicator_score(5, 5, direction="=") == 100
    assert indicator_score(D("5.01"), 5, direction="=") == 0


def test_exact_direction_with_threshold_is_linear_on_the_distance():
    assert indicator_score(100, 100, 90, "=") == 100
    assert indicator_score(95, 100, 90, "=") == 50
    assert indicator_score(105, 100, 90, "=") == 50  # the same distance on the other side
    assert indicator_score(110, 100, 90, "=") == 0
    assert indicator_score(130, 100, 120, "=") == 0


def test_results_are_unrounded_and_quantize2_rounds_half_up():
    score = indicator_score(D(80), D(90), D(60))
    assert quantize2(score, 20) == D("66.66666666666666666667")  # not cut to 2 decimals
    assert quantize2(score) == D("66.67")
    assert quantize2(D("12.345")) == D("12.35")
    assert quantize2(D("12.345"), 1) == D("12.3")


def test_numbers_as_text_and_floats_are_read():
    assert indicator_score("85", " 90 ", "70") == 75
    assert indicator_score(85.0, 90, 70) == 75


def test_ratio_method():
    assert indicator_score(30, 60, method="ratio") == 50
    assert indicator_score(90, 60, method="ratio") == 100  # capped at 100 by default
    assert quantize2(indicator_score(37, 30, method="ratio", cap=D(200)), 6) == D("123.333333")
    assert indicator_score(4, 5, direction="<=", method="ratio") == 100
    assert indicator_score(10, 5, direction="<=", method="ratio") == 50
    assert indicator_score(8, 10, direction="=", method="ratio") == 80
    assert indicator_score(D("12.5"), 10, direction="=", method="ratio") == 80


@pytest.mark.parametrize(("actual", "target", "direction", "expected"), [
    (0, 0, ">=", 100), (0, 0, "<=", 100), (0, 0, "=", 100),   # met exactly
    (5, 0, ">=", 100), (-1, 0, ">=", 0),                      # zero target
    (0, 5, ">=", 0), (-3, 5, ">=", 0),                        # zero or negative actual
    (0, 5, "<=", 100), (-1, 5, "<=", 100), (1, 0, "<=", 0),   # lower is better
    (-2, -6, ">=", 100), (-8, -6, ">=", 75),                  # two negatives: magnitudes
    (-8, -6, "<=", 100), (-3, -6, "<=", 50), (1, -6, "<=", 0),
    (0, 5, "=", 0), (-5, 5, "=", 0), (-4, -5, "=", 80),
])
def test_ratio_zero_and_negative_values(actual, target, direction, expected):
    assert indicator_score(actual, target, direction=direction, method="ratio") == expected


def test_ratio_beyond_target_without_a_ratio_scores_the_cap():
    assert indicator_score(5, 0, method="ratio", cap=D(150)) == 150
    assert indicator_score(0, -6, method="ratio", cap=D(150)) == 150


def test_boolean_method():
    assert indicator_score(True, None, method="boolean") == 100
    assert indicator_score("sì", "si", direction="=", method="boolean") == 100
    assert indicator_score("yes", True, method="boolean") == 100
    assert indicator_score("no", "si", method="boolean") == 0
    assert indicator_score(False, True, method="boolean") == 0
    assert indicator_score("no", "no", method="boolean") == 100  # the target is "no"


def test_deadline_method():
    target = date(2022, 2, 28)
    assert indicator_score(date(2022, 2, 1), target, direction="<=", method="deadline") == 100
    assert indicator_score(target, target, direction="<=", method="deadline") == 100
    assert indicator_score(date(2022, 3, 1), target, direction="<=", method="deadline") == 0
    # Pistoia-Prato: one day late, 98%.
    assert indicator_score(date(2022, 3, 1), target, direction="<=", method="deadline",
                           credit_per_day_late=D(2)) == 98
    assert indicator_score(date(2022, 6, 1), target, direction="<=", method="deadline",
                           credit_per_day_late=D(2)) == 0
    assert indicator_score("2022-02-28", "2022-02-28", direction="<=", method="deadline") == 100
    assert indicator_score(datetime(2022, 2, 28, 17), target, None, "<=",
                           method="deadline") == 100


def test_deadline_other_directions():
    target = date(2022, 6, 1)
    assert indicator_score(date(2022, 6, 3), target, method="deadline") == 100  # on or after
    assert indicator_score(date(2022, 5, 31), target, method="deadline",
                           credit_per_day_late=10) == 90
    assert indicator_score(date(2022, 6, 3), target, direction="=", method="deadline",
                           credit_per_day_late=10) == 80


def test_threshold_method_on_dates():
    target = date(2023, 11, 30)
    assert indicator_score(date(2023, 12, 5), target, None, "<=") == 0  # late
    assert indicator_score(date(2023, 11, 30), target, None, "<=") == 100
    assert indicator_score(date(2023, 12, 5), target, None, "<=", credit_per_day_late=1) == 95
    assert indicator_score(date(2023, 12, 5), target, date(2023, 12, 10), "<=") == 50


def test_options_a_method_does_not_use_are_ignored():
    assert indicator_score(85, 90, 70, cap=D(150), credit_per_day_late=D(2)) == 75


@pytest.mark.parametrize(("call", "message"), [
    (lambda: indicator_score(1, 2, direction=">>"), "Unknown direction '>>'"),
    (lambda: indicator_score(1, 2, method="linear"), "Unknown scoring method 'linear'"),
    (lambda: indicator_score("ottanta", 90), "The actual value must be a number."),
    (lambda: indicator_score("12.5x", 90), "The actual value must be a number."),
    (lambda: indicator_score("12,5", 90), "The actual value must be a number."),
    (lambda: indicator_score(None, 90), "The actual value must be a number."),
    (lambda: indicator_score(True, 90), "The actual value must be a number."),
    (lambda: indicator_score(float("nan"), 90), "The actual value must be a number."),
    (lambda: indicator_score("Infinity", 90), "The actual value must be a number."),
    (lambda: indicator_score(date(2022, 1, 1), 90), "The actual value must be a number."),
    (lambda: indicator_score(80, "n.d."), "The target must be a number."),
    (lambda: indicator_score(80, 90, "soglia"), "The threshold must be a number."),
    (lambda: indicator_score(85, 90, 95, ">="), "threshold must be below the target"),
    (lambda: indicator_score(85, 90, 90, ">="), "threshold must be below the target"),
    (lambda: indicator_score(6, 5, 4, "<="), "threshold must be above the target"),
    (lambda: indicator_score(6, 5, 5, "<="), "threshold must be above the target"),
    (lambda: indicator_score(6, 5, 5, "="), "threshold must differ from the target"),
    (lambda: indicator_score(1, 2, method="ratio", cap=90), "The cap must be at least 100."),
    (lambda: indicator_score(1, 2, 0, method="ratio"), "A ratio indicator has no threshold."),
    (lambda: indicator_score(date(2022, 1, 1), 2, method="ratio"),
     "The actual value must be a number."),
    (lambda: indicator_score("forse", True, method="boolean"),
     "The actual value must be yes or no."),
    (lambda: indicator_score(True, date(2022, 11, 30), method="boolean"),
     "The target must be yes or no."),
    (lambda: indicator_score("dal 28.10 al 14.11 2022", date(2022, 11, 30), None, "<=",
                             "deadline"), "The actual value must be a date."),
    (lambda: indicator_score("2022-02-30", date(2022, 11, 30), method="deadline"),
     "The actual value must be a date."),
    (lambda: indicator_score(date(2022, 1, 1), 45000, method="deadline"),
     "The target must be a date."),
    (lambda: indicator_score(45000, date(2022, 1, 1)), "The actual value must be a date."),
    (lambda: indicator_score(date(2022, 1, 1), date(2022, 1, 1), 5),
     "The threshold must be a date."),
    (lambda: indicator_score(date(2022, 1, 1), date(2022, 1, 1), date(2022, 2, 1),
                             method="deadline"), "A deadline has no threshold"),
    (lambda: indicator_score(date(2022, 1, 2), date(2022, 1, 1), method="deadline",
                             credit_per_day_late=-1), "credit per day late must be between"),
])
def test_refused_input(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(".", r"\.")):
        call()


def test_refusals_carry_a_translatable_template():
    with pytest.raises(ScoringError) as caught:
        indicator_score(1, 2, method="linear")
    assert caught.value.template == "Unknown scoring method '%(value)s'."
    assert caught.value.params == {"value": "linear"}


# --- properties -----------------------------------------------------------------------

numbers = st.decimals(min_value=-10**6, max_value=10**6, places=3,
                      allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value=D("0.001"), max_value=10**6, places=3)
caps = st.sampled_from([D(100), D(123), D(1000)])
days = st.integers(min_value=-400, max_value=400)
BASE_DAY = date(2022, 6, 30)


def _threshold_for(target: Decimal, gap: Decimal, direction: str) -> Decimal:
    return target + gap if direction == "<=" else target - gap


@PROPERTY
@given(actual=numbers, target=numbers, gap=positive, direction=st.sampled_from(DIRECTIONS),
       with_threshold=st.booleans())
def test_threshold_is_between_0_and_100(actual, target, gap, direction, with_threshold):
    threshold = _threshold_for(target, gap, direction) if with_threshold else None
    assert 0 <= indicator_score(actual, target, threshold, direction) <= 100


@PROPERTY
@given(actual=numbers, target=numbers, direction=st.sampled_from(DIRECTIONS), cap=caps)
def test_ratio_is_between_0_and_the_cap(actual, target, direction, cap):
    assert 0 <= indicator_score(actual, target, None, direction, "ratio", cap=cap) <= cap


@PROPERTY
@given(late=days, credit=st.decimals(min_value=0, max_value=100, places=2),
       direction=st.sampled_from(DIRECTIONS))
def test_deadline_is_between_0_and_100(late, credit, direction):
    actual = BASE_DAY + timedelta(days=late)
    score = indicator_score(actual, BASE_DAY, None, direction, "deadline",
                            credit_per_day_late=credit)
    assert 0 <= score <= 100


def _better_and_worse(first, second, target, direction):
    """For = the one closer to the target (both on the same side of it)."""
    if direction == ">=":
        return max(first, second), min(first, second)
    if direction == "<=":
        return min(first, second), max(first, second)
    assume((first - target) * (second - target) >= 0)
    return sorted((first, second), key=lambda value: abs(value - target))


@PROPERTY
@given(first=numbers, second=numbers, target=numbers, gap=positive,
       direction=st.sampled_from(DIRECTIONS), with_threshold=st.booleans())
def test_threshold_never_punishes_a_better_actual(first, second, target, gap, direction,
                                                  with_threshold):
    threshold = _threshold_for(target, gap, direction) if with_threshold else None
    better, worse = _better_and_worse(first, second, target, direction)
    assert (indicator_score(better, target, threshold, direction)
            >= indicator_score(worse, target, threshold, direction))


@PROPERTY
@given(first=numbers, second=numbers, target=numbers, direction=st.sampled_from(DIRECTIONS),
       cap=caps)
def test_ratio_never_punishes_a_better_actual(first, second, target, direction, cap):
    better, worse = _better_and_worse(first, second, target, direction)
    assert (indicator_score(better, target, None, direction, "ratio", cap=cap)
            >= indicator_score(worse, target, None, direction, "ratio", cap=cap))


@PROPERTY
@given(first=days, second=days, credit=st.decimals(min_value=0, max_value=100, places=2),
       direction=st.sampled_from(DIRECTIONS), method=st.sampled_from(["deadline", "threshold"]))
def test_deadline_never_punishes_a_better_date(first, second, credit, direction, method):
    better, worse = _better_and_worse(first, second, 0, direction)

    def score(offset):
        return indicator_score(BASE_DAY + timedelta(days=offset), BASE_DAY, None, direction,
                               method, credit_per_day_late=credit)

    assert score(better) >= score(worse)


@PROPERTY
@given(first=days, second=days, gap=st.integers(min_value=1, max_value=400),
       direction=st.sampled_from(DIRECTIONS))
def test_dates_with_a_threshold_never_punish_a_better_date(first, second, gap, direction):
    better, worse = _better_and_worse(first, second, 0, direction)
    threshold = BASE_DAY + timedelta(days=gap if direction == "<=" else -gap)

    def score(offset):
        return indicator_score(BASE_DAY + timedelta(days=offset), BASE_DAY, threshold, direction)

    assert 0 <= score(worse) <= score(better) <= 100


@pytest.mark.parametrize("target", [True, False])
def test_boolean_never_punishes_meeting_the_target(target):
    met = indicator_score(target, target, method="boolean")
    missed = indicator_score(not target, target, method="boolean")
    assert met == 100 and missed == 0
