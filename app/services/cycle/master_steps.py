"""Step handlers of the master process of a cycle (workflows/performance_cycle.bpmn):
adapters from the validated forms of forms/cycle.py to the operations of
app.services.cycle (operations, plan_adoption, deliberations, measurement, report,
closing). They return the decisions the gateways read; free text stays in the domain
tables.

The context loaders give those forms the cycle, the last remark that sent the step back,
the rows and figures they show, and callables for the checks that need the database. The
forms check what can be checked before acting; a refusal that still comes from a
service (a ValueError such as CycleError or PlanError) becomes the task service's
TaskError, which the task page shows with nothing saved."""
from __future__ import annotations

from app.extensions import db
from app.formats.values import parse_actual, parse_value
from app.models.monitoring import RoundStatus
from app.models.org import OrgUnit
from app.models.plan import Cycle
from app.services.cycle import closing, deliberations, measurement, plan_adoption, rounds
from app.services.cycle import operations as cycle_service
from app.services.cycle import report as cycle_report
from app.services.plan.access import ensure_plan_editor
from app.services.plan.adoption import pending_changes, plan_problems
from app.services.plan.cycles import ensure_plan
from app.services.plan.scores import achievements
from app.services.reports import figures as reports
from app.services.tasks.step_errors import refused
from app.services.tasks.steps import context, step

# The steps a remark can send back, with the subject (CycleRemark.concerns) of its remarks.
_REMARKS = {"cycle_plan_submit": "plan", "cycle_revision_proposal": "revision",
            "cycle_oiv_evaluation": "oiv_evaluation", "cycle_fund_entry": "report",
            "cycle_report_draft": "report",
            "cycle_rewards_compute": "rewards"}


def _cycle(task) -> Cycle:
    return db.session.get(Cycle, task.instance.cycle_id)


@context("cycle_sg_review", "cycle_plan_deliberation", "cycle_launch_assignments",
         "cycle_launch_monitoring", "cycle_oiv_monitoring_report", "cycle_revision_deliberation",
         "cycle_launch_measurement", "cycle_launch_evaluations", "cycle_report_draft",
         "cycle_report_approval", "cycle_report_validation", "cycle_rewards_compute",
         "cycle_fund_confirmation", "cycle_publish")
def cycle_context(task) -> dict:
    """The cycle, and the last remark of whoever sent the step back (None if nobody did)."""
    cycle = _cycle(task)
    concerns = _REMARKS.get(task.form_key)
    return {"cycle": cycle,
            "remark": cycle_service.last_remark(cycle, concerns) if concerns else None}


def _deliberation(data: dict) -> deliberations.DeliberationInput:
    upload = data.get("attachment")
    content = upload.read() if upload else None
    return deliberations.DeliberationInput(
        number=data.get("number") or "", date=data.get("date"), approved=bool(data.get("approved")),
        reason=data.get("reason"), attachment=content or None,
        attachment_name=getattr(upload, "filename", None) if content else None)


# --- the plan ----------------------------------------------------------------------------

@context("cycle_plan_submit")
def plan_submit_context(task) -> dict:
    """Also `plan_problems()`: what stops the plan from going to review."""
    result = cycle_context(task)
    cycle = result["cycle"]
    result["plan_problems"] = lambda: plan_problems(ensure_plan(cycle))
    return result


@step("cycle_plan_submit")
def submit_plan(actor, task, data):
    with refused():
        plan_adoption.submit_plan(actor, _cycle(task))
    return {}


@step("cycle_sg_review")
def review_plan(actor, task, data):
    with refused():
        plan_adoption.review_plan(actor, _cycle(task), bool(data["approved"]), data.get("reason"))
    return {"plan_reviewed": bool(data["approved"])}


@step("cycle_plan_deliberation")
def adopt_plan(actor, task, data):
    with refused():
        plan_adoption.adopt_plan(actor, _cycle(task), _deliberation(data))
    return {"plan_adopted": bool(data["approved"])}


def _launch(actor, task, what: str) -> int:
    from app.services.cycle import children as cycle_children

    ensure_plan_editor(actor)
    with refused():
        return getattr(cycle_children, f"start_{what}")(actor, _cycle(task), task.instance)


