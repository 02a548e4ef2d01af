"""Editing the plan's structure while it is a draft (or a revision is open): strategic
areas, objectives and indicators, each saved or deleted whole.

Every operation checks who acts, refuses bad input with PlanError (messages for the
UI, nothing written), and writes one audit event in the caller's transaction."""
from __future__ import annotations

from dataclasses import asdict, fields

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app import audit
from app.extensions import db
from app.formats.targets import TargetText
from app.formats.values import value_matches_unit
from app.models.org import OrgUnit, User
from app.models.plan import (
    Cycle,
    Indicator,
    IndividualObjective,
    Objective,
    ObjectiveLevel,
    Plan,
    StrategicArea,
)
from app.services.plan import rules
from app.services.plan import targets as yearly
from app.services.plan.access import ensure_plan_editor
from app.services.plan.cycles import ensure_editable, ensure_plan
from app.services.plan.errors import PlanError
from app.services.plan.fields import (
    AreaData,
    IndicatorData,
    ObjectiveData,
    area_field_errors,
    field_state,
    indicator_field_errors,
    objective_field_errors,
)
from app.services.plan.parts import Systems

_TARGET_INPUTS = ("target_rule", "later_targets")


def _code_taken(model, plan: Plan, code: str, own_id: int | None) -> bool:
    clash = db.session.execute(
        select(model.id).where(model.plan_id == plan.id, model.code == code)
    ).scalar_one_or_none()
    return clash is not None and clash != own_id


def save_area(actor: User, cycle: Cycle, data: AreaData,
              area: StrategicArea | None = None) -> StrategicArea:
    ensure_plan_editor(actor)
    plan = ensure_plan(cycle)
    ensure_editable(plan)
    errors = area_field_errors(data)
    if not errors and _code_taken(StrategicArea, plan, data.code.strip(), area and area.id):
        errors.append(str(_l("Another strategic area already has code %(code)s.", code=data.code)))
    if errors:
        raise PlanError(errors)
    fields = ("code", "title", "description", "weight")
    before = field_state(area, fields) if area else None
    if area is None:
        area = StrategicArea(plan=plan)
        db.session.add(area)
    area.code, area.title = data.code.strip(), data.title.strip()
    area.description, area.weight = data.description or None, data.weight
    db.session.flush()
    audit.record("plan.area.save", actor=actor, obj=area, before=before,
                 after=field_state(area, fields))
    return area


def delete_area(actor: User, area: StrategicArea) -> None:
    ensure_plan_editor(actor)
    ensure_editable(area.plan)
    if area.objectives:
        raise PlanError(_l("Move or delete the objectives of this area first."))
    audit.record("plan.area.delete", actor=actor, obj=area, before={"code": area.code})
    area.plan.areas.remove(area)
    db.session.flush()


OBJECTIVE_FIELDS = ("level", "code", "title", "description", "parent_id", "area_id",
                    "owner_unit_id", "weight", "mission_code", "programme_code", "budget")


def save_objective(actor: User, cycle: Cycle, data: ObjectiveData,
                   objective: Objective | None = None) -> Objective:
    ensure_plan_editor(actor)
    plan = ensure_plan(cycle)
    ensure_editable(plan)
    errors = objective_field_errors(data) + _check_unit_owner(data.owner_unit_id, cycle)
    errors += _placement_errors(plan, data, objective)
    if not errors and _code_taken(Objective, plan, data.code.strip(),
                                  objective and objective.id):
        errors.append(str(_l("Another objective already has code %(code)s.", code=data.code)))
    if errors:
        raise PlanError(errors)
    before = field_state(objective, OBJECTIVE_FIELDS) if objective else None
    if objective is None:
        objective = Objective(plan=plan)
        db.session.add(objective)
    for name, value in asdict(data).items():
        setattr(objective, name, value.strip() if isinstance(value, str) else value)
    objective.description = objective.description or None
    db.session.flush()
    audit.record("plan.objective.save", actor=actor, obj=objective, before=before,
                 after=field_state(objective, OBJECTIVE_FIELDS))
    return objective


def _check_unit_owner(unit_id: int | None, cycle: Cycle) -> list[str]:
    if unit_id is None:
        return []
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None or unit.administration_id != cycle.administration_id:
        return [str(_l("The owner unit does not belong to this administration."))]
    return []


def _placement_errors(plan: Plan, data: ObjectiveData, objective: Objective | None) -> list[str]:
    """Strategic objectives sit in an area, operational ones under a strategic objective."""
    if data.level == ObjectiveLevel.STRATEGIC.value:
        if data.parent_id is not None:
            return [str(_l("A strategic objective has no parent objective."))]
        area = db.session.get(StrategicArea, data.area_id) if data.area_id else None
        if data.area_id and (area is None or area.plan_id != plan.id):
            return [str(_l("The strategic area is not part of this plan."))]
        return []
    if data.area_id is not None:
        return [str(_l("An operational objective takes its area from its strategic objective."))]
    if data.parent_id is None:
        return []
    parent = db.session.get(Objective, data.parent_id)
    if parent is None or parent.plan_id != plan.id or not parent.is_strategic:
        return [str(_l("The parent must be a strategic objective of this plan."))]
    if objective is not None and objective.children:
        return [str(_l("This objective has operational objectives below it: it must stay "
                       "strategic."))]
    return []


