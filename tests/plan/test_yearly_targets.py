"""Targets over several years: one entry per indicator and year, the cycle's year's
entry is the scored target, relative targets resolve from the actual of the same codes
in that year's cycle (or the baseline of that year), bad ones are refused; the plan
file carries them both ways and the plan page shows each relative target's source.
Run on SQLite and PostgreSQL."""
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.formats.targets import TargetText
from app.models.targets import IndicatorTarget
from app.scoring.targets import TargetKind, TargetRule
from app.services.plan import export as plan_export
from app.services.plan import operations as plan_service
from app.services.plan.adoption import plan_problems
from app.services.plan.errors import PlanError
from app.services.plan.fields import ObjectiveData
from app.services.plan.imports import import_plan
from app.services.plan.revisions import snapshot
from tests.helpers import SUPPORT, login
from tests.plan.helpers import find_indicator, indicator_data, post_form

PLUS_TEN = TargetRule(TargetKind.PERCENT, 2022, Decimal(10))


@pytest.fixture
def objective(demo_plan, cycle, support):
    """An operational objective of 2023 with the code of one measured in 2022
    (OP1.1-01, whose indicator OP1.1-01.1 recorded 71)."""
    objective = plan_service.save_objective(support, cycle, ObjectiveData(
        level="operational", code="OP1.1-01", title="Sportello digitale", weight=Decimal(100)))
    db.session.commit()
    return objective


def _number(code, **overrides):
    return indicator_data(code, **{"unit": "number", "threshold": Decimal(40), "weight": None,
                                   **overrides})


def _entries(indicator):
    return {t.year: (t.kind, t.value) for t in indicator.targets}


def test_the_cycle_years_target_and_the_later_years_are_one_entry_each(objective, support):
    indicator = plan_service.save_indicator(support, objective, _number(
        "OP1.1-01.1", target=Decimal(60), later_targets={
            2024: TargetText(value=Decimal(65)),
            2025: TargetText(rule=TargetRule(TargetKind.DELTA, 2024, Decimal(5)))}))
    db.session.commit()
    assert _entries(indicator) == {2023: ("value", Decimal(60)), 2024: ("value", Decimal(65)),
                                   2025: ("delta", None)}
    assert indicator.target == Decimal(60)


def test_the_database_keeps_one_target_per_indicator_and_year(objective, support):
    indicator = plan_service.save_indicator(support, objective, _number("OP1.1-01.1"))
    db.session.commit()
    db.session.add(IndicatorTarget(indicator_id=indicator.id, year=2023, value=Decimal(1)))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_relative_target_resolves_from_the_actual_of_the_same_codes_in_that_years_cycle(
        objective, support):
    indicator = plan_service.save_indicator(support, objective, _number(
        "OP1.1-01.1", target=None, target_rule=PLUS_TEN))
    db.session.commit()
    entry = indicator.targets[0]
    assert (entry.value, entry.base, entry.source) == (Decimal("78.1"), Decimal(71), "actual")
    assert indicator.target == Decimal("78.1")


def test_an_indicator_under_another_objective_code_matches_nothing(demo_plan, cycle, support):
    other = plan_service.save_objective(support, cycle, ObjectiveData(
        level="operational", code="OP9", title="Altro", weight=Decimal(100)))
    indicator = plan_service.save_indicator(support, other, _number(
        "OP1.1-01.1", target=None, target_rule=PLUS_TEN))
    db.session.commit()
    assert indicator.target is None
    assert any("OP1.1-01.1" in p and "target is missing" in p
               for p in plan_problems(cycle.plan))


def test_the_baseline_of_the_year_counts_when_no_cycle_recorded_it(objective, support):
    indicator = plan_service.save_indicator(support, objective, _number(
        "NEW.1", baseline=Decimal(50), baseline_year=2021, target=None,
        target_rule=TargetRule(TargetKind.SAME, 2021)))
    assert (indicator.target, indicator.targets[0].source) == (Decimal(50), "baseline")


@pytest.mark.parametrize("overrides, message", [
    ({"unit": "date", "threshold": None, "target": None, "target_rule": PLUS_TEN},
     "only to numbers"),
    ({"later_targets": {2026: TargetText(value=Decimal(1))}}, "outside the plan's horizon"),
    ({"later_targets": {2024: TargetText(rule=TargetRule(TargetKind.SAME, 2024))}},
     "earlier year"),
    ({"baseline_year": 2022}, "needs the baseline value"),
])
def test_bad_yearly_targets_are_refused_with_the_reason(objective, support, overrides, message):
    with pytest.raises(PlanError, match=message):
        plan_service.save_indicator(support, objective, _number("OP1.1-01.1", **overrides))


ROW = ("2023;OP1.1-01;Sportello digitale;100;OP1.1-01.1;Pratiche;n.;>=;{target};40;;"
       "{baseline};{year};{later}\n")
HEADER = ("ciclo;codice_op;obiettivo_operativo;peso_op;codice_indicatore;indicatore;"
          "unita_di_misura;verso;target;soglia;peso;valore_di_partenza;anno_base;target_anni\n")


def _file(**cells) -> bytes:
    values = {"target": "+10% sul 2022", "baseline": "71", "year": "2022",
              "later": "2024: 80 | 2025: = valore 2024", **cells}
    return (HEADER + ROW.format(**values)).encode()


