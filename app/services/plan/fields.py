"""The fields of the plan's areas, objectives and indicators: the data the editor's forms
and the importer hand to the services, the checks each item passes on its own (under the
cycle's rules), and the form in which the audit trail records them."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.formats.targets import TargetText
from app.formats.values import value_matches_unit
from app.models.plan import (
    OPERATIONAL_MEAN,
    Direction,
    IndicatorType,
    IndicatorUnit,
    IndicatorValue,
    ObjectiveLevel,
    encode_value,
)
from app.scoring import EvaluationSystem, ScoringError
from app.scoring.targets import TargetRule
from app.services.plan import rules
from app.services.plan import system as smvp

HUNDRED = Decimal(100)
_MISSION = re.compile(r"^\d{3}$")
_PROGRAMME = re.compile(r"^(\d{3}\.)?\d{3}$")


def _weight_errors(weight, label) -> list[str]:
    """A weight is blank (None: the group counts its rows equally) or 0-100."""
    if weight is not None and not (Decimal(0) <= weight <= HUNDRED):
        return [str(_l("%(what)s: the weight must be between 0 and 100.", what=label))]
    return []


@dataclass
class AreaData:
    code: str
    title: str
    description: str | None = None
    weight: Decimal | None = Decimal(0)


def area_field_errors(data: AreaData) -> list[str]:
    errors = []
    if not (data.code or "").strip():
        errors.append(str(_l("The code of the strategic area is required.")))
    if not (data.title or "").strip():
        errors.append(str(_l("The title of the strategic area is required.")))
    return errors + _weight_errors(data.weight, data.code or _l("Strategic area"))


@dataclass
class ObjectiveData:
    level: str
    code: str
    title: str
    description: str | None = None
    parent_id: int | None = None
    area_id: int | None = None
    owner_unit_id: int | None = None
    weight: Decimal | None = Decimal(0)
    mission_code: str | None = None
    programme_code: str | None = None
    budget: Decimal | None = None


def objective_field_errors(data: ObjectiveData) -> list[str]:
    label = data.code or _l("Objective")
    errors = []
    if data.level not in {lv.value for lv in ObjectiveLevel}:
        errors.append(str(_l("%(what)s: the level must be strategic or operational.", what=label)))
    if not (data.code or "").strip():
        errors.append(str(_l("The code of the objective is required.")))
    if not (data.title or "").strip():
        errors.append(str(_l("%(what)s: the title is required.", what=label)))
    errors += _weight_errors(data.weight, label)
    if data.mission_code and not _MISSION.match(data.mission_code):
        errors.append(str(_l("%(what)s: the mission code has three digits (e.g. 011).",
                             what=label)))
    if data.programme_code and not _PROGRAMME.match(data.programme_code):
        errors.append(str(_l("%(what)s: the programme code is like 005 or 011.005.",
                             what=label)))
    if data.budget is not None and data.budget < 0:
        errors.append(str(_l("%(what)s: the budget cannot be negative.", what=label)))
    return errors


@dataclass
class IndicatorData:
    code: str
    name: str
    unit: str
    direction: str
    target: IndicatorValue | None
    weight: Decimal | None
    type: str = IndicatorType.OTHER.value
    algorithm: str | None = None
    data_source: str | None = None
    baseline: IndicatorValue | None = None
    threshold: IndicatorValue | None = None
    method: str | None = None
    notes: str | None = None
    # The indicator's own rule (None: the system's): see app.services.plan.rules.
    ratio_cap: Decimal | None = None
    credit_per_day_late: Decimal | None = None
    steps: list | None = None  # stored form, rules.steps_to_json
    source: str | None = None  # None: entered; OPERATIONAL_MEAN: the roll-up computes it
    baseline_year: int | None = None
    # The cycle's year's target when it is relative (then `target` is what it resolves
    # to, None until it can be); the targets of the later years of the horizon (None:
    # keep those the indicator has). See app.services.plan.targets.
    target_rule: TargetRule | None = None
    later_targets: dict[int, TargetText] | None = None


def indicator_field_errors(data: IndicatorData, system: EvaluationSystem) -> list[str]:
    """Everything that can be checked on one indicator alone, under the cycle's rules."""
    label = data.code or _l("Indicator")
    errors = []
    if not (data.code or "").strip():
        errors.append(str(_l("The code of the indicator is required.")))
    if not (data.name or "").strip():
        errors.append(str(_l("%(what)s: the name is required.", what=label)))
    if data.type not in {t.value for t in IndicatorType}:
        errors.append(str(_l("%(what)s: unknown indicator type.", what=label)))
    if data.direction not in {d.value for d in Direction}:
        errors.append(str(_l("%(what)s: the direction must be >=, <= or =.", what=label)))
    if data.method is not None and data.method not in smvp.known_methods():
        errors.append(str(_l("%(what)s: unknown scoring method '%(method)s'.", what=label,
                             method=data.method)))
    errors += _weight_errors(data.weight, label)
    if data.unit not in {u.value for u in IndicatorUnit}:
        errors.append(str(_l("%(what)s: unknown unit.", what=label)))
        return errors
    if data.source not in (None, OPERATIONAL_MEAN):
        errors.append(str(_l("%(what)s: unknown source of the value.", what=label)))
    elif data.source is not None and data.unit != IndicatorUnit.PERCENT.value:
        errors.append(str(_l("%(what)s: the mean of the operational objectives is a "
                             "percentage: the unit must be %%.", what=label)))
    if data.target is None and data.target_rule is None:
        errors.append(str(_l("%(what)s: the target is required.", what=label)))
    for name, value in (("target", data.target), ("threshold", data.threshold),
                        ("baseline", data.baseline)):
        if value is not None and not value_matches_unit(value, data.unit):
            errors.append(wrong_kind_message(label, name, data.unit))
    if data.baseline_year is not None and not 1900 <= data.baseline_year <= 2200:
        errors.append(str(_l("%(what)s: the baseline year is not a year.", what=label)))
    if data.baseline_year is not None and data.baseline is None:
        errors.append(str(_l("%(what)s: a baseline year needs the baseline value.", what=label)))
    if not errors and data.target is not None:
        errors += _method_errors(data, label, system)
    return errors


