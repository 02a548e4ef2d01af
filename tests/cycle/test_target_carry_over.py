"""The plan copied into the next cycle carries last year's actual as the new baseline
(with its year) and takes the new year's target from the yearly targets; the cycle
refuses to start while a relative target of its year cannot be computed, naming the
indicators, and starts once it can. Run on SQLite and PostgreSQL."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.formats.targets import TargetText
from app.models.plan import Cycle
from app.scoring.targets import TargetKind, TargetRule
from app.services.cycle import operations as cycle_service
from app.services.plan import targets as yearly
from tests.cycle.helpers import start_cycle
from tests.plan.helpers import find_indicator


def _plan_targets(demo_plan, code, targets):
    """Give an indicator of the adopted 2022 plan its targets for the next years."""
    indicator = find_indicator(demo_plan.plan, code)
    yearly.set_targets(indicator, demo_plan, {2022: TargetText(value=indicator.target),
                                              **targets})
    db.session.commit()


def test_the_copy_carries_last_years_actual_as_the_baseline_with_its_year(master_only,
                                                                         demo_plan):
    cycle, _ = start_cycle(demo_plan)
    copied = find_indicator(cycle.plan, "OP1.1-01.1")
    assert (copied.baseline, copied.baseline_year) == (Decimal(71), 2022)
    assert copied.target == Decimal(60)  # no target planned for 2023: the last one stays
    assert copied.actual is None


def test_the_next_years_target_comes_from_the_yearly_targets_and_the_horizon_shifts(
        master_only, demo_plan):
    _plan_targets(demo_plan, "OP1.1-01.1", {
        2023: TargetText(value=Decimal(65)),
        2024: TargetText(rule=TargetRule(TargetKind.PERCENT, 2023, Decimal(10)))})
    cycle, _ = start_cycle(demo_plan)
    copied = find_indicator(cycle.plan, "OP1.1-01.1")
    assert copied.target == Decimal(65)
    assert [(t.year, t.kind, t.value) for t in copied.targets] == [
        (2023, "value", Decimal(65)), (2024, "percent", None)]


def test_a_relative_target_of_the_new_year_resolves_from_last_years_actual(master_only,
                                                                          demo_plan):
    _plan_targets(demo_plan, "OP1.1-01.1", {
        2023: TargetText(rule=TargetRule(TargetKind.PERCENT, 2022, Decimal(10)))})
    cycle, _ = start_cycle(demo_plan)
    entry = find_indicator(cycle.plan, "OP1.1-01.1").targets[0]
    assert (entry.value, entry.base, entry.source) == (Decimal("78.1"), Decimal(71), "actual")


def test_the_start_refuses_unresolvable_relative_targets_naming_the_indicators(master_only,
                                                                              demo_plan):
    for code in ("OP1.1-01.1", "OP1.1-01.2"):
        _plan_targets(demo_plan, code, {
            2023: TargetText(rule=TargetRule(TargetKind.SAME, 2021))})
    with pytest.raises(cycle_service.CycleError) as refused:
        start_cycle(demo_plan)
    db.session.rollback()
    messages = refused.value.messages
    assert "cannot start" in messages[0]
    assert [m.split(":")[0] for m in messages[1:]] == ["OP1.1-01.1", "OP1.1-01.2"]
    assert "No value was recorded for 2021" in messages[1]
    assert db.session.execute(select(Cycle).where(Cycle.year == 2023)).first() is None
