"""Achievements of the plan through app.scoring: DOMAIN.md's examples, neutralised and
unmeasured indicators left out, roll-up to objectives, areas and the organisation."""
from datetime import date
from decimal import Decimal

from app.extensions import db
from app.services.plan import operations as plan_service
from app.services.plan import scores as plan_scores
from app.services.plan.measurement import neutralise, record_actual, record_monitoring
from tests.plan.helpers import approve, find_indicator, find_objective


def _record(plan, actor, values: dict):
    for code, value in values.items():
        record_actual(actor, find_indicator(plan, code), value)
    db.session.commit()


def test_nothing_measured_means_no_achievement(small_plan):
    scores = plan_scores.achievements(small_plan.cycle)
    assert scores.organisation is None and scores.objective(find_objective(small_plan, "OP1").id) is None


def test_domain_examples_and_roll_up(small_plan, support):
    approve(small_plan.cycle)
    _record(small_plan, support, {"OP1.1": Decimal(85), "OP1.2": Decimal(6),
                                  "OP2.1": date(2023, 12, 5)})
    scores = plan_scores.achievements(small_plan.cycle)
    assert scores.indicator(find_indicator(small_plan, "OP1.1").id) == Decimal(75)
    assert scores.indicator(find_indicator(small_plan, "OP1.2").id) == Decimal(75)
    assert scores.indicator(find_indicator(small_plan, "OP2.1").id) == Decimal(0)  # late
    op1, op2 = find_objective(small_plan, "OP1"), find_objective(small_plan, "OP2")
    assert scores.objective(op1.id) == Decimal(75) and scores.objective(op2.id) == Decimal(0)
    strategic = find_objective(small_plan, "OS1")
    assert scores.objective(strategic.id) == Decimal(45)  # 75 x 60% + 0 x 40%
    assert scores.organisation == Decimal(45)
    assert scores.strategic_area(strategic.area_id) == Decimal(45)
    assert {unit.code: value for unit, value in scores.unit_areas} == {
        "A1": Decimal(75), "A2": Decimal(0)}


def test_neutralised_weight_goes_to_the_other_indicators(small_plan, support):
    approve(small_plan.cycle)
    _record(small_plan, support, {"OP1.1": Decimal(95), "OP1.2": Decimal(9)})
    op1 = find_objective(small_plan, "OP1")
    assert plan_scores.achievements(small_plan.cycle).objective(op1.id) == Decimal(50)
    neutralise(support, find_indicator(small_plan, "OP1.2"), "No data this year")
    db.session.commit()
    assert plan_scores.achievements(small_plan.cycle).objective(op1.id) == Decimal(100)


def test_objective_weighted_mean_of_domain(small_plan, support):
    """Indicators at 100% (w 50), 60% (w 30) and 0% (w 20) give 68%."""
    op1 = find_objective(small_plan, "OP1")
    from tests.plan.helpers import indicator_data

    plan_service.save_indicator(support, op1, indicator_data("OP1.1", target=Decimal(100),
                                                             threshold=Decimal(0), weight=Decimal(50)),
                                find_indicator(small_plan, "OP1.1"))
    plan_service.save_indicator(support, op1, indicator_data(
        "OP1.2", unit="number", target=Decimal(100), threshold=Decimal(0), weight=Decimal(30)),
        find_indicator(small_plan, "OP1.2"))
    plan_service.save_indicator(support, op1, indicator_data(
        "OP1.3", unit="boolean", direction="=", target=True, threshold=None, weight=Decimal(20),
        method="boolean"))
    db.session.commit()
    approve(small_plan.cycle)
    _record(small_plan, support, {"OP1.1": Decimal(100), "OP1.2": Decimal(60), "OP1.3": False})
    assert plan_scores.achievements(small_plan.cycle).objective(op1.id) == Decimal(68)


def test_monitoring_basis_gives_the_july_picture(small_plan, support):
    approve(small_plan.cycle)
    ind = find_indicator(small_plan, "OP1.1")
    record_monitoring(support, ind, Decimal(80), forecast=Decimal(90))
    db.session.commit()
    assert plan_scores.achievements(small_plan.cycle, "monitoring_value").indicator(ind.id) == 50
    assert plan_scores.achievements(small_plan.cycle, "monitoring_forecast").indicator(ind.id) == 100
    assert plan_scores.achievements(small_plan.cycle).indicator(ind.id) is None
