"""Every administration's rules as a configuration of the evaluation system, through the
services: the shipped presets, steps and overrides on a plan, blank weights, and no
figure computed by a rule other than the configured one (problems beside the nodes,
refused changes of the rules, no rewards on a plan that cannot be scored)."""
import random
from datetime import date
from decimal import Decimal

import pytest

from app.extensions import db
from app.scoring import EvaluationSystem, quantize2
from app.services.evaluation import rewards
from app.services.plan import operations as plan_service
from app.services.plan import rules
from app.services.plan import scores as plan_scores
from app.services.plan import system as smvp
from app.services.plan.adoption import plan_problems
from app.services.plan.errors import PlanError
from app.services.plan.imports import import_plan
from app.services.plan.presets import preset, presets
from tests.helpers import ADMIN, user_by_email
from tests.plan.helpers import find_indicator, find_objective, indicator_data

D = Decimal


def _apply(cycle, key: str) -> None:
    smvp.save_system(user_by_email(ADMIN), cycle, preset(key).system.model_dump(mode="json"))
    db.session.commit()


def test_the_shipped_presets():
    assert set(presets()) == {"torino-2022", "torino-2019", "pistoia-prato-2022",
                              "alessandria-asti-2020"}
    assert preset("torino-2022").system == EvaluationSystem.turin_default()
    assert preset("torino-2019").system.default_method == "steps"
    pistoia = preset("pistoia-prato-2022").system
    assert (pistoia.default_method, pistoia.ratio_cap, pistoia.weight_tolerance) == (
        "ratio", 100, D("0.7"))
    asti = preset("alessandria-asti-2020").system.rollup
    assert (asti.organisation, asti.strategic_kpi_share, asti.strategic_weights) == (
        "areas", 40, "area")
    for item in presets().values():
        assert item.description("it") and item.description("en") != item.description("it")


TURIN_2019 = ("codice_op;obiettivo_operativo;peso_op;codice_indicatore;indicatore;"
              "unita_di_misura;verso;target;peso;gradini;consuntivo\n"
              "OP1;Rigidità;100;I1;Indice di rigidità;%;<=;80%;40;"
              "< 80%: 100 | < 85%: 80 | < 90%: 60 | < 95%: 40 | < 100%: 20;92%\n"
              "OP1;Rigidità;100;I2;Bilancio sociale;data;<=;30/06/2019;30;"
              "<= 30/06/2019: 100 | <= 31/07/2019: 80 | <= 30/09/2019: 60 | <= 31/10/2019: 40 | "
              "<= 30/11/2019: 20;10/09/2019\n"
              "OP1;Rigidità;100;I3;Giorni di iscrizione;gg;<=;2;30;"
              "<= 2: 100 | <= 2,5: 80 | <= 3: 60 | <= 3,5: 40 | <= 4: 20;2,2\n")


def test_turin_2019_steps_through_an_imported_plan(cycle, support):
    _apply(cycle, "torino-2019")
    report = import_plan(support, cycle, "piano.csv", TURIN_2019.encode())
    assert report.ok, report.errors
    db.session.commit()
    scores = plan_scores.achievements(cycle)
    plan = cycle.plan
    assert [scores.indicator(find_indicator(plan, code).id) for code in ("I1", "I2", "I3")] \
        == [40, 60, 80]
    assert scores.objective(find_objective(plan, "OP1").id) == D(40) * D("0.4") + 18 + 24
    assert "Steps" in rules.describe(find_indicator(plan, "I1"), smvp.system_for(cycle))
    assert plan_problems(plan) == []


def test_an_indicator_without_a_steps_table_is_an_error_beside_it(cycle, support):
    _apply(cycle, "torino-2019")
    broken = TURIN_2019.replace("< 80%: 100 | < 85%: 80 | < 90%: 60 | < 95%: 40 | < 100%: 20",
                                "")
    report = import_plan(support, cycle, "piano.csv", broken.encode())
    assert not report.ok
    assert "needs a table of at least one step" in report.errors[0].message


ASTI = ("codice_area;area_strategica;peso_area;codice_os;obiettivo_strategico;peso_os;"
        "codice_op;obiettivo_operativo;peso_op;codice_indicatore;indicatore;unita_di_misura;"
        "verso;target;soglia;peso;consuntivo\n"
        "AS1;Imprese;33,34;OS1;Digitale;50;;;;K1;Servizi digitali;%;>=;100%;60%;100;90%\n"
        "AS1;Imprese;33,34;OS1;Digitale;50;OP1;Firma;;O1;Firme;%;>=;100%;;100;100%\n"
        "AS1;Imprese;33,34;OS1;Digitale;50;OP2;SPID;;O2;Identità;%;>=;100%;;100;90%\n"
        "AS1;Imprese;33,34;OS2;Credito;50;OP3;Bandi;;O3;Bandi;%;>=;100%;;100;100%\n"
        "AS2;Territorio;33,33;OS3;Turismo;100;OP4;Eventi;;O4;Eventi;n.;>=;3;;100;6\n"
        "AS3;Ente;33,33;OS4;Trasparenza;50;OP5;Sito;;O5;Pagine;n.;>=;10;;100;5\n"
        "AS3;Ente;33,33;OS5;Anticorruzione;50;OP6;Formazione;;O6;Corsi;n.;>=;2;;100;2\n")


