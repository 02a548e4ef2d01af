"""The cycle itself: starting it (its calendar, its plan copied from an earlier cycle,
its master instance of workflows/performance_cycle.bpmn), the remarks that send a step
back, and CycleError, the refusal every operation of the package raises.

The operations of the steps are grouped by what people do: app.services.cycle.plan_adoption
(the plan's review, adoption and revision), .deliberations (the Board's acts),
.measurement (monitoring, year-end measurement, the OIV's evaluation of the organisation)
and .report (the fund, the Report with its approval and validation, the rewards and the
publication). The step handlers of app.services.cycle.master_steps adapt form data to them.

Each operation checks who acts, refuses bad input with CycleError (or the plan's and
rewards' own errors; nothing written), and writes its audit events in the caller's
transaction."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit, engine
from app.extensions import db
from app.models.cycle import CycleRemark
from app.models.engine import InstanceStatus, ProcessInstance
from app.models.org import User
from app.models.plan import Cycle, CycleStatus, Plan, PlanStatus
from app.services.plan import operations as plan_service
from app.services.plan import targets as yearly
from app.services.plan.access import ensure_plan_editor
from app.services.plan.cycles import create_cycle, cycle_by_year, ensure_plan
from app.services.plan.fields import AreaData, IndicatorData, ObjectiveData
from app.services.plan.operations import INDICATOR_FIELDS

PROCESS_ID = "performance_cycle"


class CycleError(ValueError):
    """A refused step; the messages are meant for the user interface."""

    def __init__(self, messages):
        self.messages = [str(m) for m in (messages if isinstance(messages, list) else [messages])]
        super().__init__("; ".join(self.messages))


def business_key(cycle: Cycle) -> str:
    return f"cycle:{cycle.id}"


def instance_of(cycle: Cycle) -> ProcessInstance | None:
    """The cycle's master instance, the running one first."""
    return db.session.execute(
        select(ProcessInstance).where(ProcessInstance.process_id == PROCESS_ID,
                                      ProcessInstance.business_key == business_key(cycle))
        .order_by((ProcessInstance.status == InstanceStatus.RUNNING.value).desc(),
                  ProcessInstance.id.desc()).limit(1)
    ).scalar_one_or_none()


# --- starting a cycle --------------------------------------------------------------------

DUE_KEYS = {  # task data key -> Cycle calendar column
    "strategic_due": "strategic_objectives_due", "plan_due": "plan_due",
    "assignment_due": "assignment_due", "monitoring_start": "monitoring_start",
    "monitoring_due": "monitoring_due", "revision_due": "revision_due",
    "measurement_due": "measurement_due", "evaluation_due": "evaluation_due",
    "oiv_evaluation_due": "oiv_evaluation_due", "report_due": "report_due",
}


def calendar_data(cycle: Cycle) -> dict[str, str]:
    """The cycle's calendar as ISO dates for the task data: the dueDate expressions of
    the workflow's tasks name these keys."""
    data = {key: getattr(cycle, column).isoformat() for key, column in DUE_KEYS.items()}
    # Rewards follow the Report's validation by a month (the documents give no date).
    last = cycle.report_due
    data["rewards_due"] = date(last.year, min(last.month + 1, 12), 28).isoformat()
    return data


def latest_plan_cycle(administration_id: int, before_year: int) -> Cycle | None:
    return db.session.execute(
        select(Cycle).join(Plan).where(Cycle.administration_id == administration_id,
                                       Cycle.year < before_year,
                                       Plan.status != PlanStatus.DRAFT.value)
        .order_by(Cycle.year.desc()).limit(1)
    ).scalar_one_or_none()


