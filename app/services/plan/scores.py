"""Achievements of a plan, computed by app.scoring from the recorded values: each
indicator, each objective (its indicators and operational objectives), each strategic
area, each organisational area, and the organisation.

Indicators neutralised or not yet measured are left out, so their weight spreads over
the others; a node with nothing measured below it has no achievement (None). What the
rules cannot score (an indicator whose rule does not fit, a weight group the rules
refuse) is never dropped: the node has no figure, the reason is in `problems`, and every
node above it has no figure either."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select

from app.extensions import db
from app.models.org import OrgUnit, UnitKind
from app.models.plan import Cycle, Indicator, Objective
from app.scoring import (
    EvaluationSystem,
    ScoringError,
    area_score,
    indicator_score,
    objective_score,
    organisation_score,
    strategic_score,
)
from app.scoring.weights import check_weights, resolve_weights
from app.services.plan import rules
from app.services.plan import system as smvp


@dataclass
class Achievements:
    indicators: dict[int, Decimal | None] = field(default_factory=dict)
    objectives: dict[int, Decimal | None] = field(default_factory=dict)
    strategic_areas: dict[int, Decimal | None] = field(default_factory=dict)
    unit_areas: list[tuple[OrgUnit, Decimal]] = field(default_factory=list)
    organisation: Decimal | None = None
    # Why a node has no figure although it has values: ("indicator" | "objective" |
    # "area" | "organisation", id) -> the reason, shown beside the node.
    problems: dict[tuple[str, int | None], str] = field(default_factory=dict)

    def indicator(self, indicator_id: int) -> Decimal | None:
        return self.indicators.get(indicator_id)

    def objective(self, objective_id: int) -> Decimal | None:
        return self.objectives.get(objective_id)

    def strategic_area(self, area_id: int) -> Decimal | None:
        return self.strategic_areas.get(area_id)

    def problem(self, kind: str, node_id: int | None) -> str | None:
        return self.problems.get((kind, node_id))


class _Blocked(Exception):
    """A row of a group has a problem: the group has no figure either."""


def _value(result: Achievements, kind: str, node_id: int, figures: dict):
    if (kind, node_id) in result.problems:
        raise _Blocked
    return figures.get(node_id)


def _mean(result: Achievements, key: tuple, function, rows, *args,
          tolerance: Decimal | None = None) -> Decimal | None:
    """function(rows) over a whole group (unmeasured rows as None, so the weights are read
    over the group as the plan check reads them, with the sum checked against
    `tolerance` where the plan check checks it); None when nothing is measured; a
    refused group or a row with a problem records the problem under `key`."""
    try:
        rows = list(rows)
    except _Blocked:
        result.problems[key] = gettext("Cannot be computed: an element below it cannot be "
                                       "scored (see the messages beside it).")
        return None
    weights = [weight for _, weight in rows]
    try:
        if tolerance is not None:
            check_weights(weights, tolerance)
        resolved = resolve_weights(weights)
    except ScoringError as exc:
        result.problems[key] = rules.message_of(exc)
        return None
    if not any(score is not None and weight for (score, _), weight in zip(rows, resolved,
                                                                          strict=True)):
        return None
    return function(rows, *args)


def indicator_achievement(indicator: Indicator, system: EvaluationSystem,
                          basis: str = "actual") -> Decimal | None:
    """The indicator's achievement, or None when it is not measured (neutralised or no
    value). Raises ScoringError when the rules cannot score it: never a silent 0."""
    value = getattr(indicator, basis)
    if indicator.neutralised or value is None:
        return None
    problem = rules.rule_problem(indicator, system)
    if problem:
        raise ScoringError("%(problem)s", problem=problem)
    method = rules.effective_method(indicator.unit, indicator.method, system)
    return indicator_score(value, indicator.target, indicator.threshold,
                           indicator.direction, method, **rules.options(indicator, system))


def achievements(cycle: Cycle, basis: str = "actual") -> Achievements:
    """basis: 'actual' for year-end, 'monitoring_value' or 'monitoring_forecast' for the
    July picture."""
    result = Achievements()
    plan = cycle.plan
    if plan is None:
        return result
    system = smvp.system_for(cycle)
    summed = system.weight_tolerance  # groups whose weights must add up to 100
    for objective in plan.objectives:
        for indicator in objective.indicators:
            try:
                result.indicators[indicator.id] = indicator_achievement(indicator, system, basis)
            except ScoringError as exc:
                result.indicators[indicator.id] = None
                result.problems[("indicator", indicator.id)] = rules.message_of(exc)
    operational = [o for o in plan.objectives if not o.is_strategic]
    for objective in operational:
        result.objectives[objective.id] = _mean(result, ("objective", objective.id),
                                                objective_score, _own(objective, result),
                                                tolerance=summed)
    for objective in (o for o in plan.objectives if o.is_strategic):
        result.objectives[objective.id] = _strategic(objective, result, system)
    top = [o for o in plan.objectives if o.parent_id is None]
    within_area = system.rollup.strategic_weights == "area"
    for area in plan.areas:
        result.strategic_areas[area.id] = _mean(
            result, ("area", area.id), objective_score,
            _rows(result, "objective", result.objectives,
                  ((o.id, o.weight) for o in top if o.area_id == area.id)),
            tolerance=summed if within_area else None)
    if system.rollup.organisation == "areas":
        rows = _rows(result, "area", result.strategic_areas,
                     ((a.id, a.weight) for a in plan.areas))
    else:
        weighted = system.rollup.organisation == "weighted"
        rows = _rows(result, "objective", result.objectives,
                     ((o.id, o.weight if weighted else None) for o in top))
    result.organisation = _mean(result, ("organisation", None), organisation_score, rows,
                                system, tolerance=summed if system.rollup.organisation
                                == "areas" else None)
    result.unit_areas = _unit_areas(cycle, operational, result)
    return result


def _rows(result: Achievements, kind: str, figures: dict, nodes):
    """(score, weight) rows of a group; raises _Blocked (lazily) on a row with a problem."""
    for node_id, weight in nodes:
        yield _value(result, kind, node_id, figures), weight


def _strategic(objective: Objective, result: Achievements, system: EvaluationSystem):
    key, summed = ("objective", objective.id), system.weight_tolerance
    own = _mean(result, key, lambda rows: rows, _own(objective, result), tolerance=summed)
    below = _mean(result, key, lambda rows: rows,
                  _rows(result, "objective", result.objectives,
                        ((c.id, c.weight) for c in objective.children)), tolerance=summed)
    if key in result.problems:
        return None
    if own is None and below is None:
        return None
    return strategic_score(own or [], below or [], system)


def _own(objective: Objective, result: Achievements):
    return _rows(result, "indicator", result.indicators,
                 ((i.id, i.weight) for i in objective.indicators))


def _unit_areas(cycle: Cycle, operational, result: Achievements) -> list[tuple[OrgUnit, Decimal]]:
    """Each organisational area: the weighted mean of the operational objectives owned by
    the area or its sectors."""
    areas = db.session.execute(
        select(OrgUnit).where(OrgUnit.administration_id == cycle.administration_id,
                              OrgUnit.kind == UnitKind.AREA.value).order_by(OrgUnit.code)
    ).scalars().all()
    rows = []
    for area in areas:
        inside = {area.id, *(c.id for c in area.children)}
        score = _mean(result, ("unit_area", area.id), area_score,
                      _rows(result, "objective", result.objectives,
                            ((o.id, o.weight) for o in operational
                             if o.owner_unit_id in inside)))
        if score is not None:
            rows.append((area, score))
    return rows