def test_the_plan_file_carries_baseline_year_relative_and_later_targets_both_ways(
        demo_plan, cycle, support):
    report = import_plan(support, cycle, "piano.csv", _file())
    assert report.ok, report.errors
    db.session.commit()
    indicator = find_indicator(cycle.plan, "OP1.1-01.1")
    assert (indicator.baseline, indicator.baseline_year) == (Decimal(71), 2022)
    assert _entries(indicator) == {2023: ("percent", Decimal("78.1")),
                                   2024: ("value", Decimal(80)), 2025: ("same", None)}
    row = plan_export.rows(cycle.plan)[0]
    assert (row["target"], row["later_targets"], row["baseline_year"]) == (
        "+10% sul 2022", "2024: 80 | 2025: = valore 2024", "2022")
    before = snapshot(cycle.plan)
    again = import_plan(support, cycle, "piano.csv", plan_export.to_csv(cycle.plan))
    assert again.ok, again.errors
    assert snapshot(cycle.plan) == before
    assert "'+10% sul 2022" in plan_export.to_csv(cycle.plan).decode("utf-8-sig")


@pytest.mark.parametrize("cells, message", [
    ({"later": "2023: 80"}, "goes in the target column"),
    ({"year": "22"}, "not a year"),
    ({"later": "2024 ottanta"}, "2024: value"),
    ({"target": "+10% sul 2023"}, "earlier year"),
    ({"later": "2027: 1"}, "horizon"),
])
def test_a_bad_target_row_is_refused_with_its_reason_and_nothing_is_saved(
        demo_plan, cycle, support, cells, message):
    report = import_plan(support, cycle, "piano.csv", _file(**cells))
    assert not report.ok
    assert any(message in e.message for e in report.errors), report.errors
    db.session.rollback()
    assert cycle.plan.objectives == []


def test_a_percentage_on_a_date_indicator_is_refused_on_import(demo_plan, cycle, support):
    content = _file(baseline="", year="", later="").replace(b";n.;>=;", b";data;<=;") \
        .replace(b";40;", b";;")
    report = import_plan(support, cycle, "piano.csv", content)
    assert any("only to numbers" in e.message for e in report.errors), report.errors


def test_the_plan_page_shows_each_relative_target_with_its_source(objective, support, browse):
    plan_service.save_indicator(support, objective, _number(
        "OP1.1-01.1", baseline=Decimal(71), baseline_year=2022, target=None,
        target_rule=PLUS_TEN, later_targets={
            2024: TargetText(rule=TargetRule(TargetKind.SAME, 2023))}))
    db.session.commit()
    page = browse(SUPPORT).get(f"/plan/2023/objectives/{objective.id}").get_data(as_text=True)
    assert "Value 2022: 71" in page
    assert "Target 2023: &gt;= 78,1 (value 2022 +10%: 71)" in page
    assert "Target 2024: = valore 2023 (not computed yet: no value recorded for 2023)" in page


def test_the_plan_page_speaks_italian_by_default(app, objective, support):
    plan_service.save_indicator(support, objective, _number(
        "OP1.1-01.1", target=None, target_rule=PLUS_TEN))
    db.session.commit()
    client = app.test_client()
    login(client, SUPPORT)
    page = client.get(f"/plan/2023/objectives/{objective.id}").get_data(as_text=True)
    assert "Target 2023: &gt;= 78,1 (valore 2022 +10%: 71)" in page


def test_the_editor_saves_the_horizon_and_shows_the_rules_back(objective, support, browse):
    client = browse(SUPPORT)
    path = f"/plan/2023/objectives/{objective.id}/indicators/new"
    response = post_form(client, path, {
        "code": "OP1.1-01.1", "name": "Pratiche", "type": "efficiency", "unit": "number",
        "direction": ">=", "target": "+10% sul 2022", "target_2024": "= valore 2023",
        "target_2025": "90", "threshold": "40", "baseline": "71", "baseline_year": "2022",
        "method": ""}, token_page=path)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    indicator = find_indicator(objective.plan, "OP1.1-01.1")
    assert _entries(indicator) == {2023: ("percent", Decimal("78.1")), 2024: ("same", None),
                                   2025: ("value", Decimal(90))}
    form = client.get(f"/plan/2023/indicators/{indicator.id}/edit").get_data(as_text=True)
    assert 'value="+10% sul 2022"' in form and 'value="= valore 2023"' in form


def test_the_editor_marks_a_target_it_cannot_read(objective, browse):
    client = browse(SUPPORT)
    path = f"/plan/2023/objectives/{objective.id}/indicators/new"
    response = post_form(client, path, {
        "code": "X", "name": "X", "type": "efficiency", "unit": "date", "direction": "<=",
        "target": "30/11/2023", "target_2024": "+10% sul 2023", "method": ""},
        token_page=path)
    assert response.status_code == 200
    assert "only to numbers" in response.get_data(as_text=True)


def test_a_revision_lists_the_changed_later_targets(objective, support):
    from app.services.plan.revisions import diff

    indicator = plan_service.save_indicator(support, objective, _number("OP1.1-01.1"))
    before = snapshot(objective.plan)
    data = _number("OP1.1-01.1", later_targets={2024: TargetText(value=Decimal(70))})
    plan_service.save_indicator(support, objective, data, indicator)
    changes = diff(before, snapshot(objective.plan))
    assert [(c.field, c.old, c.new) for c in changes] == [("later_targets", None, "2024: 70")]
