"""Explanations are built from the same numbers as the figures: the explained score is
the score, the explained total is what distribute_rewards pays, and every exact part
lies within a cent of the part paid."""
from decimal import Decimal

import pytest

from app.scoring import EvaluationSystem, Person, distribute_rewards, individual_score
from app.scoring.explain import (
    Money,
    Number,
    Terms,
    allocation_steps,
    band_steps,
    score_steps,
)

D = Decimal


def test_the_score_explanation_is_the_weighted_mean_of_the_matrix_values():
    rows = [("Sportello", 5, "A", D(50)), ("Registro", 4, "B", D(30)), ("Formazione", 3, "C", D(20))]
    explanation = score_steps(rows)
    assert explanation.value == individual_score([r[1:] for r in rows]) == D("3.80")
    assert [s.params["value"] for s in explanation.steps[:3]] == [5, 3, 2]
    last = explanation.steps[-1]
    assert last.params["terms"] == Terms([(Number(50), 5), (Number(30), 3), (Number(20), 2)])
    assert (last.template % {k: str(v) for k, v in last.params.items()}).endswith("= 3.80")


@pytest.mark.parametrize(("score", "whole", "band"), [("4.50", 5, "high"), ("1.49", 1, "low"),
                                                        ("3", 3, "medium")])
def test_the_band_explanation_names_the_rounding(score, whole, band):
    step = band_steps(D(score)).steps[0]
    assert step.params["whole"] == whole and step.params["band"] == band


def _people():
    scores = [D("3.40"), D(6), D("5.50"), D(1), None, D(2), D("4.75"), D(6)]
    return [Person(id=n, category="C" if n % 3 else "D", score=s,
                   organisation_achievement=D("87.5"), area_achievement=D(90 - n),
                   service_fraction=D("0.5") if n == 6 else D(1),
                   part_time=D("83.33") if n == 2 else D(100))
            for n, s in enumerate(scores)]


@pytest.mark.parametrize("system", [
    EvaluationSystem(), EvaluationSystem(reward_base="eligible"),
    EvaluationSystem(top_rated_bonus={"enabled": True, "max_share_of_staff": 30}),
    EvaluationSystem(score_factor_rule="floor")], ids=["everyone", "eligible", "bonus", "floor"])
def test_the_explained_total_is_what_the_distribution_pays(system):
    pool, people = D("81329.27"), _people()
    lines = distribute_rewards(pool, people, system).lines
    for person, line in zip(people, lines, strict=True):
        explanation = allocation_steps(pool, people, person.id, system)
        assert explanation.value == line.total
        exact = {s.template.split(" =")[0]: s.params["value"] for s in explanation.steps
                 if "value" in s.params and isinstance(s.params["value"], Money)}
        if line.total:
            assert abs(exact["Organisational part"] - line.organisational_part) < D("0.01")
            assert abs(exact["Individual part"] - line.individual_part) < D("0.01")
        else:
            assert len(explanation.steps) == 1  # why nothing is paid


def test_the_individual_part_shows_the_interpolated_factor():
    people = _people()
    steps = allocation_steps(D("81329.27"), people, 0).steps
    factor = next(s for s in steps if s.template.startswith("f("))
    assert factor.params["factor"].quantize(D("1e-20")) == (D("3.40") / 6).quantize(D("1e-20"))
    assert (factor.params["low"], factor.params["high"]) == (3, 4)


def test_a_strategic_objective_mixes_its_indicators_and_objectives_by_the_share():
    from app.scoring.explain import strategic_steps
    from app.scoring.system import RollUp

    asti = EvaluationSystem.turin_default().model_copy(
        update={"rollup": RollUp(strategic_kpi_share=D(40))})
    own, below = [("KPI", D(75), D(100))], [("OP1", D(50), None), ("OP2", D(50), None)]
    explanation = strategic_steps(own, below, asti)
    assert explanation.value == D(60)
    assert explanation.steps[-1].params["value"] == 60 and explanation.steps[-1].params["rest"] == 60


def test_a_strategic_objective_without_a_share_is_its_indicators_when_measured():
    from app.scoring.explain import strategic_steps

    turin = EvaluationSystem.turin_default()
    own, below = [("KPI1", D(100), D(60)), ("KPI2", D(50), D(40))], [("OP1", D(10), None)]
    assert strategic_steps(own, below, turin).value == D(80)
    assert strategic_steps([("KPI1", None, D(100))], below, turin).value == D(10)