@step("cycle_launch_assignments")
def launch_assignments(actor, task, data):
    return {"assignments": _launch(actor, task, "assignments")}


# --- monitoring and revision -------------------------------------------------------------

@step("cycle_launch_monitoring")
def launch_monitoring(actor, task, data):
    """Opens the calendar's next round; its due date is the due date of the steps
    that follow it in the master."""
    with refused():
        round_ = rounds.open_calendar_round(actor, _cycle(task), task.instance)
    return {"round_number": round_.number, "monitoring_due": round_.due.isoformat()}


@context("cycle_monitoring_consolidation")
def consolidation_context(task) -> dict:
    result = cycle_context(task)
    result["at_risk"] = measurement.at_risk(result["cycle"])
    return result


@step("cycle_monitoring_consolidation")
def consolidate_monitoring(actor, task, data):
    needed = bool(data["revision_needed"])
    cycle = _cycle(task)
    with refused():
        measurement.consolidate_monitoring(actor, cycle, needed, data.get("reason"))
        current = rounds.current_round(cycle)
        if current is not None and current.status == RoundStatus.OPEN.value:
            rounds.close_round(actor, current, data.get("reason"))
    return {"revision_needed": needed}


@step("cycle_oiv_monitoring_report")
def monitoring_report(actor, task, data):
    with refused():
        current = rounds.current_round(_cycle(task))
        measurement.write_monitoring_report(actor, _cycle(task), data["text"],
                                              current.number if current else None)
    return rounds.next_round_data(_cycle(task))


@context("cycle_revision_opinion")
def revision_context(task) -> dict:
    """Also `pending_changes()`: what the open revision changes so far."""
    result = cycle_context(task)
    cycle = result["cycle"]
    result["pending_changes"] = lambda: pending_changes(cycle.plan)
    return result


@context("cycle_revision_proposal")
def revision_proposal_context(task) -> dict:
    """Also the indicators at risk, whose targets the proposal revises."""
    result = revision_context(task)
    result["indicators"] = measurement.at_risk(result["cycle"])
    return result


@step("cycle_revision_proposal")
def propose_revision(actor, task, data):
    cycle = _cycle(task)
    by_id = {i.id: i for i in measurement.indicators_of(cycle)}
    with refused():
        changes = []
        for entry in data.get("entries") or []:
            indicator = by_id.get(int(entry["indicator_id"]))
            if indicator is None:
                raise cycle_service.CycleError("Unknown indicator.")
            changes.append(plan_adoption.TargetChange(
                indicator.id, parse_value(entry.get("target") or "", indicator.unit),
                parse_value(entry.get("threshold") or "", indicator.unit)))
        plan_adoption.propose_revision(actor, cycle, changes)
    return {}


@step("cycle_revision_opinion")
def revision_opinion(actor, task, data):
    positive = bool(data["positive"])
    with refused():
        plan_adoption.give_revision_opinion(actor, _cycle(task), data["reference"], data["date"],
                                            positive, data.get("reason"))
    return {"opinion_positive": positive}


@step("cycle_revision_deliberation")
def deliberate_revision(actor, task, data):
    with refused():
        plan_adoption.deliberate_revision(actor, _cycle(task), _deliberation(data))
    return {"revision_approved": bool(data["approved"]), **rounds.next_round_data(_cycle(task))}


# --- year-end measurement ----------------------------------------------------------------

@step("cycle_launch_measurement")
def launch_measurement(actor, task, data):
    ensure_plan_editor(actor)
    return {"area_ids": [a.id for a in measurement.measured_areas(_cycle(task))]}


@context("cycle_area_actuals")
def area_actuals_context(task) -> dict:
    result = cycle_context(task)
    area = db.session.get(OrgUnit, task.org_unit_id)
    result.update(area=area, indicators=measurement.area_indicators(result["cycle"], area))
    return result


