"""The evaluation system: Turin defaults, JSON round trip, refused configurations."""
import json
from decimal import Decimal
from fractions import Fraction
from typing import get_args

import pytest
from pydantic import ValidationError

from app.scoring import METHODS, EvaluationSystem

D = Decimal


def test_turin_defaults():
    system = EvaluationSystem.turin_default()
    assert system.default_method == "threshold"
    assert system.matrix.root["B"] == (0, 1, 2, 3, 3, 4, 5)
    assert (system.bands.low, system.bands.medium, system.bands.high) == ((0, 1), (2, 4), (5, 6))
    assert (system.rounding.mode, system.rounding.decimals) == ("ROUND_HALF_UP", 2)
    assert system.rollup.organisation == "simple" and system.rollup.strategic_kpi_share is None
    shares = system.organisational_shares
    assert (shares.staff_org, shares.staff_area, shares.manager_org) == (25, 15, 20)
    assert [system.score_factors[s] for s in range(7)] == [0, 0, *(Fraction(s, 6) for s in
                                                                 range(2, 7))]
    assert not system.top_rated_bonus.enabled
    assert system.top_rated_bonus.min_percent_of_average == 30
    assert system.top_rated_bonus.max_share_of_staff == 10
    assert system.categories["D"].parameter == D("1.40")
    assert system.categories["DIR"].manager
    assert system.review_window_days == 15
    assert system.deadline_credit_per_day == 0 and system.ratio_cap == 100
    assert system.indicator_options() == {"cap": 100, "credit_per_day_late": 0}


def test_methods_listed_by_the_schema_are_the_implemented_ones():
    assert get_args(EvaluationSystem.model_fields["default_method"].annotation) == METHODS


def test_json_round_trip():
    system = EvaluationSystem(ratio_cap="123", score_factor_rule="round",
                              rollup={"organisation": "weighted", "strategic_kpi_share": "40"},
                              top_rated_bonus={"enabled": True})
    data = json.loads(json.dumps(system.model_dump(mode="json")))
    assert EvaluationSystem.model_validate(data) == system
    assert data["score_factors"]["2"] == "1/3" and data["score_factors"]["3"] == "0.5"
    assert data["matrix"]["C"] == [0, 0, 1, 2, 2, 3, 4]
    assert EvaluationSystem.model_validate(EvaluationSystem().model_dump(mode="json")) \
        == EvaluationSystem.turin_default()


def test_factors_accept_numbers_and_fractions():
    factors = {"0": 0, "1": "0", "2": "0.25", "3": "1/2", "4": D("0.6"), "5": "4/5", "6": 1}
    system = EvaluationSystem(score_factors=factors)
    assert system.score_factors[5] == Fraction(4, 5)
    assert system.model_dump(mode="json")["score_factors"]["5"] == "0.8"


def test_round_reports_with_the_configured_rounding():
    assert EvaluationSystem().round(D("2.345")) == D("2.35")
    assert EvaluationSystem(rounding={"decimals": 1, "mode": "ROUND_DOWN"}).round("2.39") \
        == D("2.3")


@pytest.mark.parametrize(("data", "message"), [
    ({"matrix": {"A": [0, 1, 2, 3, 4, 5, 6], "B": [0, 1, 2, 3, 3, 4, 5]}}, "row for how C"),
    ({"matrix": {"A": [0, 1, 2, 3, 4, 5], "B": [0] * 7, "C": [0] * 7}}, "needs 7 values"),
    ({"matrix": {"A": [0, 1, 2, 3, 4, 5, 7], "B": [0] * 7, "C": [0] * 7}}, "0 to 6"),
    ({"matrix": {"A": [0, 1, 2, 3, 4, 6, 5], "B": [0] * 7, "C": [0] * 7}}, "never give a lower"),
    ({"matrix": {"A": [0] * 7, "B": [0] * 7, "C": [0] * 7, "D": [0] * 7}}, "Input should be"),
    ({"bands": {"low": [0, 1], "medium": [3, 4], "high": [5, 6]}}, "medium band must start at 2"),
    ({"bands": {"low": [0, 2], "medium": [2, 4], "high": [5, 6]}}, "medium band must start at 3"),
    ({"bands": {"low": [1, 1]}}, "low band must start at 0"),
    ({"bands": {"high": [5, 5]}}, "high band must end at 6"),
    ({"bands": {"medium": [2, 1], "high": [2, 6]}}, "medium band ends before it starts"),
    ({"organisational_shares": {"staff_org": 101}}, "less than or equal to 100"),
    ({"organisational_shares": {"staff_org": -1}}, "greater than or equal to 0"),
    ({"organisational_shares": {"staff_org": 90, "staff_area": 20}}, "more than 100"),
    ({"organisational_shares": {"manager_org": 90, "manager_area": 20}}, "more than 100"),
    ({"score_factors": {"0": 0, "1": 0, "2": "1/3"}}, "every score from 0 to 6"),
    ({"score_factors": {str(s): "1.5" for s in range(7)}}, "between 0 and 1"),
    ({"score_factors": {"0": 0, "1": 0, "2": "0.5", "3": "0.4", "4": 1, "5": 1, "6": 1}},
     "never get a lower factor"),
    ({"score_factors": {str(s): "tanto" for s in range(7)}}, "fraction such as 2/3"),
    ({"categories": {}}, "At least one category"),
    ({"categories": {"A": {"parameter": 0}}}, "greater than 0"),
    ({"default_method": "linear"}, "Input should be"),
    ({"ratio_cap": 90}, "greater than or equal to 100"),
    ({"review_window_days": 0}, "greater than or equal to 1"),
    ({"rollup": {"organisation": "median"}}, "Input should be"),
    ({"top_rated_bonus": {"max_share_of_staff": 150}}, "less than or equal to 100"),
    ({"colour": "blue"}, "Extra inputs are not permitted"),
])
def test_refused_configurations(data, message):
    with pytest.raises(ValidationError, match=message):
        EvaluationSystem.model_validate(data)


def test_the_rules_cannot_be_changed_in_place():
    system = EvaluationSystem()
    with pytest.raises(ValidationError):
        system.ratio_cap = D(200)
