"""Which rule scores each indicator, and the plan's weight groups: one reading shared by
the plan check (what stops approval), the roll-up (app.services.plan.scores) and the
change of a cycle's evaluation system, so that no figure is ever computed by a rule
other than the configured one without the plan saying so.

- An indicator's rule is the system's options overridden by the indicator's own method,
  ratio cap, credit per day late and steps table (`options`). A rule that cannot score
  the indicator (a method that does not fit its unit, a steps method without a table)
  is a problem shown beside the indicator, never a row silently dropped or scored
  otherwise (`rule_problem`).
- The weight groups (`weight_groups`): the strategic areas, the strategic objectives
  (over the plan, or within each area when the system says so), the indicators of each
  objective and the operational objectives under each strategic one. Each is read by
  app.scoring.weights with the tolerance of the system of its part
  (app.services.plan.parts).
- An indicator whose value is the mean of its objective's operational objectives
  (Alessandria) is checked like the others, plus `mean_problem`."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.formats.values import UNIT_LABELS, format_value
from app.models.plan import (
    OPERATIONAL_MEAN,
    IndicatorUnit,
    Plan,
    ValueKind,
    decode_value,
    encode_value,
)
from app.scoring import EvaluationSystem, ScoringError, indicator_score
from app.scoring.indicators import check_steps
from app.scoring.weights import check_weights
from app.services.plan.parts import Part, Systems

# Which methods can score which kind of value (the unit decides the kind).
METHODS_BY_KIND = {
    ValueKind.NUMBER: ("threshold", "ratio", "steps"),
    ValueKind.DATE: ("threshold", "deadline", "ratio", "steps"),
    ValueKind.BOOLEAN: ("boolean",),
}


def effective_method(unit: str, method: str | None, system: EvaluationSystem) -> str:
    """The indicator's own method, else the system's default. Yes/no indicators have one
    method (boolean) whatever the default; otherwise a default that does not fit the
    unit is returned as it is, and rule_problem says so."""
    if method is not None:
        return method
    kind = IndicatorUnit(unit).kind
    if kind is ValueKind.BOOLEAN:
        return "boolean"
    return system.default_method


def steps_from_json(stored) -> list | None:
    """The steps table as the scoring module takes it, from its stored JSON form
    [[op, canonical bound, achievement], ...]."""
    if stored is None:
        return None
    return [(op, decode_value(bound), Decimal(achievement)) for op, bound, achievement in stored]


def steps_to_json(steps) -> list | None:
    """The stored form of a checked table (check_steps)."""
    if steps is None:
        return None
    return [[op, encode_value(bound), str(achievement)] for op, bound, achievement in steps]


def options(indicator, system: EvaluationSystem) -> dict:
    """The keyword options of indicator_score for this indicator: the system's, with
    the indicator's own overrides."""
    result = dict(system.indicator_options())
    if indicator.ratio_cap is not None:
        result["cap"] = indicator.ratio_cap
    if indicator.credit_per_day_late is not None:
        result["credit_per_day_late"] = indicator.credit_per_day_late
    result["steps"] = steps_from_json(indicator.steps)
    return result


def rule_problem(indicator, system: EvaluationSystem) -> str | None:
    """Why the rules cannot score the indicator, or None. Scoring the target against
    itself (or, for steps, checking the table against the unit) is the final check."""
    if getattr(indicator, "source", None) == OPERATIONAL_MEAN:  # also an IndicatorData
        problem = mean_problem(getattr(indicator, "objective", None), system)
        if problem:
            return problem
    method = effective_method(indicator.unit, indicator.method, system)
    kind = IndicatorUnit(indicator.unit).kind
    if method not in METHODS_BY_KIND[kind]:
        return gettext("The %(method)s method cannot score a value in %(unit)s.",
                       method=method_label(method), unit=UNIT_LABELS[indicator.unit])
    kwargs = options(indicator, system)
    try:
        if method == "steps":
            table = check_steps(kwargs["steps"])
            bound_is_date = not isinstance(table[0][1], Decimal)
            if bound_is_date != (kind is ValueKind.DATE):
                return gettext("The bounds of the steps must be %(kind)s like the indicator.",
                               kind=gettext("dates") if kind is ValueKind.DATE
                               else gettext("numbers"))
            return None
        if indicator.target is None:
            return gettext("The target is missing.")
        indicator_score(indicator.target, indicator.target, indicator.threshold,
                        indicator.direction, method, **kwargs)
    except ScoringError as exc:
        return gettext(exc.template, **exc.params)
    return None


