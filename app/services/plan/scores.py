"""Achievements of a plan, computed by app.scoring from the recorded values: each
indicator, each objective (its indicators and operational objectives), each strategic
area, each organisational area, and the organisation.

Indicators neutralised or not yet measured are left out, so their weight spreads over
the others; a node with nothing measured below it has no achievement (None)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

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
from app.services.plan import system as smvp


@dataclass
class Achievements:
    indicators: dict[int, Decimal | None] = field(default_factory=dict)
    objectives: dict[int, Decimal | None] = field(default_factory=dict)
    strategic_areas: dict[int, Decimal | None] = field(default_factory=dict)
    unit_areas: list[tuple[OrgUnit, Decimal]] = field(default_factory=list)
    organisation: Decimal | None = None

    def indicator(self, indicator_id: int) -> Decimal | None:
        return self.indicators.get(indicator_id)

    def objective(self, objective_id: int) -> Decimal | None:
        return self.objectives.get(objective_id)

    def strategic_area(self, area_id: int) -> Decimal | None:
        return self.strategic_areas.get(area_id)


def _rows(rows) -> list[tuple[Decimal, Decimal]]:
    """The measured (score, weight) rows with a weight: what the scoring module rolls up."""
    return [(score, weight) for score, weight in rows if score is not None and weight > 0]


def _mean(function, rows, *args) -> Decimal | None:
    live = _rows(rows)
    return function(live, *args) if live else None


def indicator_achievement(indicator: Indicator, system: EvaluationSystem,
                          basis: str = "actual") -> Decimal | None:
    value = getattr(indicator, basis)
    if indicator.neutralised or value is None:
        return None
    method = smvp.effective_method(indicator.unit, indicator.method, system)
    try:
        return indicator_score(value, indicator.target, indicator.threshold,
                               indicator.direction, method, **system.indicator_options())
    except ScoringError:
        return None  # a value the rules cannot score (say, a date under a ratio method)


def achievements(cycle: Cycle, basis: str = "actual") -> Achievements:
    """basis: 'actual' for year-end, 'monitoring_value' or 'monitoring_forecast' for the
    July picture."""
    result = Achievements()
    plan = cycle.plan
    if plan is None:
        return result
    system = smvp.system_for(cycle)
    for objective in plan.objectives:
        for indicator in objective.indicators:
            result.indicators[indicator.id] = indicator_achievement(indicator, system, basis)
    operational = [o for o in plan.objectives if not o.is_strategic]
    for objective in operational:
        result.objectives[objective.id] = _mean(objective_score, _own(objective, result))
    for objective in (o for o in plan.objectives if o.is_strategic):
        own = _rows(_own(objective, result))
        below = _rows((result.objectives.get(c.id), c.weight) for c in objective.children)
        result.objectives[objective.id] = (strategic_score(own, below, system)
                                           if own or below else None)
    top = [o for o in plan.objectives if o.parent_id is None]
    for area in plan.areas:
        result.strategic_areas[area.id] = _mean(
            objective_score, [(result.objectives.get(o.id), o.weight) for o in top
                              if o.area_id == area.id])
    if system.rollup.organisation == "areas":
        rows = [(result.strategic_areas.get(a.id), a.weight) for a in plan.areas]
    else:
        rows = [(result.objectives.get(o.id), o.weight if system.rollup.organisation ==
                 "weighted" else Decimal(1)) for o in top]
    result.organisation = _mean(organisation_score, rows, system)
    result.unit_areas = _unit_areas(cycle, operational, result)
    return result


def _own(objective: Objective, result: Achievements) -> list:
    return [(result.indicators[i.id], i.weight) for i in objective.indicators]


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
        score = _mean(area_score, [(result.objectives.get(o.id), o.weight) for o in operational
                                   if o.owner_unit_id in inside])
        if score is not None:
            rows.append((area, score))
    return rows