VALUE_NAMES = {
    "target": _l("target"), "threshold": _l("threshold"), "baseline": _l("baseline"),
    "actual": _l("actual"), "monitoring_value": _l("monitoring value"),
    "monitoring_forecast": _l("forecast"),
}
_KIND_NAMES = {"date": _l("a date (dd/mm/yyyy)"), "boolean": _l("yes or no (si/no)")}


def wrong_kind_message(label, field: str, unit: str, given: str | None = None) -> str:
    expected = _KIND_NAMES.get(IndicatorUnit(unit).kind.value, _l("a number"))
    if given is not None:
        return str(_l("%(what)s: the %(field)s must be %(expected)s, not '%(given)s'.",
                      what=label, field=VALUE_NAMES[field], expected=expected, given=given))
    return str(_l("%(what)s: the %(field)s must be %(expected)s.", what=label,
                  field=VALUE_NAMES[field], expected=expected))


def _method_errors(data: IndicatorData, label, system: EvaluationSystem) -> list[str]:
    """The indicator's rule must be able to score it (app.services.plan.rules), and a
    threshold belongs to the threshold method, on the right side of the target."""
    method = rules.effective_method(data.unit, data.method, system)
    if data.threshold is not None and method != "threshold":
        return [str(_l("%(what)s: only the threshold method uses a threshold.", what=label))]
    if data.threshold is not None and data.direction == Direction.AT_LEAST.value \
            and not data.threshold < data.target:
        return [str(_l("%(what)s: when higher is better the threshold must be below the target.",
                       what=label))]
    if data.threshold is not None and data.direction == Direction.AT_MOST.value \
            and not data.threshold > data.target:
        return [str(_l("%(what)s: when lower is better the threshold must be above the target.",
                       what=label))]
    if data.ratio_cap is not None and data.ratio_cap < HUNDRED:
        return [str(_l("%(what)s: the ratio cap must be at least 100.", what=label))]
    if data.credit_per_day_late is not None and not 0 <= data.credit_per_day_late <= HUNDRED:
        return [str(_l("%(what)s: the points per day late must be between 0 and 100.",
                       what=label))]
    problem = rules.rule_problem(data, system)
    return [rules.after_label(label, problem)] if problem else []


def scoring_message(exc: ScoringError) -> str:
    """The scoring module's refusal, translated."""
    return gettext(exc.template, **exc.params)


def field_state(obj, fields) -> dict:
    """The named fields of an item as the audit trail records them."""
    return {f: (encode_value(v) if isinstance(v, (Decimal, date, bool)) else v)
            for f in fields for v in [getattr(obj, f)]}