_SOURCE_TEXTS = {"": None, "operational_mean": OPERATIONAL_MEAN,
                 "media_obiettivi_operativi": OPERATIONAL_MEAN,
                 "media obiettivi operativi": OPERATIONAL_MEAN}


def parse_source(text: str) -> str | None:
    """The import's `source` cell: blank for an entered value, 'media obiettivi
    operativi' (or operational_mean) for the mean of the operational objectives."""
    try:
        return _SOURCE_TEXTS[(text or "").strip().lower()]
    except KeyError:
        raise ValueError(gettext("Unknown source of the value '%(value)s': leave it blank or "
                                 "write 'media obiettivi operativi'.", value=text)) from None


def mean_problem(objective, system: EvaluationSystem) -> str | None:
    """Why the mean of `objective`'s operational objectives cannot be one of its
    indicators: only a strategic objective averages objectives below it (anything else
    would feed an objective's figure back into itself), it needs some to average, and
    its system must not also give them a share of it (they would count twice)."""
    if objective is None:
        return None
    if not objective.is_strategic:
        return gettext("Only a strategic objective can have the mean of its operational "
                       "objectives as an indicator.")
    if not objective.children:
        return gettext("The objective has no operational objectives to average.")
    if system.rollup.strategic_kpi_share is not None:
        return gettext("The rules already give the operational objectives a share of the "
                       "strategic objective: the mean of them as an indicator would count "
                       "them twice.")
    return None


METHOD_LABELS = {
    "threshold": _l("Threshold (linear from threshold to target)"),
    "ratio": _l("Ratio (actual / target)"),
    "boolean": _l("Yes/no"),
    "deadline": _l("Deadline (date)"),
    "steps": _l("Steps (a table of achievements)"),
}


def method_label(method: str) -> str:
    return str(METHOD_LABELS.get(method, method))


def describe(indicator, system: EvaluationSystem) -> str:
    """The rule an indicator is scored by, in words, for the plan page."""
    method = effective_method(indicator.unit, indicator.method, system)
    text = method_label(method)
    if getattr(indicator, "source", None) == OPERATIONAL_MEAN:
        text = gettext("Mean of the operational objectives, scored by: %(rule)s", rule=text)
    if method == "ratio":
        cap = indicator.ratio_cap if indicator.ratio_cap is not None else system.ratio_cap
        text += " · " + gettext("at most %(cap)s%%", cap=format_value(Decimal(cap)))
    elif method == "steps" and indicator.steps:
        text += ": " + format_steps(steps_from_json(indicator.steps))
    elif method in ("deadline", "threshold") and IndicatorUnit(indicator.unit).kind is \
            ValueKind.DATE:
        credit = (indicator.credit_per_day_late if indicator.credit_per_day_late is not None
                  else system.deadline_credit_per_day)
        if credit:
            text += " · " + gettext("%(credit)s points lost per day late",
                                    credit=format_value(Decimal(credit)))
    if indicator.method is None:
        text += " " + gettext("(the system's default)")
    return text


def format_steps(steps) -> str:
    """'< 80: 100 | < 85: 80' in Italian formats: what the import column holds."""
    return " | ".join(f"{op} {format_value(bound)}: {format_value(Decimal(achievement))}"
                     for op, bound, achievement in steps)


# --- weight groups -----------------------------------------------------------------------

