"""Individual evaluation: the WHAT x HOW matrix, the weighted score, the bands."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scoring import EvaluationSystem, band, individual_score, matrix_value

PROPERTY = settings(max_examples=200, deadline=None)
D = Decimal

DOMAIN_MATRIX = {
    "A": [0, 1, 2, 3, 4, 5, 6],
    "B": [0, 1, 2, 3, 3, 4, 5],
    "C": [0, 0, 1, 2, 2, 3, 4],
}


@pytest.mark.parametrize("how", "ABC")
@pytest.mark.parametrize("what", range(7))
def test_matrix_is_the_domain_table(what, how):
    assert matrix_value(what, how) == DOMAIN_MATRIX[how][what]


def test_matrix_accepts_integral_decimals_and_lower_case():
    assert matrix_value(D(4), "b") == 3
    assert matrix_value("5", " C ") == 3


def test_custom_matrix():
    generous = {"A": [0, 2, 3, 4, 5, 6, 6], "B": [0, 1, 2, 3, 4, 5, 6], "C": [0, 1, 2, 3, 4, 5, 6]}
    assert matrix_value(1, "A", generous) == 2
    system = EvaluationSystem(matrix=generous)
    assert matrix_value(1, "A", system.matrix) == 2
    assert individual_score([(1, "A", 100)], system.matrix) == 2


@pytest.mark.parametrize(("what", "how", "message"), [
    (7, "A", "whole number from 0 to 6"), (-1, "A", "whole number from 0 to 6"),
    (D("4.5"), "A", "whole number from 0 to 6"), ("quattro", "A", "whole number from 0 to 6"),
    (True, "A", "whole number from 0 to 6"), (None, "A", "whole number from 0 to 6"),
    (3, "D", "must be A, B or C"), (3, "", "must be A, B or C"), (3, None, "must be A, B or C"),
    (3, 1, "must be A, B or C"),
])
def test_refused_ratings(what, how, message):
    with pytest.raises(ValueError, match=message):
        matrix_value(what, how)
    with pytest.raises(ValueError, match=message):
        individual_score([(what, how, 100)])


def test_refused_matrices():
    with pytest.raises(ValueError, match="needs a row for how C"):
        matrix_value(1, "A", {"A": DOMAIN_MATRIX["A"], "B": DOMAIN_MATRIX["B"]})
    with pytest.raises(ValueError, match="needs 7 values"):
        matrix_value(1, "A", {**DOMAIN_MATRIX, "C": [0, 1, 2]})


def test_score_is_the_weighted_mean_with_two_decimals():
    rows = [(6, "A", 50), (4, "B", 30), (2, "C", 20)]  # 6 x .5 + 3 x .3 + 1 x .2
    assert individual_score(rows) == D("4.10")
    assert individual_score([(5, "A", D("33.33")), (4, "A", D("66.67"))]) == D("4.33")
    assert str(individual_score([(6, "A", 100)])) == "6.00"


def test_score_rounds_half_up():
    # 5 x 0.125 + 4 x 0.875 = 4.125 -> 4.13 (half even would give 4.12)
    assert individual_score([(5, "A", D("12.5")), (4, "A", D("87.5"))]) == D("4.13")


def test_weights_may_miss_100_by_the_tolerance_only():
    assert individual_score([(6, "A", D("99.99"))]) == 6
    assert individual_score([(6, "A", D("60.005")), (6, "A", 40)]) == 6
    for weights in ([D("99.98")], [60, 30], [70, 40], []):
        with pytest.raises(ValueError, match="The weights must sum to 100"):
            individual_score([(6, "A", weight) for weight in weights])


def test_weight_errors_name_the_sum_and_keep_a_template():
    with pytest.raises(ValueError) as caught:
        individual_score([(6, "A", 60), (6, "A", 30)])
    assert str(caught.value) == "The weights must sum to 100 (they sum to 90)."
    assert caught.value.template == "The weights must sum to 100 (they sum to %(total)s)."


@pytest.mark.parametrize(("weight", "message"), [
    (-10, "A weight cannot be negative."), ("tanto", "A weight must be a number."),
])
def test_refused_weights(weight, message):
    with pytest.raises(ValueError, match=message):
        individual_score([(6, "A", 110), (6, "A", weight)])


@pytest.mark.parametrize(("score", "expected"), [
    (0, "low"), (1, "low"), (2, "medium"), (3, "medium"), (4, "medium"), (5, "high"),
    (6, "high"), (D("1.49"), "low"), (D("1.50"), "medium"), (D("4.49"), "medium"),
    (D("4.50"), "high"), ("5.99", "high"), (D("0.00"), "low"),
])
def test_bands(score, expected):
    assert band(score) == expected


def test_configurable_bands():
    strict = {"low": [0, 2], "medium": [3, 5], "high": [6, 6]}
    assert band(2, strict) == "low" and band(5, strict) == "medium"
    assert band(D("5.5"), strict) == "high"
    down = EvaluationSystem(bands={"rounding": "ROUND_HALF_DOWN"}).bands
    assert band(D("1.5"), down) == "low" and band(D("1.51"), down) == "medium"


@pytest.mark.parametrize("score", [-1, 7, D("6.01"), D("-0.01"), "sei", None])
def test_refused_band_scores(score):
    with pytest.raises(ValueError, match="The score must be"):
        band(score)


rows = st.lists(
    st.tuples(st.integers(0, 6), st.sampled_from("ABC"),
              st.decimals(min_value=0, max_value=100, places=2)),
    min_size=1, max_size=8,
).map(lambda rows: [*rows[:-1], (*rows[-1][:2], D(100) - sum(w for *_, w in rows[:-1]))]
      ).filter(lambda rows: rows[-1][2] >= 0)


@PROPERTY
@given(rows=rows)
def test_score_is_between_0_and_6_with_two_decimals(rows):
    score = individual_score(rows)
    assert 0 <= score <= 6
    assert score.as_tuple().exponent == -2
    assert band(score) in ("low", "medium", "high")


@PROPERTY
@given(rows=rows, index=st.integers(0, 7))
def test_a_better_what_never_lowers_the_score(rows, index):
    index %= len(rows)
    what, how, weight = rows[index]
    better = [*rows[:index], (min(what + 1, 6), how, weight), *rows[index + 1:]]
    assert individual_score(better) >= individual_score(rows)
