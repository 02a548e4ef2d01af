"""The published distribution of scores: counts and shares per score and per band."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scoring import counted_differentiation, differentiation

PROPERTY = settings(max_examples=200, deadline=None)
D = Decimal


def test_turin_2019_shares():
    """Turin 2019 published 18.5% of staff scored 6 and 6.8% in the low band."""
    scores = [6] * 185 + [5] * 300 + [4] * 350 + [3] * 97 + [1] * 40 + [0] * 8 + [None] * 20
    table = differentiation(scores)
    assert table.total == 1000
    assert table.by_score[6].share == D("18.50")
    assert table.by_band["low"].count == 68 and table.by_band["low"].share == D("6.80")
    assert table.not_evaluable.share == D("2.00")


def test_non_integer_scores_count_as_rounded_half_up():
    table = differentiation([D("1.50"), D("4.49"), D("4.50"), D("5.99"), "0.49"])
    assert [table.by_score[s].count for s in range(7)] == [1, 0, 1, 0, 1, 1, 1]
    assert {name: share.count for name, share in table.by_band.items()} == {
        "low": 1, "medium": 2, "high": 2}


def test_shares_add_up_to_100_by_largest_remainder():
    table = differentiation([0, 3, 6])
    assert [table.by_score[s].share for s in (0, 3, 6)] == [D("33.34"), D("33.33"), D("33.33")]
    assert sum(share.share for share in table.by_band.values()) == 100


def test_custom_bands():
    table = differentiation([2, 5, 6], {"low": [0, 2], "medium": [3, 5], "high": [6, 6]})
    assert {name: share.count for name, share in table.by_band.items()} == {
        "low": 1, "medium": 1, "high": 1}


def test_nobody():
    table = differentiation([])
    assert table.total == 0
    shares = [*table.by_score.values(), table.not_evaluable, *table.by_band.values()]
    assert all((s.count, s.share) == (0, D("0.00")) for s in shares)


@pytest.mark.parametrize("score", [7, -1, "sei"])
def test_refused_scores(score):
    with pytest.raises(ValueError, match="The score must be"):
        differentiation([3, score])


@PROPERTY
@given(st.lists(st.one_of(st.none(), st.decimals(min_value=0, max_value=6, places=2)),
                min_size=1, max_size=200))
def test_counts_and_shares_are_consistent(scores):
    table = differentiation(scores)
    per_score = [*table.by_score.values(), table.not_evaluable]
    assert sum(s.count for s in per_score) == table.total == len(scores)
    assert sum(s.count for s in table.by_band.values()) == table.total
    assert sum(s.share for s in per_score) == 100
    assert sum(s.share for s in table.by_band.values()) == 100
    for share in (*per_score, *table.by_band.values()):
        assert share.share.as_tuple().exponent == -2
        assert abs(share.share - D(share.count * 100) / len(scores)) < D("0.01")


def test_scores_counted_in_groups_give_the_table_of_each_person_one_by_one():
    counted = [(D("4.50"), 3), (None, 1), (D("4.50"), 1), (D("0.49"), 2), (6, 0)]
    table = counted_differentiation(counted)
    assert table == differentiation([D("4.50")] * 4 + [None] + [D("0.49")] * 2)
    assert (table.total, table.by_score[5].count, table.by_score[0].count) == (7, 4, 2)
    assert table.not_evaluable.count == table.by_band["low"].count - 2 == 1


@PROPERTY
@given(st.lists(st.tuples(st.one_of(st.none(), st.decimals(min_value=0, max_value=6, places=2)),
                          st.integers(min_value=0, max_value=50)), max_size=40))
def test_a_grouped_count_equals_the_expanded_list(counted):
    expanded = [score for score, number in counted for _ in range(number)]
    assert counted_differentiation(counted) == differentiation(expanded)