def delete_objective(actor: User, objective: Objective) -> None:
    ensure_plan_editor(actor)
    ensure_editable(objective.plan)
    if objective.children:
        raise PlanError(_l("Delete the operational objectives below it first."))
    audit.record("plan.objective.delete", actor=actor, obj=objective,
                 before=field_state(objective, OBJECTIVE_FIELDS))
    remove_objective(objective)


def remove_objective(objective: Objective) -> None:
    """Delete the objective; individual objectives linked to it keep their text and
    lose the link."""
    db.session.execute(update(IndividualObjective)
                       .where(IndividualObjective.objective_id == objective.id)
                       .values(objective_id=None))
    if objective.parent is not None:
        objective.parent.children.remove(objective)
    objective.plan.objectives.remove(objective)
    db.session.flush()


INDICATOR_FIELDS = ("code", "name", "algorithm", "type", "unit", "data_source", "baseline",
                    "baseline_year", "direction", "target", "threshold", "weight", "method", "notes",
                    "ratio_cap", "credit_per_day_late", "steps", "source")


def save_indicator(actor: User, objective: Objective, data: IndicatorData,
                   indicator: Indicator | None = None) -> Indicator:
    ensure_plan_editor(actor)
    plan = objective.plan
    ensure_editable(plan)
    cycle = plan.cycle
    targets = yearly_targets(data, cycle, indicator)
    errors = yearly.target_errors(data.code, data.unit, cycle, targets)
    if not errors and data.target_rule is not None:
        data.target = yearly.resolved_now(data.target_rule, (data.code or "").strip(),
                                          objective.code, cycle, data.baseline,
                                          data.baseline_year)
    errors += indicator_field_errors(data, Systems.of_cycle(cycle).of_objective(objective))
    if data.source is not None and not objective.is_strategic:
        errors.append(rules.after_label(data.code, gettext(
            "Only a strategic objective can have the mean of its operational objectives as "
            "an indicator.")))
    if not errors and _code_taken(Indicator, plan, data.code.strip(),
                                  indicator and indicator.id):
        errors.append(str(_l("Another indicator already has code %(code)s.", code=data.code)))
    if errors:
        raise PlanError(errors)
    before = _indicator_state(indicator) if indicator else None
    if indicator is None:
        indicator = Indicator(plan_id=plan.id)
        db.session.add(indicator)
    indicator.objective = objective
    for name in (f.name for f in fields(data) if f.name not in _TARGET_INPUTS):
        value = getattr(data, name)
        setattr(indicator, name, (value.strip() or None) if isinstance(value, str) else value)
    indicator.code, indicator.name = data.code.strip(), data.name.strip()
    yearly.set_targets(indicator, cycle, targets)
    _reset_measures_of_other_kind(indicator)
    db.session.flush()
    audit.record("plan.indicator.save", actor=actor, obj=indicator, before=before,
                 after=_indicator_state(indicator))
    return indicator


def yearly_targets(data: IndicatorData, cycle: Cycle,
                   indicator: Indicator | None) -> dict[int, TargetText]:
    """Every yearly entry the saved indicator will have: the cycle's year's from
    `target` (or `target_rule`), the later ones from `later_targets` or kept."""
    later = data.later_targets
    if later is None:
        later = yearly.target_texts(indicator) if indicator is not None else {}
    result = {year: text for year, text in later.items() if year != cycle.year}
    if data.target_rule is not None:
        result[cycle.year] = TargetText(rule=data.target_rule)
    elif data.target is not None:
        result[cycle.year] = TargetText(value=data.target)
    return result


def _indicator_state(indicator: Indicator) -> dict:
    return {**field_state(indicator, INDICATOR_FIELDS),
            "targets": yearly.describe_entries(indicator)}


def _reset_measures_of_other_kind(indicator: Indicator) -> None:
    """A changed unit makes values of the old kind meaningless."""
    for name in ("monitoring_value", "monitoring_forecast", "actual"):
        value = getattr(indicator, name)
        if value is not None and not value_matches_unit(value, indicator.unit):
            setattr(indicator, name, None)


def delete_indicator(actor: User, indicator: Indicator) -> None:
    ensure_plan_editor(actor)
    ensure_editable(indicator.objective.plan)
    audit.record("plan.indicator.delete", actor=actor, obj=indicator,
                 before=_indicator_state(indicator))
    indicator.objective.indicators.remove(indicator)
    db.session.flush()
