"""The rules of the other administrations in DOMAIN.md ("Other administrations' rules"),
through the pure API: ratio on dates, steps, never-met deadlines, date ranges, blank
weights and the weight tolerance, strategic weights within their area."""
from datetime import date, timedelta
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scoring import (
    EvaluationSystem,
    ScoringError,
    indicator_score,
    objective_score,
    quantize2,
    strategic_score,
)
from app.scoring.indicators import check_steps
from app.scoring.numbers import CONTEXT
from app.scoring.values import NOT_MET, DateRange
from app.scoring.weights import check_weights, resolve_weights

PROPERTY = settings(max_examples=200, deadline=None)
D = Decimal

RIGIDITY = [("<", 80, 100), ("<", 85, 80), ("<", 90, 60), ("<", 95, 40), ("<", 100, 20)]
BY_MONTH = [("<=", date(2019, 6, 30), 100), ("<=", date(2019, 7, 31), 80),
            ("<=", date(2019, 9, 30), 60), ("<=", date(2019, 10, 31), 40),
            ("<=", date(2019, 11, 30), 20)]
REGISTRATION_DAYS = [("<=", 2, 100), ("<=", "2.5", 80), ("<=", 3, 60), ("<=", "3.5", 40),
                     ("<=", 4, 20)]


# --- Pistoia-Prato 2022 ------------------------------------------------------------------

def test_pistoia_ratio_examples():
    assert quantize2(indicator_score(96, 99, method="ratio")) == D("96.97")
    assert indicator_score(45, 40, method="ratio", cap=120) == D("112.5")
    assert indicator_score(37, 30, method="ratio", cap=123) == D(123)
    assert indicator_score(37, 30, method="ratio") == 100


def test_pistoia_dates_by_ratio_of_day_numbers():
    late = indicator_score(date(2023, 1, 10), date(2022, 12, 31), direction="<=",
                           method="ratio")
    assert quantize2(late) == D("97.33")  # 365 / 375
    assert indicator_score(date(2022, 12, 5), date(2022, 12, 15), direction="<=",
                           method="ratio") == 100


def test_a_deadline_never_met_scores_zero_under_every_date_rule():
    for method in ("ratio", "threshold", "deadline"):
        assert indicator_score(NOT_MET, date(2022, 12, 31), direction="<=",
                               method=method) == 0
    assert indicator_score(NOT_MET, None, method="steps", steps=BY_MONTH) == 0


def test_never_met_is_refused_for_a_number():
    with pytest.raises(ScoringError, match="Only a deadline"):
        indicator_score(NOT_MET, 10, method="ratio")
    with pytest.raises(ScoringError, match="Only a deadline"):
        indicator_score(NOT_MET, None, method="steps", steps=RIGIDITY)


def test_a_date_range_is_scored_by_its_end():
    period = DateRange(date(2022, 3, 1), date(2022, 4, 15))
    assert indicator_score(period, date(2022, 4, 30), direction="<=", method="deadline") == 100
    assert indicator_score(period, date(2022, 4, 10), direction="<=", method="deadline") == 0
    with pytest.raises(ValueError):
        DateRange(date(2022, 4, 15), date(2022, 3, 1))


def test_pistoia_rounded_weights_within_the_tolerance_are_normalised():
    assert check_weights([D("14.3")] * 7, D("0.7")) == D("100.1")
    assert check_weights([D("7.1")] * 14, D("0.7")) == D("99.4")
    with pytest.raises(ScoringError, match="add up to 99.4"):
        check_weights([D("7.1")] * 14, D("0.01"))
    assert check_weights([D(50), D(50)]) is None
    score = objective_score([(100, D("14.3"))] + [(0, D("14.3"))] * 6)
    assert quantize2(score) == D("14.29")  # 14,3 / 100,1, not 14,3 / 100


# --- Turin 2019: steps -------------------------------------------------------------------

def test_turin_2019_steps_examples():
    assert indicator_score(92, None, method="steps", steps=RIGIDITY) == 40
    assert indicator_score(date(2019, 9, 10), None, method="steps", steps=BY_MONTH) == 60
    assert indicator_score("2.2", None, method="steps", steps=REGISTRATION_DAYS) == 80
    assert indicator_score(100, None, method="steps", steps=RIGIDITY) == 0
    assert indicator_score(date(2019, 12, 1), None, method="steps", steps=BY_MONTH) == 0


@pytest.mark.parametrize(("steps", "message"), [
    ([], "at least one step"),
    (None, "at least one step"),
    ([("<", 85, 80), ("<", 80, 100)], "out of order"),
    ([("<", 80, 100), ("<", 80, 90)], "out of order"),
    ([("<", 80, 100), (">", 85, 80)], "mix < and >"),
    ([("<", 80, 101)], "between 0 and 100"),
    ([("<", 80, -1)], "between 0 and 100"),
    ([("<", 80, 60), ("<", 85, 80)], "gives more than the step before"),
    ([("<", date(2019, 6, 30), 100), ("<", 85, 80)], "mix dates and numbers"),
    ([("!=", 80, 100)], "condition must be"),
    ([("<", "ottanta", 100)], "bound must be a number or a date"),
    ([("<", True, 100)], "bound must be a number or a date"),
    ([("<", 80)], "must be \\(condition, bound, achievement\\)"),
])
def test_refused_steps(steps, message):
    with pytest.raises(ScoringError, match=message):
        indicator_score(90, None, method="steps", steps=steps)


