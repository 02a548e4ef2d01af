"""'How it is computed' for the achievements of the organisation, of each strategic
area, each organisational area and each strategic objective, on the plan's and the
reports' pages: the rows app.services.plan.scores.achievements rolls up, with their
achievements and weights, explained by app.scoring.explain (mean_steps,
strategic_steps), whose value is the figure shown."""
from __future__ import annotations

from dataclasses import dataclass, field

from app.models.plan import Cycle, Objective
from app.scoring import explain
from app.services.evaluation.explanations import lines
from app.services.plan.parts import Systems
from app.services.plan.scores import Achievements


def organisation(cycle: Cycle, result: Achievements) -> explain.Explanation | None:
    plan, systems = cycle.plan, Systems.of_cycle(cycle)
    if plan is None or result.organisation is None or systems.several:
        return None  # a figure composed of parts is explained part by part on the plan page
    rule = systems.default.system.rollup.organisation
    if rule == "areas":
        rows = [(a.code, result.strategic_area(a.id), a.weight) for a in plan.areas]
    else:
        rows = [(o.code, result.objective(o.id), o.weight if rule == "weighted" else None)
                for o in plan.objectives if o.parent_id is None]
    return explain.mean_steps(rows, simple=rule == "simple")


def organisation_lines(cycle: Cycle, result: Achievements) -> list[str]:
    return lines(organisation(cycle, result))


@dataclass
class PlanExplanations:
    """The lines of each figure of the plan that rolls others up, by id (none for a
    figure the page does not show)."""

    strategic_areas: dict[int, list[str]] = field(default_factory=dict)
    unit_areas: dict[int, list[str]] = field(default_factory=dict)
    objectives: dict[int, list[str]] = field(default_factory=dict)


def _strategic(objective: Objective, result: Achievements, systems: Systems) -> explain.Explanation:
    """As scores._strategic: an objective with a computed indicator (the operational
    objectives' mean) counts its operational objectives only through it."""
    own = [(i.code, result.indicator(i.id), i.weight) for i in objective.indicators]
    below = [] if any(i.computed for i in objective.indicators) else [
        (c.code, result.objective(c.id), c.weight) for c in objective.children]
    return explain.strategic_steps(own, below, systems.of_objective(objective))


def of_plan(cycle: Cycle, result: Achievements, systems: Systems | None = None
            ) -> PlanExplanations:
    """`systems`: the cycle's, when the caller has loaded them for `result` already."""
    found, plan = PlanExplanations(), cycle.plan
    if plan is None:
        return found
    systems = systems or Systems.of_cycle(cycle)
    top = [o for o in plan.objectives if o.parent_id is None]
    for area in plan.areas:
        if result.strategic_area(area.id) is not None:
            found.strategic_areas[area.id] = lines(explain.mean_steps(
                (o.code, result.objective(o.id), o.weight) for o in top if o.area_id == area.id))
    operational = [o for o in plan.objectives if not o.is_strategic]
    for unit, _value in result.unit_areas:
        inside = {unit.id, *(child.id for child in unit.children)}
        found.unit_areas[unit.id] = lines(explain.mean_steps(
            (o.code, result.objective(o.id), o.weight) for o in operational
            if o.owner_unit_id in inside))
    for objective in plan.objectives:
        if objective.is_strategic and result.objective(objective.id) is not None:
            found.objectives[objective.id] = lines(_strategic(objective, result, systems))
    return found
