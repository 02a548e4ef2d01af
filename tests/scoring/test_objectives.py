"""Roll-up: objective, area, strategic objective and organisation achievements."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scoring import (
    EvaluationSystem,
    area_score,
    objective_score,
    organisation_score,
    quantize2,
    strategic_score,
)

PROPERTY = settings(max_examples=200, deadline=None)
D = Decimal


def test_domain_example():
    assert objective_score([(100, 50), (60, 30), (0, 20)]) == 68


def test_weights_are_normalised_and_zero_weights_left_out():
    assert objective_score([(100, 5), (60, 3), (0, 2)]) == 68
    assert objective_score([(100, 50), (60, 30), (0, 0)]) == 85  # neutralised indicator
    assert objective_score([("75", "33.3"), (D(75), D("66.7"))]) == 75


def test_blank_weights_count_equally():
    assert objective_score([(100, None), (50, None)]) == 75
    assert area_score([(50, None), (50, None), (80, None)]) == 60
    assert objective_score([(100, None), (None, None), (40, None)]) == 70  # one not measured


def test_a_zero_weight_still_counts_for_nothing():
    assert objective_score([(100, 50), (0, 0)]) == 100


def test_asti_strategic_objective_with_unweighted_operational_objectives():
    """DOMAIN: KPIs 75%, two unweighted operational objectives at 50% -> 60%."""
    asti = EvaluationSystem(rollup={"strategic_kpi_share": 40})
    assert strategic_score([(75, 100)], [(50, None), (50, None)], asti) == 60


def test_results_keep_full_precision():
    score = objective_score([(100, 1), (0, 2)])
    assert quantize2(score) == D("33.33") and score != D("33.33")


def test_area_is_the_weighted_mean_of_its_objectives():
    assert area_score([(75, 60), (0, 40)]) == 45


def test_organisation_simple_and_weighted():
    rows = [(80, 70), (20, 30), (50, 0)]
    assert organisation_score(rows) == 50  # Turin: simple mean, weight 0 left out
    weighted = EvaluationSystem(rollup={"organisation": "weighted"})
    assert organisation_score(rows, weighted) == 62
    areas = EvaluationSystem(rollup={"organisation": "areas"})
    assert organisation_score([(90, "33.34"), (60, "33.33"), (30, "33.33")], areas) \
        == D("60.0030")


def test_strategic_objective_turin_and_asti():
    own, below = [(100, 1)], [(50, 60), (0, 40)]
    assert strategic_score(own, below) == 100  # Turin: its own indicators
    assert strategic_score([], below) == 30  # none: its operational objectives
    assert strategic_score([(None, 100)], below) == 30  # neutralised indicator
    asti = EvaluationSystem(rollup={"strategic_kpi_share": 40})
    assert strategic_score(own, below, asti) == 58  # 40% x 100 + 60% x 30
    assert strategic_score([], below, asti) == 30
    assert strategic_score(own, [], asti) == 100


@pytest.mark.parametrize(("call", "message"), [
    (lambda: objective_score([(100, 50), (60, -10)]), "A weight cannot be negative."),
    (lambda: objective_score([(100, 0), (60, 0)]), "Every weight is 0"),
    (lambda: objective_score([(100, None), (60, 40)]), "Some weights are blank"),
    (lambda: objective_score([(None, 50), (None, 50)]), "Nothing can be measured"),
    (lambda: objective_score([]), "Nothing can be measured"),
    (lambda: objective_score([("n.d.", 10)]), "A score must be a number."),
    (lambda: objective_score([(-1, 10)]), "A score cannot be negative."),
    (lambda: objective_score([(50, "dieci")]), "A weight must be a number."),
    (lambda: area_score([(50, 0)]), "Every weight is 0"),
    (lambda: organisation_score([]), "Nothing can be measured"),
    (lambda: strategic_score([], []), "Nothing can be measured"),
])
def test_refused_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


rows = st.lists(st.tuples(st.decimals(min_value=0, max_value=100, places=2),
                          st.decimals(min_value=0, max_value=100, places=2)),
                min_size=1, max_size=12).filter(lambda r: any(w for _, w in r))


@PROPERTY
@given(rows=rows)
def test_a_weighted_mean_stays_between_its_lowest_and_highest_score(rows):
    measured = [score for score, weight in rows if weight]
    assert min(measured) <= objective_score(rows) <= max(measured)