def test_a_steps_bound_of_the_wrong_kind_for_the_actual_is_refused():
    with pytest.raises(ScoringError, match="must be a date"):
        indicator_score(92, None, method="steps", steps=BY_MONTH)
    with pytest.raises(ScoringError, match="must be a number"):
        indicator_score(date(2019, 9, 10), None, method="steps", steps=RIGIDITY)


def test_steps_with_equal_bounds_go_from_strict_to_wide():
    steps = [("<", 5, 100), ("<=", 5, 80), ("<=", 6, 50)]
    assert check_steps(steps)[1] == ("<=", D(5), D(80))
    assert indicator_score(5, None, method="steps", steps=steps) == 80
    with pytest.raises(ScoringError, match="out of order"):
        check_steps([("<=", 5, 100), ("<", 5, 80)])
    higher = [(">", 95, 100), (">=", 95, 90), (">=", 80, 50)]
    assert indicator_score(95, None, method="steps", steps=higher) == 90


# --- Alessandria-Asti 2020 ---------------------------------------------------------------

def test_asti_strategic_objective():
    asti = EvaluationSystem(rollup={"strategic_kpi_share": 40})
    assert strategic_score([(75, 100)], [(50, None), (50, None)], asti) == 60


def test_alessandria_operational_mean_as_an_indicator():
    """KPI 'events organised' 6 vs >= 3 and the operational mean 97,27 vs >= 80: both
    100% -> 100%."""
    events = indicator_score(6, 3, direction=">=")
    mean = indicator_score(D("97.27"), 80, direction=">=")
    assert objective_score([(events, 40), (mean, 60)]) == 100


def test_blank_and_zero_weights():
    assert resolve_weights([None, None, None]) == [1, 1, 1]
    assert resolve_weights([D(0), D(100)]) == [0, 100]
    with pytest.raises(ScoringError, match="Some weights are blank"):
        resolve_weights([None, D(50)])
    with pytest.raises(ScoringError, match="Every weight is 0"):
        resolve_weights([D(0), D(0)])
    assert check_weights([None, None]) is None


# --- properties --------------------------------------------------------------------------

caps = st.decimals(min_value=100, max_value=200, places=0)
days = st.integers(min_value=-400, max_value=800)
TARGET = date(2022, 6, 30)


@PROPERTY
@given(first=days, second=days, cap=caps, direction=st.sampled_from(["<=", ">="]))
def test_the_date_ratio_is_monotone_and_bounded(first, second, cap, direction):
    early, late = sorted((first, second))
    score_early = indicator_score(TARGET + timedelta(days=early), TARGET,
                                  direction=direction, method="ratio", cap=cap)
    score_late = indicator_score(TARGET + timedelta(days=late), TARGET,
                                 direction=direction, method="ratio", cap=cap)
    for score in (score_early, score_late):
        assert 0 <= score <= cap
    if direction == "<=":
        assert score_early >= score_late
    else:
        assert score_early <= score_late


@st.composite
def step_tables(draw):
    size = draw(st.integers(min_value=1, max_value=6))
    bounds = sorted(draw(st.lists(st.integers(min_value=-50, max_value=150), min_size=size,
                                  max_size=size, unique=True)))
    achievements = sorted(draw(st.lists(st.integers(min_value=0, max_value=100),
                                        min_size=size, max_size=size)), reverse=True)
    ops = draw(st.lists(st.sampled_from(["<", "<="]), min_size=size, max_size=size))
    lower_is_better = draw(st.booleans())
    if lower_is_better:
        return list(zip(ops, bounds, achievements))
    return [(">" if op == "<" else ">=", bound, achievement)
            for op, bound, achievement in zip(ops, reversed(bounds), achievements)]


@PROPERTY
@given(steps=step_tables(), first=st.integers(-100, 200), second=st.integers(-100, 200))
def test_steps_are_monotone_in_the_actual_and_bounded(steps, first, second):
    low, high = sorted((first, second))
    score_low = indicator_score(low, None, method="steps", steps=steps)
    score_high = indicator_score(high, None, method="steps", steps=steps)
    for score in (score_low, score_high):
        assert 0 <= score <= 100
    if steps[0][0] in ("<", "<="):
        assert score_low >= score_high
    else:
        assert score_low <= score_high


weights = st.one_of(
    st.lists(st.none(), min_size=1, max_size=8),
    st.lists(st.decimals(min_value=0, max_value=100, places=1), min_size=1, max_size=8),
    st.lists(st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=1)),
             min_size=1, max_size=8))


@PROPERTY
@given(group=weights, tolerance=st.decimals(min_value=0, max_value=2, places=2),
       scores=st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=8,
                       max_size=8))
def test_a_group_the_check_accepts_always_scores_with_the_weights_it_read(
        group, tolerance, scores):
    """The check may also refuse a sum outside the tolerance, which the roll-up would
    normalise; what the roll-up refuses, the check refuses too."""
    rows = list(zip(scores, group))
    try:
        total = check_weights(group, tolerance)
    except ScoringError:
        try:
            resolve_weights(group)
        except ScoringError:
            with pytest.raises(ScoringError):
                objective_score(rows)
        return
    read = [D(1) if weight is None else weight for weight in group]
    if total is not None:
        assert sum(read) == total
    with localcontext(CONTEXT):
        expected = sum(score * weight for score, weight in zip(scores, read)) / sum(read)
    assert objective_score(rows) == expected
