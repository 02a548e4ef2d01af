"""Targets over several years: the baseline with its year, a target for each year of the
plan's horizon, and the relative ones ("+10% sul 2022") resolved against what was
observed (app.scoring.targets holds the arithmetic).

The value observed in year N for an indicator is, by this rule:
  1. the actual recorded, in the same administration's cycle of year N, for the indicator
     with the same code under an objective with the same code (codes are what stays
     when a plan is copied into the next cycle);
  2. failing that (a year before the product was used), the indicator's own baseline
     when its baseline year is N.
Nothing else counts: a relative target with neither is unresolved, the plan cannot be
approved and the cycle cannot start ("scored against a guess" is what this prevents).

Indicator.target is always the entry of the cycle's year, so scoring never reads the
table."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.formats.targets import TargetText, format_years
from app.formats.values import value_matches_unit
from app.models.plan import Cycle, Indicator, IndicatorUnit, Objective, Plan, ValueKind
from app.models.targets import IndicatorTarget
from app.scoring import ScoringError
from app.scoring.targets import TargetKind, TargetRule, resolve
from app.scoring.values import NOT_MET, DateRange

DEFAULT_HORIZON = 3
ACTUAL, BASELINE = "actual", "baseline"


def horizon(cycle: Cycle) -> list[int]:
    """The years a plan sets targets for: the cycle's year and the next ones,
    PLAN_HORIZON_YEARS in all (three unless configured)."""
    length = max(1, int(current_app.config.get("PLAN_HORIZON_YEARS", DEFAULT_HORIZON)))
    return list(range(cycle.year, cycle.year + length))


def target_errors(label, unit: str, cycle: Cycle, targets: dict[int, TargetText]) -> list[str]:
    """What is wrong with the yearly targets of one indicator (the cycle's year's value
    is indicator_field_errors' to check, like the other values)."""
    if unit not in {u.value for u in IndicatorUnit}:
        return []
    years = horizon(cycle)
    errors = []
    for year, text in sorted(targets.items()):
        if year not in years:
            errors.append(str(_l("%(what)s: %(year)d is outside the plan's horizon "
                                 "(%(first)d-%(last)d).", what=label, year=year,
                                 first=years[0], last=years[-1])))
        elif text.rule is not None:
            errors += _rule_errors(label, unit, year, text)
        elif year != cycle.year and not value_matches_unit(text.value, unit):
            errors.append(str(_l("%(what)s: the target of %(year)d is not in the indicator's "
                                 "unit.", what=label, year=year)))
    return errors


def _rule_errors(label, unit: str, year: int, text: TargetText) -> list[str]:
    if text.rule.kind.numeric_only and IndicatorUnit(unit).kind is not ValueKind.NUMBER:
        return [str(_l("%(what)s: a percentage or an amount applies only to numbers, not to "
                       "dates or yes/no answers.", what=label))]
    try:
        text.rule.check(year)
    except ScoringError as exc:
        return [f"{label}: {gettext(exc.template, **exc.params)}"]
    return []


def set_targets(indicator: Indicator, cycle: Cycle, targets: dict[int, TargetText]) -> None:
    """Replace the indicator's yearly entries, resolve the relative ones that can be, and
    copy the cycle's year's entry into Indicator.target."""
    existing = {t.year: t for t in indicator.targets}
    for year in set(existing) - set(targets):
        indicator.targets.remove(existing[year])
    for year, text in targets.items():
        entry = existing.get(year) or IndicatorTarget(year=year)
        if entry not in indicator.targets:
            indicator.targets.append(entry)
        rule = text.rule
        entry.kind = rule.kind.value if rule else TargetKind.VALUE.value
        entry.reference_year = rule.reference_year if rule else None
        entry.amount = rule.amount if rule else None
        entry.value, entry.base, entry.source = (None, None, None) if rule else \
            (text.value, None, None)
    resolve_indicator(indicator, cycle)


def target_texts(indicator: Indicator) -> dict[int, TargetText]:
    """The yearly entries as written (rules as rules, not their resolved values)."""
    return {t.year: TargetText(rule=t.rule) if t.relative else TargetText(value=t.value)
            for t in indicator.targets}


def observed(code: str, objective_code: str, year: int, administration_id: int,
             baseline=None, baseline_year: int | None = None):
    """(value, ACTUAL or BASELINE) observed in `year` for the indicator `code` of the
    objective `objective_code`, by the rule of this module, or (None, None)."""
    actual = db.session.execute(
        select(Indicator.actual).join(Objective, Indicator.objective_id == Objective.id)
        .join(Plan, Indicator.plan_id == Plan.id).join(Cycle, Plan.cycle_id == Cycle.id)
        .where(Cycle.administration_id == administration_id, Cycle.year == year,
               Indicator.code == code, Objective.code == objective_code)
    ).scalar_one_or_none()
    if actual is not None:
        return actual, ACTUAL
    if baseline_year == year and baseline is not None:
        return baseline, BASELINE
    return None, None


def _observed(indicator: Indicator, year: int, cycle: Cycle):
    return observed(indicator.code, indicator.objective.code, year, cycle.administration_id,
                    indicator.baseline, indicator.baseline_year)


def resolved_now(rule, code: str, objective_code: str, cycle: Cycle, baseline=None,
                 baseline_year: int | None = None):
    """The value a rule gives today, None while it cannot be resolved (the checks of an
    indicator being saved need its target)."""
    base, _ = observed(code, objective_code, rule.reference_year, cycle.administration_id,
                       baseline, baseline_year)
    try:
        return resolve(rule, base)
    except ScoringError:
        return None


def resolve_indicator(indicator: Indicator, cycle: Cycle) -> dict[int, str]:
    """Resolve every relative entry that can be; fill Indicator.target. Returns the
    reason of each entry left unresolved, by year."""
    unresolved = {}
    for entry in indicator.targets:
        if not entry.relative:
            continue
        base, source = _observed(indicator, entry.reference_year, cycle)
        try:
            entry.value = resolve(entry.rule, base)
            entry.base, entry.source = base, source
        except ScoringError as exc:
            entry.value, entry.base, entry.source = None, None, None
            unresolved[entry.year] = gettext(exc.template, **exc.params)
    own = next((t for t in indicator.targets if t.year == cycle.year), None)
    if own is not None:
        indicator.target = own.value
    return unresolved


def resolve_plan(cycle: Cycle) -> list[str]:
    """Resolve the relative targets of the whole plan (when the cycle starts); the
    indicators whose target for the cycle's year stays unresolved, with the reason."""
    problems = []
    plan = cycle.plan
    if plan is None:
        return problems
    for objective in plan.objectives:
        for indicator in objective.indicators:
            reasons = resolve_indicator(indicator, cycle) if plan.editable else {}
            if cycle.year in reasons:
                problems.append(str(_l("%(code)s: the target of %(year)d cannot be computed: "
                                       "%(reason)s", code=indicator.code, year=cycle.year,
                                       reason=reasons[cycle.year])))
    db.session.flush()
    return problems


def entry_of(indicator: Indicator, year: int) -> IndicatorTarget | None:
    return next((t for t in indicator.targets if t.year == year), None)


def describe_entries(indicator: Indicator) -> str:
    """The yearly entries as one text for the audit trail and revision snapshots:
    '2023: 85 | 2024: +10% sul 2023'."""
    return format_years(target_texts(indicator))


@dataclass(frozen=True)
class CarriedOver:
    """What an indicator brings into the next cycle's plan."""

    baseline: object
    baseline_year: int | None
    target: object
    target_rule: TargetRule | None
    later_targets: dict[int, TargetText]


def carried_over(indicator: Indicator, source_year: int, year: int) -> CarriedOver:
    """The copy of an indicator into the plan of `year`: the baseline becomes the actual
    recorded in `source_year`, with that year (a date range by its end; with no actual,
    or a deadline never met, the old baseline stays); the horizon shifts: the target of
    `year` comes from the yearly entries, and the earlier entries are dropped. A plan
    that set no target for `year` keeps the last one, as a fixed value."""
    baseline, baseline_year = indicator.baseline, indicator.baseline_year
    actual = indicator.actual
    if isinstance(actual, DateRange):
        actual = actual.end
    if actual is not None and actual is not NOT_MET:
        baseline, baseline_year = actual, source_year
    texts = target_texts(indicator)
    own = texts.get(year) or TargetText(value=indicator.target)
    return CarriedOver(baseline, baseline_year, own.value, own.rule,
                       {y: t for y, t in texts.items() if y > year})