def copy_plan(actor: User, source: Cycle, target: Cycle) -> int:
    """Copy the structure and targets of `source`'s plan into `target`'s empty draft plan:
    areas, objectives and indicators without any recorded value, each indicator with
    last year's actual as its baseline and its target for the new year from its yearly
    targets (app.services.plan.targets.carried_over). Returns the number of indicators
    copied."""
    ensure_plan_editor(actor)
    plan = ensure_plan(target)
    if plan.objectives or plan.areas:
        raise CycleError(_l("The plan of %(year)d is not empty.", year=target.year))
    areas, objectives, count = {}, {}, 0
    for area in source.plan.areas:
        areas[area.id] = plan_service.save_area(actor, target, AreaData(
            code=area.code, title=area.title, description=area.description, weight=area.weight))
    ordered = sorted(source.plan.objectives, key=lambda o: (o.parent_id is not None, o.code))
    for objective in ordered:
        data = ObjectiveData(
            level=objective.level, code=objective.code, title=objective.title,
            description=objective.description,
            area_id=areas[objective.area_id].id if objective.area_id else None,
            parent_id=objectives[objective.parent_id].id if objective.parent_id else None,
            owner_unit_id=objective.owner_unit_id, weight=objective.weight,
            mission_code=objective.mission_code, programme_code=objective.programme_code,
            budget=objective.budget)
        objectives[objective.id] = plan_service.save_objective(actor, target, data)
    for objective in ordered:
        for indicator in objective.indicators:
            data = IndicatorData(**{
                name: getattr(indicator, name) for name in INDICATOR_FIELDS})
            carried = yearly.carried_over(indicator, source.year, target.year)
            data.baseline, data.baseline_year = carried.baseline, carried.baseline_year
            data.target, data.target_rule = carried.target, carried.target_rule
            data.later_targets = carried.later_targets
            plan_service.save_indicator(actor, objectives[objective.id], data)
            count += 1
    audit.record("cycle.plan.copy", actor=actor, obj=target,
                 after={"from_year": source.year, "indicators": count})
    return count


def start(actor: User, administration_id: int, year: int, *,
          copy_from: Cycle | None = None) -> tuple[Cycle, ProcessInstance]:
    """Create the cycle of `year` (default calendar) if needed, optionally with the plan
    copied from another cycle, and start its performance_cycle instance."""
    ensure_plan_editor(actor)
    cycle = cycle_by_year(administration_id, year)
    if cycle is None:
        cycle = create_cycle(actor, administration_id, year)
    if cycle.status == CycleStatus.CLOSED.value:
        raise CycleError(_l("The cycle of %(year)d is closed.", year=year))
    running = instance_of(cycle)
    if running is not None and running.running:
        raise CycleError(_l("The cycle of %(year)d is already running.", year=year))
    if copy_from is not None:
        copy_plan(actor, copy_from, cycle)
    unresolved = yearly.resolve_plan(cycle)
    if unresolved:
        raise CycleError([_l("The cycle of %(year)d cannot start: some relative targets "
                             "cannot be computed from the values recorded so far.", year=year),
                          *unresolved])
    before = cycle.status
    cycle.status = CycleStatus.RUNNING.value
    from app.services.cycle import rounds

    rounds.ensure_calendar(cycle)
    instance = engine.start(PROCESS_ID, business_key=business_key(cycle), actor=actor,
                            data={"cycle_id": cycle.id, **calendar_data(cycle)})
    audit.record("cycle.start", actor=actor, obj=cycle, instance_id=instance.id,
                 before={"status": before}, after={"status": cycle.status, "year": year})
    return cycle, instance


# --- remarks -----------------------------------------------------------------------------

def remark(actor: User, cycle: Cycle, step: str, concerns: str, text: str) -> CycleRemark:
    text = (text or "").strip()
    if not text:
        raise CycleError(_l("Give the reason."))
    row = CycleRemark(cycle_id=cycle.id, step=step, concerns=concerns, text=text,
                      author_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("cycle.remark", actor=actor, obj=row,
                 after={"step": step, "concerns": concerns, "text": text})
    return row


def last_remark(cycle: Cycle, concerns: str) -> CycleRemark | None:
    return db.session.execute(
        select(CycleRemark).where(CycleRemark.cycle_id == cycle.id,
                                  CycleRemark.concerns == concerns)
        .order_by(CycleRemark.id.desc()).limit(1)
    ).scalar_one_or_none()
