"""Step handler of the monitoring diagram: the area head's July values, forecasts and
risk flags, recorded indicator by indicator through the plan service. The context loader
gives the form the area and its indicators."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.formats.values import parse_actual
from app.models.org import OrgUnit
from app.models.plan import Cycle, Indicator, Objective
from app.services.cycle.children import area_unit_ids
from app.services.plan.operations import record_monitoring
from app.services.tasks.step_errors import refused
from app.services.tasks.steps import context, step


def area_indicators(task) -> list[Indicator]:
    """The indicators of the plan owned by the task's area or a unit below it, except
    those the roll-up computes."""
    cycle = db.session.get(Cycle, task.instance.cycle_id)
    area = db.session.get(OrgUnit, task.instance.org_unit_id)
    if cycle.plan is None or area is None:
        return []
    return list(db.session.execute(
        select(Indicator).join(Objective, Indicator.objective_id == Objective.id)
        .where(Objective.plan_id == cycle.plan.id,
               Objective.owner_unit_id.in_(area_unit_ids(area)), Indicator.source.is_(None))
        .order_by(Indicator.code)).scalars())


@context("monitoring")
def monitoring_context(task) -> dict:
    return {"area": db.session.get(OrgUnit, task.instance.org_unit_id),
            "indicators": area_indicators(task)}


@step("monitoring")
def report_monitoring(actor, task, form_data: dict) -> dict:
    allowed = {i.id for i in area_indicators(task)}
    at_risk = 0
    with refused():
        for row in form_data["rows"]:
            indicator = db.session.get(Indicator, row["indicator_id"])
            if indicator is None or indicator.id not in allowed:
                raise ValueError(f"indicator {row['indicator_id']} is not of this area")
            record_monitoring(actor, indicator, parse_actual(row["value"] or "", indicator.unit),
                              forecast=parse_actual(row["forecast"] or "", indicator.unit),
                              at_risk=bool(row["at_risk"]), note=row["note"])
            at_risk += bool(row["at_risk"])
    return {"indicators": len(form_data["rows"]), "at_risk": at_risk}