@step("cycle_area_actuals")
def area_actuals(actor, task, data):
    cycle = _cycle(task)
    area = db.session.get(OrgUnit, task.org_unit_id)
    by_id = {i.id: i for i in measurement.area_indicators(cycle, area)}
    with refused():
        entries = []
        for entry in data.get("entries") or []:
            indicator = by_id.get(int(entry["indicator_id"]))
            if indicator is None:
                raise cycle_service.CycleError("Unknown indicator.")
            reason = (entry.get("neutralise_reason") or "").strip()
            value = None if reason else parse_actual(entry.get("value") or "", indicator.unit)
            entries.append(measurement.ActualInput(indicator.id, value, reason or None))
        measurement.record_area_actuals(actor, cycle, area, entries)
    return {}


@context("cycle_measurement_check")
def measurement_check_context(task) -> dict:
    """Also `unmeasured()`: the indicators neither measured nor neutralised."""
    result = cycle_context(task)
    cycle = result["cycle"]
    result["unmeasured"] = lambda: measurement.unmeasured(cycle)
    return result


@step("cycle_measurement_check")
def check_measurement(actor, task, data):
    with refused():
        measurement.close_measurement(actor, _cycle(task))
    return {}


# --- OIV and Board on the organisation and the Secretary General ---------------------------

@context("cycle_oiv_evaluation")
def oiv_evaluation_context(task) -> dict:
    result = cycle_context(task)
    result["achievements"] = achievements(result["cycle"])
    return result


@step("cycle_oiv_evaluation")
def oiv_evaluation(actor, task, data):
    with refused():
        measurement.evaluate_organisation(actor, _cycle(task), data["assessment"],
                                            data["sg_score"], data["sg_proposal"])
    return {}


@context("cycle_oiv_evaluation_note")
def evaluation_note_context(task) -> dict:
    result = cycle_context(task)
    result["oiv_evaluation"] = measurement.oiv_evaluation(result["cycle"])
    return result


@step("cycle_oiv_evaluation_note")
def take_note(actor, task, data):
    with refused():
        measurement.take_note(actor, _cycle(task), _deliberation(data))
    return {"evaluation_noted": bool(data["approved"])}


@step("cycle_launch_evaluations")
def launch_evaluations(actor, task, data):
    return {"evaluations": _launch(actor, task, "evaluations")}


# --- the fund and the Report ------------------------------------------------------------

@context("cycle_fund_entry")
def fund_entry_context(task) -> dict:
    """Also `funds`: the amounts entered so far per group (the form starts from them)."""
    result = cycle_context(task)
    result["funds"] = {p.group: p.amount for p in reports.fund(result["cycle"]).pools}
    return result


@step("cycle_fund_entry")
def enter_fund(actor, task, data):
    with refused():
        cycle_report.enter_fund(actor, _cycle(task), {
            "staff": data["staff_fund"], "managers": data["managers_fund"]})
    return {}


@step("cycle_report_draft")
def draft_report(actor, task, data):
    with refused():
        cycle_report.request_report_draft(actor, _cycle(task), data.get("note"), task.instance)
    return {}


@step("cycle_report_approval")
def approve_report(actor, task, data):
    with refused():
        cycle_report.approve_report(actor, _cycle(task), _deliberation(data))
    return {"report_approved": bool(data["approved"])}


@step("cycle_report_validation")
def validate_report(actor, task, data):
    validated = bool(data["validated"])
    with refused():
        cycle_report.validate_report(actor, _cycle(task), validated, data["statement"],
                                   task.instance)
    return {"report_validated": validated}


# --- rewards and publication -------------------------------------------------------------

@step("cycle_rewards_compute")
def compute_rewards(actor, task, data):
    with refused():
        closing.compute_rewards(actor, _cycle(task), task.instance)
    return {}


@context("cycle_rewards_approval")
def rewards_approval_context(task) -> dict:
    result = cycle_context(task)
    result["fund"] = reports.fund(result["cycle"])
    return result


@step("cycle_rewards_approval")
def approve_rewards(actor, task, data):
    approved = bool(data["approved"])
    with refused():
        closing.approve_rewards(actor, _cycle(task), approved, data.get("reason"))
    return {"rewards_approved": approved}


@step("cycle_fund_confirmation")
def confirm_fund(actor, task, data):
    with refused():
        closing.confirm_fund(actor, _cycle(task), _deliberation(data))
    return {"fund_confirmed": bool(data["approved"])}


@step("cycle_publish")
def publish(actor, task, data):
    with refused():
        closing.publish(actor, _cycle(task))
    return {}

