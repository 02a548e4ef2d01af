"""Step handlers of a monitoring round's children: the area head's values, forecasts and
risk flags, recorded indicator by indicator through the plan service and kept as the
round's entries; the evaluator's check of each person's individual objectives; and the
support unit's consolidation of an extra round. The context loaders give the forms the
area and its indicators, the people to check, the round's results."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.formats.values import parse_actual
from app.models.org import OrgUnit
from app.models.plan import Cycle, Indicator, Objective
from app.services.cycle import checks, rounds
from app.services.cycle.children import area_unit_ids
from app.services.plan.measurement import record_monitoring
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
            "indicators": area_indicators(task), "round": rounds.round_of(task.instance)}


@step("monitoring")
def report_monitoring(actor, task, form_data: dict) -> dict:
    allowed = {i.id for i in area_indicators(task)}
    at_risk = 0
    with refused():
        round_ = rounds.round_of(task.instance)
        for row in form_data["rows"]:
            indicator = db.session.get(Indicator, row["indicator_id"])
            if indicator is None or indicator.id not in allowed:
                raise ValueError(f"indicator {row['indicator_id']} is not of this area")
            record_monitoring(actor, indicator, parse_actual(row["value"] or "", indicator.unit),
                              forecast=parse_actual(row["forecast"] or "", indicator.unit),
                              at_risk=bool(row["at_risk"]), note=row["note"])
            rounds.record_entry(actor, round_, indicator)
            at_risk += bool(row["at_risk"])
    return {"indicators": len(form_data["rows"]), "at_risk": at_risk}


@context("monitoring_individual_check")
def individual_check_context(task) -> dict:
    round_ = rounds.round_of(task.instance)
    cycle = db.session.get(Cycle, task.instance.cycle_id)
    people = checks.people_checked_by(cycle, task.assignee_id)
    return {"round": round_, "people": people,
            "checks": checks.checks_of(round_, [p.id for p in people])}


@step("monitoring_individual_check")
def check_individual_objectives(actor, task, form_data: dict) -> dict:
    with refused():
        at_risk = checks.record_checks(actor, rounds.round_of(task.instance), [
            (int(row["user_id"]), row["outcome"], row["note"]) for row in form_data["rows"]])
    return {"people": len(form_data["rows"]), "at_risk": at_risk}


@context("monitoring_round_consolidation")
def round_consolidation_context(task) -> dict:
    return {"round": rounds.round_of(task.instance)}


@step("monitoring_round_consolidation")
def consolidate_round(actor, task, form_data: dict) -> dict:
    with refused():
        rounds.close_round(actor, rounds.round_of(task.instance), form_data.get("note"))
    return {}
