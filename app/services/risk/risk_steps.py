"""Step handlers and context loaders of the risk section's task forms (forms/risk.py):
adapters from the validated forms to app.services.risk. The risk year comes from the
instance's business key (risk:<year>, risk_report:<year>:<round>:<area>,
risk_check:<year>:<check>); the handlers return only the decisions the gateways read."""
from __future__ import annotations

from app.extensions import db
from app.models.org import OrgUnit
from app.models.risk_register import PeriodicCheck, RiskYear
from app.services.cycle import operations as cycle_service
from app.services.cycle.master_steps import _deliberation
from app.services.risk import checks, cycle, labels, monitoring
from app.services.risk.errors import RiskError
from app.services.tasks.step_errors import refused
from app.services.tasks.steps import context, step

_SENT_BACK = {"risk_register_submit": "risk_section", "risk_report_draft": "risk_report"}


def _year(task) -> RiskYear:
    return cycle.year_from_key(task.instance.business_key)


@context("risk_register_submit", "risk_adoption", "risk_launch_mid_year",
         "risk_launch_year_end", "risk_review_mid_year", "risk_review_year_end",
         "risk_report_draft", "risk_report_publish")
def year_context(task) -> dict:
    year = _year(task)
    concerns = _SENT_BACK.get(task.form_key)
    return {"year": year, "cycle": year.cycle, "register_problems":
            lambda: cycle.register_problems(year),
            "remark": cycle_service.last_remark(year.cycle, concerns) if concerns else None}


@step("risk_register_submit")
def submit_register(actor, task, data):
    with refused():
        cycle.submit_register(actor, _year(task))
    return {}


@step("risk_adoption")
def adopt(actor, task, data):
    with refused():
        cycle.adopt(actor, _year(task), _deliberation(data), task.instance)
    return {"risk_adopted": bool(data["approved"])}


def _launch(actor, task, round_: str) -> dict:
    with refused():
        return {"areas": cycle.launch_round(actor, _year(task), round_, task.instance)}


@step("risk_launch_mid_year")
def launch_mid_year(actor, task, data):
    return _launch(actor, task, "mid_year")


@step("risk_launch_year_end")
def launch_year_end(actor, task, data):
    return _launch(actor, task, "year_end")


@step("risk_review_mid_year")
def review_mid_year(actor, task, data):
    with refused():
        cycle.review_round(actor, _year(task), "mid_year", data.get("note"))
    return {}


@step("risk_review_year_end")
def review_year_end(actor, task, data):
    with refused():
        cycle.review_round(actor, _year(task), "year_end", data.get("note"))
    return {}


def _report_parts(task) -> tuple[RiskYear, str, OrgUnit]:
    _kind, year_id, round_, area_id = task.instance.business_key.split(":")
    return db.session.get(RiskYear, int(year_id)), round_, db.session.get(OrgUnit, int(area_id))


@context("risk_manager_report")
def manager_report_context(task) -> dict:
    year, round_, area = _report_parts(task)
    previous = {r.measure_id: r for r in monitoring.reports_of(year, round_, area)}
    if not previous and round_ == "year_end":
        previous = {r.measure_id: r for r in monitoring.reports_of(year, "mid_year", area)}
    return {"year": year, "cycle": year.cycle, "remark": None, "round": round_, "area": area,
            "measures": monitoring.measures_of_area(year, area), "previous": previous}


@step("risk_manager_report")
def report_on_measures(actor, task, data):
    year, round_, area = _report_parts(task)
    rows = [monitoring.ReportRow(int(r["measure_id"]), r["application"], r["evidence"],
                                 r["proposal"]) for r in data["rows"]]
    with refused():
        lacking = monitoring.record_report(actor, year, round_, area, rows)
    return {"not_fully_applied": lacking}


def _check(task) -> tuple[RiskYear, PeriodicCheck]:
    _kind, year_id, check_id = task.instance.business_key.split(":")
    return db.session.get(RiskYear, int(year_id)), db.session.get(PeriodicCheck, int(check_id))


@context("risk_periodic_check")
def periodic_check_context(task) -> dict:
    year, check = _check(task)
    return {"year": year, "cycle": year.cycle, "remark": None, "check": check,
            "due": task.due_at.date() if task.due_at else None,
            "method": labels.label(labels.CHECK_METHOD_LABELS, check.method)}


@step("risk_periodic_check")
def record_check(actor, task, data):
    """Records the period ending on the task's due date; the next period's end becomes
    the next task's due date, none after the year's last."""
    year, check = _check(task)
    if task.due_at is None:
        raise RiskError("a periodic check's task has a due date")
    due = task.due_at.date()
    with refused():
        checks.record_outcome(actor, check, due, data["cases_checked"], data["irregular_cases"],
                              data.get("note"))
    following = checks.next_due(year.cycle.year, check.periodicity, due)
    return {"more_periods": following is not None,
            "check_due": (following or due).isoformat()}


@step("risk_report_draft")
def draft_report(actor, task, data):
    with refused():
        cycle.draft_report(actor, _year(task), data["summary"])
    return {}


@step("risk_report_publish")
def publish_report(actor, task, data):
    approved = bool(data["approved"])
    with refused():
        year = _year(task)
        cycle.publish_report(actor, year, approved, data.get("reason"))
        if not approved:
            cycle_service.remark(actor, year.cycle, "risk_report_publish", "risk_report",
                                 data.get("reason"))
    return {"report_published": approved}
