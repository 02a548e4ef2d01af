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
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

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
from app.services.plan.errors import PlanError
from app.services.plan.parts import Part, Systems


@dataclass
class Achievements:
    indicators: dict[int, Decimal | None] = field(default_factory=dict)
    objectives: dict[int, Decimal | None] = field(default_factory=dict)
    strategic_areas: dict[int, Decimal | None] = field(default_factory=dict)
    unit_areas: list[tuple[OrgUnit, Decimal]] = field(default_factory=list)
    organisation: Decimal | None = None
    # Each part of the plan scored by one system (app.services.plan.parts): (part, its
    # organisation figure, why it has none); the pages list them when there are several.
    parts: list[tuple[Part, Decimal | None, str | None]] = field(default_factory=list)
    # The value of each indicator fed by the roll-up (the operational objectives' mean).
    computed_values: dict[int, Decimal | None] = field(default_factory=dict)
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
                          basis: str = "actual", value=None) -> Decimal | None:
    """The indicator's achievement, or None when it is not measured (neutralised or no
    value). `value` is the computed value of an indicator fed by the roll-up (the mean of
    the operational objectives). Raises ScoringError when the rules cannot score it:
    never a silent 0."""
    if not indicator.computed:
        value = getattr(indicator, basis)
    if indicator.neutralised or value is None:
        return None
    problem = rules.rule_problem(indicator, system)
    if problem:
        raise ScoringError("%(problem)s", problem=problem)
    method = rules.effective_method(indicator.unit, indicator.method, system)
    return indicator_score(value, indicator.target, indicator.threshold,
                           indicator.direction, method, **rules.options(indicator, system))


def achievements(cycle: Cycle, basis: str = "actual", systems: Systems | None = None
                 ) -> Achievements:
    """basis: 'actual' for year-end, 'monitoring_value' or 'monitoring_forecast' for the
    July picture. Every node is scored by the system of its part (app.services.plan.parts)."""
    result = Achievements()
    plan = cycle.plan
    if plan is None:
        return result
    systems = systems or Systems.of_cycle(cycle)
    _load_tree(plan)
    for objective in plan.objectives:
        system = systems.of_objective(objective)
        for indicator in (i for i in objective.indicators if not i.computed):
            _score_indicator(result, indicator, system, basis)
    operational = [o for o in plan.objectives if not o.is_strategic]
    for objective in operational:
        result.objectives[objective.id] = _mean(
            result, ("objective", objective.id), objective_score, _own(objective, result),
            tolerance=systems.of_objective(objective).weight_tolerance)
    for objective in (o for o in plan.objectives if o.is_strategic):
        system = systems.of_objective(objective)
        for indicator in (i for i in objective.indicators if i.computed):
            mean = _mean(result, ("indicator", indicator.id), objective_score,
                         _children(objective, result), tolerance=system.weight_tolerance)
            result.computed_values[indicator.id] = mean
            if ("indicator", indicator.id) not in result.problems:
                _score_indicator(result, indicator, system, basis, mean)
        result.objectives[objective.id] = _strategic(objective, result, system)
    _areas_and_organisation(plan, systems, result)
    result.unit_areas = _unit_areas(cycle, operational, result)
    return result


def _load_tree(plan) -> None:
    """The plan's objectives with their indicators and sub-objectives in three queries,
    instead of two per objective as the walk below would read them one by one. The plan
    keeps them (the session alone holds objects weakly and would let them go)."""
    objectives = db.session.execute(
        select(Objective).where(Objective.plan_id == plan.id).order_by(Objective.code)
        .options(selectinload(Objective.indicators), selectinload(Objective.children))
    ).scalars().all()
    if "objectives" in inspect(plan).unloaded:
        set_committed_value(plan, "objectives", objectives)


def _score_indicator(result, indicator, system, basis, value=None) -> None:
    try:
        result.indicators[indicator.id] = indicator_achievement(indicator, system, basis, value)
    except ScoringError as exc:
        result.indicators[indicator.id] = None
        result.problems[("indicator", indicator.id)] = rules.message_of(exc)