@dataclass
class WeightGroup:
    label: str
    weights: list
    tolerance: Decimal = Decimal("0.01")


def as_systems(systems) -> Systems:
    """A Systems map from either a map or one system that scores everything."""
    return systems if isinstance(systems, Systems) else Systems.single(systems)


def area_part(area, systems: Systems) -> Part:
    """The part a strategic area belongs to: that of its top objectives when they are
    all in one, else the default's."""
    found = {systems.part_of_objective(o).key: systems.part_of_objective(o)
             for o in area.objectives if o.parent_id is None}
    return next(iter(found.values())) if len(found) == 1 else systems.default


def weight_groups(plan: Plan, systems) -> list[WeightGroup]:
    """Each group is read by the system of the part it belongs to; with several systems
    the areas and the strategic objectives add up to 100 within each part."""
    systems = as_systems(systems)
    groups = []
    top = [o for o in plan.objectives if o.parent_id is None and o.is_strategic]
    for part in systems.parts:
        system, named = part.system, systems.several
        suffix = f" ({part.name})" if named else ""
        areas = [a for a in plan.areas if area_part(a, systems).key == part.key]
        mine = [o for o in top if systems.part_of_objective(o).key == part.key]
        tolerance = system.weight_tolerance
        groups.append(WeightGroup(str(_l("Strategic areas")) + suffix,
                                  [a.weight for a in areas], tolerance))
        if system.rollup.strategic_weights == "area":
            for area in plan.areas:
                groups.append(WeightGroup(
                    str(_l("Strategic objectives of %(code)s", code=area.code)) + suffix,
                    [o.weight for o in mine if o.area_id == area.id], tolerance))
            loose = [o.weight for o in mine if o.area_id is None]
            if loose:
                groups.append(WeightGroup(str(_l("Strategic objectives outside any area"))
                                          + suffix, loose, tolerance))
        else:
            groups.append(WeightGroup(str(_l("Strategic objectives")) + suffix,
                                      [o.weight for o in mine], tolerance))
    for objective in plan.objectives:
        tolerance = systems.of_objective(objective).weight_tolerance
        groups.append(WeightGroup(str(_l("Indicators of %(code)s", code=objective.code)),
                                  [i.weight for i in objective.indicators], tolerance))
        groups.append(WeightGroup(
            str(_l("Operational objectives of %(code)s", code=objective.code)),
            [c.weight for c in objective.children], tolerance))
    return [group for group in groups if group.weights]


def weight_findings(plan: Plan, systems) -> tuple[list[str], list[str]]:
    """(problems, notes): a group the rules refuse; a group within the tolerance whose
    weights are normalised by their sum."""
    problems, notes = [], []
    for group in weight_groups(plan, systems):
        try:
            total = check_weights(group.weights, group.tolerance)
        except ScoringError as exc:
            problems.append(after_label(group.label, message_of(exc)))
            continue
        if total is not None:
            notes.append(gettext("%(what)s: the weights add up to %(total)s; each is divided "
                                 "by that sum.", what=group.label,
                                 total=format_value(total)))
    return problems, notes


def after_label(label, message: str) -> str:
    """'OP1: the weights add up to 110, not 100.': a message after the name of what it is
    about starts in lower case."""
    return f"{label}: {message[:1].lower()}{message[1:]}"


def message_of(exc: ScoringError) -> str:
    """The scoring module's refusal, translated, its numbers in Italian formats."""
    params = {key: format_value(value) if isinstance(value, Decimal) else value
              for key, value in exc.params.items()}
    return gettext(exc.template, **params)


def indicator_problems(plan: Plan, systems) -> list[str]:
    """Every indicator the rules could not score (each by its objective's system), with
    the reason."""
    systems, problems = as_systems(systems), []
    for objective in plan.objectives:
        system = systems.of_objective(objective)
        for indicator in objective.indicators:
            problem = rule_problem(indicator, system)
            if problem:
                problems.append(after_label(indicator.code, problem))
    return problems
