"""Several evaluation systems in one cycle, each bound to a unit subtree, and the
Alessandria rule (the operational objectives' mean as a KPI of the strategic objective),
through the services on the real database. Expected figures are worked out by hand in
the comments (DOMAIN "Other administrations' rules")."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.plan import Indicator, Objective
from app.scoring import EvaluationSystem
from app.services.plan import export as plan_export
from app.services.plan import operations as plan_service
from app.services.plan import unit_systems
from app.services.plan.adoption import Deliberation, approve_plan
from app.services.plan.errors import PlanError
from app.services.plan.imports import import_plan
from app.services.plan.measurement import record_actual
from app.services.plan.parts import Systems
from app.services.plan.presets import preset
from app.services.plan.scores import achievements
from tests.helpers import BOARD, user_by_email
from tests.plan import two_sites
from tests.plan.helpers import indicator_data

D = Decimal


def _system(**rollup) -> dict:
    return EvaluationSystem(rollup=rollup).model_dump(mode="json")


@pytest.fixture
def sites(cycle, support):
    two_sites.import_two_sites(support, cycle)
    bound = two_sites.bind_two_sites(support, cycle)
    db.session.commit()
    return bound


def _by_code(model, code):
    return db.session.execute(select(model).where(model.code == code)).scalar_one()


def test_the_nearest_bound_unit_above_gives_the_system(cycle, support):
    units = two_sites.units()
    unit_systems.add_unit_system(support, cycle, units["A1"], "Area", _system())
    unit_systems.add_unit_system(support, cycle, units["A1.1"], "Sector",
                                 _system(strategic_kpi_share="40"))
    systems = Systems.of_cycle(cycle)
    assert systems.part_of_unit(units["A1.1"].id).name == "Sector"
    assert systems.part_of_unit(units["A1.2"].id).name == "Area"
    assert systems.part_of_unit(units["A2.1"].id) is systems.default
    assert systems.part_of_unit(None) is systems.default
    assert systems.of_unit(units["A1.1"].id).rollup.strategic_kpi_share == 40


def test_an_objective_without_an_owner_takes_its_parents_system(sites, cycle):
    systems = Systems.of_cycle(cycle)
    objective = _by_code(Objective, "OPAT1A")
    objective.owner_unit_id = None
    assert systems.part_of_objective(objective).name.endswith("Asti")


def test_binding_the_same_unit_twice_is_refused(cycle, support):
    unit = two_sites.units()["A1"]
    unit_systems.add_unit_system(support, cycle, unit, "First", _system())
    with pytest.raises(PlanError, match="already has its own evaluation system"):
        unit_systems.add_unit_system(support, cycle, unit, "Second", _system())


def test_each_part_is_scored_by_its_own_system(sites, cycle):
    result = achievements(cycle)
    objective = lambda code: result.objective(_by_code(Objective, code).id)
    # Asti: KPI 85 vs >= 90 (threshold 70) = 75%; two unweighted operational objectives at
    # 50% (80 vs >= 90, threshold 70): 0,4 x 75 + 0,6 x 50 = 60%. DOMAIN's example.
    assert objective("OSAT1") == D(60)
    assert objective("OSAT2") == D(100)
    # Alessandria: events 6 vs >= 3 -> 100%; the operational mean (100 + 94,54) / 2 = 97,27
    # vs >= 80 -> 100%; 0,4 x 100 + 0,6 x 100 = 100%. DOMAIN's example.
    mean = _by_code(Indicator, "KAL2")
    assert result.computed_values[mean.id] == D("97.27")
    assert result.indicator(mean.id) == D(100)
    assert objective("OSAL1") == D(100)
    parts = {part.unit.code if part.unit else None: (part.name, value, problem)
             for part, value, problem in result.parts}
    # Asti: areas 60 x 60% + 40 x 100% = 76%; Alessandria: its one area, 100%.
    assert parts["A1"] == ("Alessandria-Asti 2020 · sede di Asti", D(76), None)
    assert parts["A2"] == ("Alessandria-Asti 2020 · sede di Alessandria", D(100), None)
    # The whole: each site's area weights add up to 100, so by their sum (200):
    # (60 x 60 + 40 x 100 + 100 x 100) / 200 = 88%.
    assert result.organisation == D(88)
    assert not result.problems


def test_a_figure_combining_systems_with_different_rollups_is_refused(sites, cycle, support):
    asti, alessandria = sites
    data = two_sites.alessandria_system()
    data["rollup"] = {"organisation": "simple", "strategic_kpi_share": None,
                      "strategic_weights": "area"}
    unit_systems.update_unit_system(support, alessandria, alessandria.name, data)
    result = achievements(cycle)
    assert result.organisation is None
    problem = result.problem("organisation", None)
    assert asti.name in problem and alessandria.name in problem and "differ" in problem
    assert [value for _, value, _ in result.parts] == [D(76), D(100)]


def test_a_strategic_area_mixing_systems_that_weight_differently_is_refused(sites, cycle):
    plan_area = _by_code(Objective, "OSAL1")
    plan_area.area = _by_code(Objective, "OSAT1").area  # AL1's objective moved into AT1
    turin = Systems.of_cycle(cycle)
    result = achievements(cycle, systems=turin.with_system(
        two_sites.units()["A2"], "Plan-weighted", EvaluationSystem()))
    assert "strategic weighting" in result.problem("area", plan_area.area_id)


def test_rules_that_cannot_score_their_part_are_refused_listing_it(sites, support):
    asti, _ = sites
    data = preset("alessandria-asti-2020").system.model_dump(mode="json")
    data["default_method"] = "boolean"
    with pytest.raises(PlanError) as refused:
        unit_systems.update_unit_system(support, asti, asti.name, data)
    assert any(m.startswith("KAT1:") for m in refused.value.messages)
    assert not any(m.startswith("KAL1:") for m in refused.value.messages)


def test_the_mean_with_a_share_for_the_operational_objectives_counts_them_twice(sites, support):
    _, alessandria = sites
    data = two_sites.alessandria_system()
    data["rollup"]["strategic_kpi_share"] = "40"
    with pytest.raises(PlanError) as refused:
        unit_systems.update_unit_system(support, alessandria, alessandria.name, data)
    assert any("KAL2" in m and "twice" in m for m in refused.value.messages)


def test_only_a_strategic_objective_averages_its_operational_objectives(sites, support):
    with pytest.raises(PlanError, match="only a strategic objective"):
        plan_service.save_indicator(support, _by_code(Objective, "OPAL1A"), indicator_data(
            "XX1", source="operational_mean", weight=None))


def test_the_mean_is_computed_never_entered(sites, support, cycle):
    mean = _by_code(Indicator, "KAL2")
    approve_plan(user_by_email(BOARD), cycle, Deliberation("1", cycle.plan_due))
    with pytest.raises(PlanError, match="computed, not entered"):
        record_actual(support, mean, D(90))


def test_export_and_import_carry_the_source_of_the_value(sites, cycle, support):
    exported = plan_export.to_csv(cycle.plan).decode("utf-8-sig")
    assert "media obiettivi operativi" in exported
    report = import_plan(support, cycle, "again.csv", exported.encode("utf-8"))
    assert report.ok, [(e.row, e.message) for e in report.errors]
    db.session.commit()
    assert _by_code(Indicator, "KAL2").computed
    assert achievements(cycle).organisation == D(88)


def test_a_mean_on_an_operational_row_of_the_import_is_refused(cycle, support):
    rows = two_sites.ROWS[:1] + [two_sites.ROWS[1].replace(";100;;80%", ";100;media obiettivi "
                                                                          "operativi;")]
    content = (two_sites.HEADER + "\n".join(rows) + "\n").encode("utf-8")
    report = import_plan(support, cycle, "bad.csv", content)
    assert not report.ok
    assert any("strategic objective" in e.message for e in report.errors)


def test_removing_a_system_its_part_needs_is_refused_and_changes_are_audited(sites, cycle,
                                                                            support):
    asti, _ = sites
    with pytest.raises(PlanError, match="add up to 200"):
        unit_systems.remove_unit_system(support, asti)  # Turin would weigh OSAT1 + OSAT2
    sector = unit_systems.add_unit_system(support, cycle, two_sites.units()["A1.1"],
                                          "Registro", asti.data)
    unit_systems.update_unit_system(support, sector, "Registro imprese", asti.data)
    unit_systems.remove_unit_system(support, sector)
    actions = db.session.execute(select(AuditEvent.action).where(
        AuditEvent.action.like("smvp.unit.%")).order_by(AuditEvent.id)).scalars().all()
    assert actions == ["smvp.unit.add"] * 3 + ["smvp.unit.save", "smvp.unit.remove"]


def test_bands_and_rewards_spanning_systems_that_differ_are_refused(sites, support, cycle):
    from app.services.evaluation import rewards
    from app.services.plan.parts import bands_of

    _, alessandria = sites
    assert bands_of(cycle).low == (0, 1)  # both sites band as Turin
    data = two_sites.alessandria_system()
    data["bands"] = {"low": [0, 2], "medium": [3, 4], "high": [5, 6]}
    data["score_factors"] = {str(s): "0" if s < 3 else f"{s}/6" for s in range(7)}
    unit_systems.update_unit_system(support, alessandria, alessandria.name, data)
    with pytest.raises(PlanError, match="bands of the individual score differ"):
        bands_of(cycle)
    with pytest.raises(rewards.RewardError, match="reward rules differ"):
        rewards.compute(support, cycle)


def _statements(action) -> int:
    from sqlalchemy import event

    seen = []
    listener = lambda *args: seen.append(args[2])
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def test_the_systems_are_read_once_per_transaction(cycle, support):
    db.session.commit()
    Systems.of_cycle(cycle)
    assert _statements(lambda: Systems.of_cycle(cycle)) == 0
    db.session.commit()
    assert _statements(lambda: Systems.of_cycle(cycle)) > 0


def test_a_system_bound_or_changed_in_the_transaction_is_seen_at_once(cycle, support):
    units = two_sites.units()
    assert Systems.of_cycle(cycle).part_of_unit(units["A1.1"].id) is Systems.of_cycle(cycle).default

    binding = unit_systems.add_unit_system(support, cycle, units["A1"], "Area", _system())
    assert Systems.of_cycle(cycle).part_of_unit(units["A1.1"].id).name == "Area"

    unit_systems.update_unit_system(support, binding, "Area",
                                    _system(strategic_kpi_share="40"))
    assert Systems.of_cycle(cycle).of_unit(units["A1.1"].id).rollup.strategic_kpi_share == 40

    units["A1.1"].parent_id = units["A2"].id  # the unit moves out of the bound subtree
    assert Systems.of_cycle(cycle).part_of_unit(units["A1.1"].id) is Systems.of_cycle(cycle).default
