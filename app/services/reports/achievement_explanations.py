"""'How it is computed' for the organisation's achievement on the OIV's pages: the rows
app.services.plan.scores.achievements rolls up (strategic objectives, or strategic
areas, by the cycle's rule) with their achievements and weights, explained by
app.scoring.explain.mean_steps, whose value is the figure shown."""
from __future__ import annotations

from app.models.plan import Cycle
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
