"""Operations on the plan of a cycle: the objective tree and its indicators while the
plan is a draft (or a revision is open), its approval by the Board, revisions with the
OIV's opinion, and the values recorded against the adopted plan.

Every operation checks who acts, refuses bad input with PlanError (messages for the
UI, nothing written), and writes one audit event in the caller's transaction."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import date
from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app import audit
from app.extensions import db
from app.formats.targets import TargetText
from app.formats.values import value_matches_unit
from app.models.org import OrgUnit, Role, User
from app.models.plan import (
    CALENDAR_DEFAULTS,
    OPERATIONAL_MEAN,
    Cycle,
    CycleStatus,
    Direction,
    Indicator,
    IndicatorType,
    IndicatorUnit,
    IndicatorValue,
    IndividualObjective,
    Objective,
    ObjectiveLevel,
    Plan,
    PlanRevision,
    PlanStatus,
    RevisionStatus,
    StrategicArea,
    encode_value,
)
from app.models.types import utcnow
from app.scoring import EvaluationSystem, ScoringError
from app.scoring.targets import TargetRule
from app.services.org.permissions import require_role
from app.services.plan import rules
from app.services.plan import system as smvp
from app.services.plan import targets as yearly
from app.services.plan.access import ensure_can_measure, ensure_plan_editor
from app.services.plan.errors import PlanError
from app.services.plan.parts import Systems
from app.services.plan.revisions import Change, diff, snapshot

HUNDRED = Decimal(100)
_MISSION = re.compile(r"^\d{3}$")
_PROGRAMME = re.compile(r"^(\d{3}\.)?\d{3}$")


@dataclass(frozen=True)
class Deliberation:
    """A numbered, dated act of the Board (Giunta)."""

    number: str
    date: date


@dataclass(frozen=True)
class OivOpinion:
    reference: str
    date: date
    positive: bool


# --- cycles and plans --------------------------------------------------------------------

def cycle_by_year(administration_id: int, year: int) -> Cycle | None:
    return db.session.execute(
        select(Cycle).where(Cycle.administration_id == administration_id, Cycle.year == year)
    ).scalar_one_or_none()


def create_cycle(actor: User, administration_id: int, year: int) -> Cycle:
    """A new cycle with the default calendar, an empty draft plan and the evaluation
    system copied from the previous cycle (Turin's rules for the first one)."""
    ensure_plan_editor(actor)
    if cycle_by_year(administration_id, year) is not None:
        raise PlanError(_l("A cycle for %(year)d already exists.", year=year))
    cycle = Cycle(administration_id=administration_id, year=year)
    db.session.add(cycle)
    db.session.flush()
    ensure_plan(cycle)
    smvp.ensure_config(cycle, actor)
    audit.record("cycle.create", actor=actor, obj=cycle, after={"year": year})
    return cycle


def ensure_plan(cycle: Cycle) -> Plan:
    """The cycle's plan, created empty (draft) for a cycle that has none yet."""
    if cycle.plan is None:
        cycle.plan = Plan(status=PlanStatus.DRAFT.value)
        db.session.flush()
    return cycle.plan


def set_calendar(actor: User, cycle: Cycle, dates: dict[str, date]) -> None:
    ensure_plan_editor(actor)
    unknown = set(dates) - set(CALENDAR_DEFAULTS)
    if unknown or any(not isinstance(v, date) for v in dates.values()):
        raise PlanError(_l("Every date of the calendar is required."))
    before = {name: getattr(cycle, name) for name in dates}
    for name, value in dates.items():
        setattr(cycle, name, value)
    db.session.flush()
    audit.record("cycle.calendar", actor=actor, obj=cycle, before=before, after=dates)


def ensure_editable(plan: Plan) -> None:
    """Structure and targets change only in a draft or while a revision is open."""
    if plan.cycle.status == CycleStatus.CLOSED.value:
        raise PlanError(_l("The cycle is closed."))
    if not plan.editable:
        raise PlanError(_l("The plan is approved and frozen: open a revision to change it."))


# --- field checks shared by the forms' services and the importer ---------------------------

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


_TARGET_INPUTS = ("target_rule", "later_targets")


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


def _check_unit_owner(unit_id: int | None, cycle: Cycle) -> list[str]:
    if unit_id is None:
        return []
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None or unit.administration_id != cycle.administration_id:
        return [str(_l("The owner unit does not belong to this administration."))]
    return []


# --- editing -----------------------------------------------------------------------------

def _code_taken(model, plan: Plan, code: str, own_id: int | None) -> bool:
    clash = db.session.execute(
        select(model.id).where(model.plan_id == plan.id, model.code == code)
    ).scalar_one_or_none()
    return clash is not None and clash != own_id


def _state(obj, fields) -> dict:
    return {f: (encode_value(v) if isinstance(v, (Decimal, date, bool)) else v)
            for f in fields for v in [getattr(obj, f)]}


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
    before = _state(area, fields) if area else None
    if area is None:
        area = StrategicArea(plan=plan)
        db.session.add(area)
    area.code, area.title = data.code.strip(), data.title.strip()
    area.description, area.weight = data.description or None, data.weight
    db.session.flush()
    audit.record("plan.area.save", actor=actor, obj=area, before=before,
                 after=_state(area, fields))
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
    before = _state(objective, OBJECTIVE_FIELDS) if objective else None
    if objective is None:
        objective = Objective(plan=plan)
        db.session.add(objective)
    for name, value in asdict(data).items():
        setattr(objective, name, value.strip() if isinstance(value, str) else value)
    objective.description = objective.description or None
    db.session.flush()
    audit.record("plan.objective.save", actor=actor, obj=objective, before=before,
                 after=_state(objective, OBJECTIVE_FIELDS))
    return objective


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
                 before=_state(objective, OBJECTIVE_FIELDS))
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
    return {**_state(indicator, INDICATOR_FIELDS),
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


# --- approval and revisions --------------------------------------------------------------

def plan_problems(plan: Plan) -> list[str]:
    """What stops the plan from being approved: empty objectives, weight groups the rules
    refuse (app.services.plan.rules: blanks mixed with numbers, all zeros, sums outside
    the system's tolerance) and indicators the rules could not score."""
    if not plan.objectives:
        return [str(_l("The plan has no objectives."))]
    systems = Systems.of_cycle(plan.cycle)
    problems = [str(_l("%(code)s has neither indicators nor operational objectives.",
                       code=objective.code))
                for objective in plan.objectives
                if not objective.indicators and not objective.children]
    problems += rules.weight_findings(plan, systems)[0]
    return problems + rules.indicator_problems(plan, systems)


def weight_notes(plan: Plan) -> list[str]:
    """Groups whose weights are accepted within the tolerance and normalised by their
    sum: the plan page says so."""
    if not plan.objectives:
        return []
    return rules.weight_findings(plan, Systems.of_cycle(plan.cycle))[1]


def _deliberation_errors(deliberation: Deliberation) -> list[str]:
    if not (deliberation.number or "").strip() or not isinstance(deliberation.date, date):
        return [str(_l("The Board's deliberation needs a number and a date."))]
    return []


def approve_plan(actor: User, cycle: Cycle, deliberation: Deliberation) -> PlanRevision:
    """The Board adopts the plan: it is frozen as revision 0."""
    require_role(actor, Role.BOARD)
    plan = ensure_plan(cycle)
    if plan.status != PlanStatus.DRAFT.value:
        raise PlanError(_l("The plan has already been approved."))
    errors = _deliberation_errors(deliberation) + plan_problems(plan)
    if errors:
        raise PlanError(errors)
    revision = PlanRevision(plan=plan, number=0, opened_by_id=actor.id)
    db.session.add(revision)
    _close_revision(actor, plan, revision, deliberation, snapshot(plan), None)
    audit.record("plan.approve", actor=actor, obj=plan,
                 before={"status": PlanStatus.DRAFT.value},
                 after={"status": plan.status, "revision": 0,
                        "deliberation": [deliberation.number, deliberation.date]})
    return revision


def _close_revision(actor, plan, revision, deliberation, content, changes) -> None:
    revision.status = RevisionStatus.APPROVED.value
    revision.deliberation_number = deliberation.number.strip()
    revision.deliberation_date = deliberation.date
    revision.approved_at = utcnow()
    revision.approved_by_id = actor.id
    revision.snapshot = content
    revision.changes = changes
    plan.status = PlanStatus.APPROVED.value
    db.session.flush()


def open_revision(plan: Plan) -> PlanRevision | None:
    return next((r for r in plan.revisions if r.status == RevisionStatus.OPEN.value), None)


def last_approved(plan: Plan) -> PlanRevision | None:
    approved = [r for r in plan.revisions if r.status == RevisionStatus.APPROVED.value]
    return approved[-1] if approved else None


def create_revision(actor: User, cycle: Cycle, reason: str) -> PlanRevision:
    """Open Rev. N+1: the plan becomes editable until the Board approves the revision."""
    ensure_plan_editor(actor)
    plan = ensure_plan(cycle)
    if plan.status == PlanStatus.DRAFT.value:
        raise PlanError(_l("The plan is still a draft: change it directly."))
    if plan.status == PlanStatus.REVISING.value:
        raise PlanError(_l("A revision is already open."))
    if cycle.status == CycleStatus.CLOSED.value:
        raise PlanError(_l("The cycle is closed."))
    if not (reason or "").strip():
        raise PlanError(_l("Say why the plan needs a revision."))
    number = db.session.execute(
        select(func.max(PlanRevision.number)).where(PlanRevision.plan_id == plan.id)
    ).scalar_one() + 1
    revision = PlanRevision(plan=plan, number=number, reason=reason.strip(),
                            opened_by_id=actor.id, status=RevisionStatus.OPEN.value)
    db.session.add(revision)
    plan.status = PlanStatus.REVISING.value
    db.session.flush()
    audit.record("plan.revision.open", actor=actor, obj=revision,
                 after={"number": number, "reason": revision.reason})
    return revision


def record_oiv_opinion(actor: User, cycle: Cycle, opinion: OivOpinion) -> PlanRevision:
    require_role(actor, Role.OIV)
    revision = open_revision(ensure_plan(cycle))
    if revision is None:
        raise PlanError(_l("No revision is open."))
    if not (opinion.reference or "").strip() or not isinstance(opinion.date, date):
        raise PlanError(_l("The OIV's opinion needs a reference and a date."))
    before = {"reference": revision.oiv_opinion_reference,
              "positive": revision.oiv_opinion_positive}
    revision.oiv_opinion_reference = opinion.reference.strip()
    revision.oiv_opinion_date = opinion.date
    revision.oiv_opinion_positive = bool(opinion.positive)
    revision.oiv_opinion_by_id = actor.id
    db.session.flush()
    audit.record("plan.revision.oiv_opinion", actor=actor, obj=revision, before=before,
                 after={"reference": revision.oiv_opinion_reference, "date": opinion.date,
                        "positive": revision.oiv_opinion_positive})
    return revision


def pending_changes(plan: Plan) -> list[Change]:
    """What the open revision changes so far, against the last approved revision."""
    base = last_approved(plan)
    return diff(base.snapshot if base else {}, snapshot(plan))


def approve_revision(actor: User, cycle: Cycle, deliberation: Deliberation) -> PlanRevision:
    """The Board approves the open revision, after a positive opinion of the OIV."""
    require_role(actor, Role.BOARD)
    plan = ensure_plan(cycle)
    revision = open_revision(plan)
    if revision is None:
        raise PlanError(_l("No revision is open."))
    errors = _deliberation_errors(deliberation)
    if revision.oiv_opinion_positive is None:
        errors.append(str(_l("The revision needs the OIV's opinion first.")))
    elif not revision.oiv_opinion_positive:
        errors.append(str(_l("The OIV's opinion is negative: the revision cannot be approved.")))
    changes = pending_changes(plan)
    if not changes:
        errors.append(str(_l("The revision changes nothing.")))
    errors += plan_problems(plan)
    if errors:
        raise PlanError(errors)
    _close_revision(actor, plan, revision, deliberation, snapshot(plan),
                    [c.as_dict() for c in changes])
    audit.record("plan.revision.approve", actor=actor, obj=revision,
                 after={"number": revision.number, "changes": len(changes),
                        "deliberation": [deliberation.number, deliberation.date]})
    return revision


def revision_diff(plan: Plan, old: int, new: int | None) -> list[Change]:
    """Changes from approved revision `old` to approved revision `new` (None: the plan
    as it stands now)."""
    by_number = {r.number: r for r in plan.revisions if r.snapshot is not None}
    if old not in by_number or (new is not None and new not in by_number):
        raise PlanError(_l("Unknown revision."))
    after = snapshot(plan) if new is None else by_number[new].snapshot
    return diff(by_number[old].snapshot, after)


# --- values recorded against the adopted plan --------------------------------------------

def _ensure_measurable(actor: User, indicator: Indicator) -> None:
    ensure_can_measure(actor, indicator)
    if indicator.computed:
        raise PlanError(_l("%(code)s is the mean of the operational objectives: its value is "
                           "computed, not entered.", code=indicator.code))
    plan = indicator.objective.plan
    if not plan.ever_approved:
        raise PlanError(_l("The plan is not approved yet: values are recorded on the adopted plan."))
    if plan.cycle.status == CycleStatus.CLOSED.value:
        raise PlanError(_l("The cycle is closed."))


def _check_value(indicator: Indicator, field: str, value) -> None:
    if value is not None and not value_matches_unit(value, indicator.unit):
        raise PlanError(wrong_kind_message(indicator.code, field, indicator.unit))


MONITORING_FIELDS = ("monitoring_value", "monitoring_forecast", "at_risk", "monitoring_note")


def record_monitoring(actor: User, indicator: Indicator, value: IndicatorValue | None,
                      forecast: IndicatorValue | None = None, at_risk: bool = False,
                      note: str | None = None) -> None:
    """The July monitoring: the value so far, the forecast for year-end, a risk flag."""
    _ensure_measurable(actor, indicator)
    _check_value(indicator, "monitoring_value", value)
    _check_value(indicator, "monitoring_forecast", forecast)
    if at_risk and not (note or "").strip():
        raise PlanError(_l("%(what)s: say why the indicator is at risk.", what=indicator.code))
    before = _state(indicator, MONITORING_FIELDS)
    indicator.monitoring_value, indicator.monitoring_forecast = value, forecast
    indicator.at_risk, indicator.monitoring_note = bool(at_risk), (note or "").strip() or None
    db.session.flush()
    audit.record("plan.indicator.monitoring", actor=actor, obj=indicator, before=before,
                 after=_state(indicator, MONITORING_FIELDS))


def record_actual(actor: User, indicator: Indicator, value: IndicatorValue | None) -> None:
    """The year-end value (None clears it)."""
    _ensure_measurable(actor, indicator)
    _check_value(indicator, "actual", value)
    if value is not None and indicator.neutralised:
        raise PlanError(_l("%(what)s is neutralised: reinstate it before recording a value.",
                           what=indicator.code))
    before = {"actual": encode_value(indicator.actual)}
    indicator.actual = value
    db.session.flush()
    audit.record("plan.indicator.actual", actor=actor, obj=indicator, before=before,
                 after={"actual": encode_value(value)})


def neutralise(actor: User, indicator: Indicator, reason: str) -> None:
    """An indicator that cannot be measured: excluded from the score, its weight spread
    over the others of the objective. The written reason is mandatory."""
    _ensure_measurable(actor, indicator)
    if not (reason or "").strip():
        raise PlanError(_l("%(what)s: neutralising needs a written reason.", what=indicator.code))
    before = _state(indicator, ("neutralised", "neutralised_reason", "actual"))
    indicator.neutralised, indicator.neutralised_reason = True, reason.strip()
    indicator.actual = None
    db.session.flush()
    audit.record("plan.indicator.neutralise", actor=actor, obj=indicator, before=before,
                 after=_state(indicator, ("neutralised", "neutralised_reason", "actual")))


def reinstate(actor: User, indicator: Indicator) -> None:
    _ensure_measurable(actor, indicator)
    if not indicator.neutralised:
        raise PlanError(_l("%(what)s is not neutralised.", what=indicator.code))
    before = _state(indicator, ("neutralised", "neutralised_reason"))
    indicator.neutralised, indicator.neutralised_reason = False, None
    db.session.flush()
    audit.record("plan.indicator.reinstate", actor=actor, obj=indicator, before=before,
                 after=_state(indicator, ("neutralised", "neutralised_reason")))