def test_asti_rules_on_a_plan(cycle, support):
    """KPIs 75%, two unweighted operational objectives at 100% and 0% -> 0,4 x 75 + 0,6 x 50
    = 60% (DOMAIN); strategic objectives weighted within their area; the organisation is
    the weighted mean of the areas."""
    _apply(cycle, "alessandria-asti-2020")
    report = import_plan(support, cycle, "asti.csv", ASTI.encode())
    assert report.ok, report.errors
    db.session.commit()
    plan, scores = cycle.plan, plan_scores.achievements(cycle)
    assert find_objective(plan, "OP1").weight is None
    assert scores.indicator(find_indicator(plan, "K1").id) == 75
    assert scores.objective(find_objective(plan, "OS1").id) == 60
    assert plan_problems(plan) == []
    areas = {a.code: scores.strategic_area(a.id) for a in plan.areas}
    assert areas == {"AS1": 80, "AS2": 100, "AS3": 50}  # (60 + 100) / 2; 100; (0 + 100) / 2
    expected = (80 * D("33.34") + 100 * D("33.33") + 50 * D("33.33")) / 100
    assert scores.organisation == expected


def test_mixed_blank_and_numeric_weights_are_refused_by_the_check_and_the_scores(
        small_plan, support):
    indicator = find_indicator(small_plan, "OP1.2")
    indicator.weight = None
    db.session.commit()
    problems = plan_problems(small_plan)
    assert any("Indicators of OP1: some weights are blank" in p for p in problems)
    scores = plan_scores.achievements(small_plan.cycle)
    op1 = find_objective(small_plan, "OP1")
    assert scores.objective(op1.id) is None
    assert "Some weights are blank" in scores.problem("objective", op1.id)


def test_a_method_that_does_not_fit_is_shown_and_the_figures_above_it_are_withheld(
        small_plan, support):
    indicator = find_indicator(small_plan, "OP2.1")  # a date
    indicator.actual = date(2023, 11, 20)
    first = find_indicator(small_plan, "OP1.1")
    first.actual = D(85)
    db.session.commit()
    assert plan_scores.achievements(small_plan.cycle).organisation is not None
    indicator.method = "boolean"
    db.session.commit()
    scores = plan_scores.achievements(small_plan.cycle)
    assert "cannot score a value in date" in scores.problem("indicator", indicator.id)
    assert scores.indicator(indicator.id) is None
    assert scores.objective(find_objective(small_plan, "OP2").id) is None
    assert scores.organisation is None and scores.problem("organisation", None)
    assert scores.indicator(first.id) == 75  # the rest still shows
    assert any("OP2.1: the Yes/no method" in p for p in plan_problems(small_plan))
    with pytest.raises(rewards.RewardError, match="cannot all be computed"):
        rewards.compute(support, small_plan.cycle)


def test_new_rules_that_cannot_score_the_plan_are_refused(small_plan):
    admin = user_by_email(ADMIN)
    before = smvp.system_for(small_plan.cycle)
    with pytest.raises(PlanError) as info:
        smvp.save_system(admin, small_plan.cycle,
                         preset("torino-2019").system.model_dump(mode="json"))
    text = " ".join(info.value.messages)
    assert "could not score the plan" in text
    for code in ("OP1.1", "OP1.2", "OP2.1"):
        assert f"{code}: " in text
    assert smvp.system_for(small_plan.cycle) == before


def test_indicator_overrides_are_saved_exported_and_described(small_plan, support):
    objective = find_objective(small_plan, "OP1")
    indicator = plan_service.save_indicator(support, objective, indicator_data(
        "OP1.3", method="ratio", threshold=None, ratio_cap=D(123), weight=D(0)))
    db.session.commit()
    indicator.actual = D(100)
    db.session.commit()
    assert quantize2(plan_scores.achievements(small_plan.cycle).indicator(indicator.id)) == D('111.11')
    assert "123" in rules.describe(indicator, smvp.system_for(small_plan.cycle))
    from app.services.plan import export as plan_export
    row = next(r for r in plan_export.rows(small_plan) if r["indicator_code"] == "OP1.3")
    assert (row["method"], row["ratio_cap"]) == ("ratio", "123")


@pytest.mark.parametrize("seed", range(8))
def test_a_plan_the_check_accepts_always_scores(small_plan, seed):
    """Random weights (blank, zero, rounded or not adding up) on the small plan's groups:
    when the plan check finds no weight problem, the roll-up has none either, and when it
    finds one, the roll-up withholds a figure too."""
    rng = random.Random(seed)
    groups = [[find_objective(small_plan, c) for c in ("OP1", "OP2")],
              [find_indicator(small_plan, c) for c in ("OP1.1", "OP1.2")]]
    for group in groups:
        style = rng.choice(["blank", "exact", "rounded", "off", "mixed", "zero"])
        for position, node in enumerate(group):
            node.weight = {"blank": None, "exact": D(60) if position == 0 else D(40),
                           "rounded": D("50.004"), "off": D(45), "zero": D(0),
                           "mixed": None if position == 0 else D(100)}[style]
    for code, value in (("OP1.1", D(80)), ("OP1.2", D(6)), ("OP2.1", date(2023, 11, 1))):
        find_indicator(small_plan, code).actual = value
    db.session.commit()
    problems = [p for p in plan_problems(small_plan) if "weight" in p]
    scores = plan_scores.achievements(small_plan.cycle)
    assert (problems == []) == (scores.problems == {}), (problems, scores.problems)
    if not problems:
        assert scores.organisation is not None