def _areas_and_organisation(plan, systems: Systems, result: Achievements) -> None:
    """The strategic areas, each part's organisation figure and the whole organisation.
    A figure spanning parts is computed only when their systems agree on the rule that
    combines them (systems.common), else the refusal is its problem."""
    top = [o for o in plan.objectives if o.parent_id is None]
    part_of = {o.id: systems.part_of_objective(o) for o in top}
    for area in plan.areas:
        mine = [o for o in top if o.area_id == area.id]
        try:
            within, tolerance = systems.common(
                [part_of[o.id] for o in mine],
                lambda s: (s.rollup.strategic_weights, s.weight_tolerance),
                _l("strategic weighting"))
        except PlanError as exc:
            result.problems[("area", area.id)] = exc.messages[0]
            continue
        result.strategic_areas[area.id] = _mean(
            result, ("area", area.id), objective_score,
            _rows(result, "objective", result.objectives, ((o.id, o.weight) for o in mine)),
            tolerance=tolerance if within == "area" else None)
    used = [p for p in systems.parts if any(part_of[o.id].key == p.key for o in top)]
    for part in used:
        areas = [a for a in plan.areas if rules.area_part(a, systems).key == part.key]
        figure = _organisation(result, ("part", part.key), part.system, areas,
                               [o for o in top if part_of[o.id].key == part.key], True)
        result.parts.append((part, figure, result.problem("part", part.key)))
    try:
        systems.common(used, lambda s: (s.rollup.organisation, s.rollup.strategic_weights),
                       _l("roll-ups of the organisation"))
    except PlanError as exc:
        result.problems[("organisation", None)] = exc.messages[0]
        return
    system = (used[0] if used else systems.default).system
    result.organisation = _organisation(result, ("organisation", None), system, plan.areas,
                                        top, len(used) <= 1)
    if any(problem for _, _, problem in result.parts) and result.organisation is not None:
        result.organisation = None
        result.problems[("organisation", None)] = gettext(
            "Cannot be computed: a part of the organisation cannot be scored.")


def _organisation(result, key, system: EvaluationSystem, areas, top, summed: bool):
    """The organisation's figure over `areas` or `top` objectives by `system`'s roll-up.
    Over several parts each part's weights add up to 100 by itself (checked per part),
    so the weights of the whole are normalised by their sum instead."""
    if system.rollup.organisation == "areas":
        rows = _rows(result, "area", result.strategic_areas, ((a.id, a.weight) for a in areas))
    else:
        weighted = system.rollup.organisation == "weighted"
        rows = _rows(result, "objective", result.objectives,
                     ((o.id, o.weight if weighted else None) for o in top))
    tolerance = system.weight_tolerance if summed and system.rollup.organisation == "areas" \
        else None
    return _mean(result, key, organisation_score, rows, system, tolerance=tolerance)


def _rows(result: Achievements, kind: str, figures: dict, nodes):
    """(score, weight) rows of a group; raises _Blocked (lazily) on a row with a problem."""
    for node_id, weight in nodes:
        yield _value(result, kind, node_id, figures), weight


def _children(objective: Objective, result: Achievements):
    return _rows(result, "objective", result.objectives,
                 ((c.id, c.weight) for c in objective.children))


def _strategic(objective: Objective, result: Achievements, system: EvaluationSystem):
    key, summed = ("objective", objective.id), system.weight_tolerance
    own = _mean(result, key, lambda rows: rows, _own(objective, result), tolerance=summed)
    below = _mean(result, key, lambda rows: rows, _children(objective, result),
                  tolerance=summed)
    if any(i.computed for i in objective.indicators):
        below = None  # already inside an indicator: counted once
    if key in result.problems or (own is None and below is None):
        return None
    return strategic_score(own or [], below or [], system)


def _own(objective: Objective, result: Achievements):
    return _rows(result, "indicator", result.indicators,
                 ((i.id, i.weight) for i in objective.indicators))


def _unit_areas(cycle: Cycle, operational, result: Achievements) -> list[tuple[OrgUnit, Decimal]]:
    """Each organisational area: the weighted mean of the operational objectives owned by
    the area or its sectors. The areas' sectors come in one query, not one per area (a
    ministry has dozens of areas; the explanations read the same loaded children)."""
    areas = db.session.execute(
        select(OrgUnit).where(OrgUnit.administration_id == cycle.administration_id,
                              OrgUnit.kind == UnitKind.AREA.value).order_by(OrgUnit.code)
        .options(selectinload(OrgUnit.children))
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
