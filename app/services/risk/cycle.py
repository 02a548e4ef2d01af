"""The yearly corruption-risk process (workflows/risk_cycle.bpmn), started per year like
the performance cycle: the RPCT updates the register and the measures, the Board adopts
the section (deliberation number and date, as for the plan); then the mid-year and
year-end monitoring, each with one report per manager (risk_manager_report.bpmn) that
the RPCT reviews when all are in; the RPCT's periodic checks run beside it, one
risk_check.bpmn per row of the checks table; at the end the RPCT's yearly report, a PDF
produced from the year's data, approved and published."""
from __future__ import annotations

import hashlib
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit, engine
from app.extensions import db
from app.models.cycle import DeliberationSubject
from app.models.engine import ProcessInstance
from app.models.org import User
from app.models.plan import Cycle
from app.models.risk_register import (
    MeasureKind,
    RiskYear,
    RiskYearStatus,
    RpctReport,
    RpctReportStatus,
)
from app.models.types import utcnow
from app.services.cycle import deliberations
from app.services.cycle import operations as cycle_service
from app.services.jobs import queue
from app.services.risk import checks, monitoring
from app.services.risk.access import ensure_editor
from app.services.risk.errors import RiskError
from app.services.risk.years import open_year

PROCESS_ID = "risk_cycle"
REPORT_PROCESS, CHECK_PROCESS = "risk_manager_report", "risk_check"
REPORTS_DONE = "risk_reports_done"
REPORTS_JOB, CHECKS_JOB = "risk.start_reports", "risk.start_checks"


def business_key(year: RiskYear) -> str:
    return f"risk:{year.id}"


def instance_of(year: RiskYear) -> ProcessInstance | None:
    return db.session.execute(
        select(ProcessInstance).where(ProcessInstance.process_id == PROCESS_ID,
                                      ProcessInstance.business_key == business_key(year))
        .order_by(ProcessInstance.id.desc()).limit(1)).scalar_one_or_none()


def year_from_key(key: str) -> RiskYear:
    """The risk year of a business key of this section (risk:<id>, risk_report:<id>:...)."""
    return db.session.get(RiskYear, int(key.split(":")[1]))


def start(actor: User, cycle: Cycle) -> tuple[RiskYear, ProcessInstance]:
    """Open the cycle's risk section (if needed) and start its yearly process."""
    year = open_year(actor, cycle)
    running = instance_of(year)
    if running is not None and running.running:
        raise RiskError(_l("The corruption-risk process of %(year)d is already running.",
                           year=cycle.year))
    instance = engine.start(PROCESS_ID, business_key=business_key(year), actor=actor, data={
        "cycle_id": cycle.id, "adoption_due": date(cycle.year, 1, 31).isoformat(),
        "mid_year_due": year.mid_year_due.isoformat(),
        "year_end_due": year.year_end_due.isoformat(),
        "report_due": date(cycle.year, 12, 15).isoformat()})
    audit.record("risk.cycle.start", actor=actor, obj=year, instance_id=instance.id,
                 after={"year": cycle.year})
    return year, instance


def register_problems(year: RiskYear) -> list[str]:
    """What stops the register from going to the Board."""
    problems = []
    if not year.items:
        problems.append(str(_l("The register has no risks.")))
    if not year.measures:
        problems.append(str(_l("The register has no measures.")))
    untreated = [i.code for i in year.items if not i.measures]
    if untreated:
        problems.append(str(_l("Risks without a measure: %(codes)s.", codes=", ".join(untreated))))
    for measure in year.measures:
        if measure.kind == MeasureKind.SPECIFIC.value and not measure.items:
            problems.append(str(_l("The specific measure %(code)s treats no risk.",
                                   code=measure.code)))
    return problems


def submit_register(actor: User, year: RiskYear) -> None:
    """The RPCT hands the register and the measures to the Board."""
    ensure_editor(actor)
    problems = register_problems(year)
    if problems:
        raise RiskError(problems)
    audit.record("risk.register.submit", actor=actor, obj=year,
                 after={"items": len(year.items), "measures": len(year.measures)})


def adopt(actor: User, year: RiskYear, data: deliberations.DeliberationInput,
          parent: ProcessInstance) -> None:
    """The Board adopts the section (the register is frozen and the periodic checks
    start) or sends it back with the reason."""
    if data.approved and register_problems(year):
        raise RiskError(register_problems(year))
    try:
        row = deliberations.record_deliberation(actor, year.cycle, DeliberationSubject.RISK_SECTION,
                                                data, concerns="risk_section")
    except cycle_service.CycleError as exc:
        raise RiskError(exc.messages) from exc
    if not data.approved:
        return
    year.status = RiskYearStatus.ADOPTED.value
    year.deliberation_number, year.deliberation_date = row.number, row.date
    year.adopted_at = utcnow()
    queue.enqueue(CHECKS_JOB, [(c.id, f"{c.process_name} {c.measure_code}") for c in year.checks],
                  actor=actor, parameters={"year_id": year.id}, cycle_id=year.cycle_id,
                  parent=parent)
    audit.record("risk.section.adopt", actor=actor, obj=year,
                 after={"deliberation": [row.number, row.date]})


def launch_round(actor: User, year: RiskYear, round_: str, parent: ProcessInstance) -> int:
    """One report per area head for the round; returns how many will start."""
    ensure_editor(actor)
    areas = monitoring.reporting_areas(year)
    audit.record("risk.round.launch", actor=actor, obj=year,
                 after={"round": round_, "areas": len(areas)})
    if not areas:
        engine.send_message(REPORTS_DONE, instance_id=parent.id,
                            key=engine.batch_key(parent.id, REPORTS_DONE), payload=[],
                            actor=actor, sender_id=parent.id)
        return 0
    queue.enqueue(REPORTS_JOB, [(a.id, a.name) for a in areas], actor=actor,
                  parameters={"year_id": year.id, "round": round_}, cycle_id=year.cycle_id,
                  parent=parent, notify_message=REPORTS_DONE)
    return len(areas)


def start_report(actor, year: RiskYear, round_: str, area_id: int,
                 parent: ProcessInstance) -> ProcessInstance:
    due = year.mid_year_due if round_ == "mid_year" else year.year_end_due
    return engine.start(
        REPORT_PROCESS, business_key=f"risk_report:{year.id}:{round_}:{area_id}",
        data={"cycle_id": year.cycle_id, "unit_id": area_id, "round": round_,
              "report_due": due.isoformat()},
        actor=actor, parent=parent, end_message=REPORTS_DONE)


def start_check(actor, year: RiskYear, check_id: int, parent: ProcessInstance) -> ProcessInstance:
    check = next(c for c in year.checks if c.id == check_id)
    first = checks.due_dates(year.cycle.year, check.periodicity)[0]
    return engine.start(CHECK_PROCESS, business_key=f"risk_check:{year.id}:{check.id}",
                        data={"cycle_id": year.cycle_id, "check_due": first.isoformat()},
                        actor=actor, parent=parent)


def review_round(actor: User, year: RiskYear, round_: str, note: str | None) -> None:
    """The RPCT has read the managers' reports of the round."""
    ensure_editor(actor)
    audit.record("risk.round.review", actor=actor, obj=year,
                 after={"round": round_, "reports": len(monitoring.reports_of(year, round_)),
                        "note": (note or "").strip() or None})


def report_of(year: RiskYear) -> RpctReport | None:
    return db.session.execute(
        select(RpctReport).where(RpctReport.year_id == year.id)).scalar_one_or_none()


def draft_report(actor: User, year: RiskYear, summary: str) -> RpctReport:
    """The RPCT's yearly report: the summary and the PDF produced from the year's data."""
    from app.services.risk import report_pdf

    ensure_editor(actor)
    if not (summary or "").strip():
        raise RiskError(_l("Write the summary of the yearly report."))
    report = report_of(year) or RpctReport(year_id=year.id)
    report.summary, report.status = summary.strip(), RpctReportStatus.DRAFT.value
    db.session.add(report)
    db.session.flush()
    report.pdf = report_pdf.render(year, report)
    report.pdf_sha256 = hashlib.sha256(report.pdf).hexdigest()
    audit.record("risk.report.draft", actor=actor, obj=report,
                 after={"pdf_sha256": report.pdf_sha256})
    return report


def publish_report(actor: User, year: RiskYear, approved: bool, reason: str | None) -> None:
    """The RPCT approves the report, which goes on the public pages, or takes it back."""
    ensure_editor(actor)
    report = report_of(year)
    if report is None:
        raise RiskError(_l("Draft the yearly report first."))
    if not approved:
        if not (reason or "").strip():
            raise RiskError(_l("Give the reason."))
        audit.record("risk.report.reopen", actor=actor, obj=report, after={"reason": reason})
        return
    report.status, report.published_at = RpctReportStatus.PUBLISHED.value, utcnow()
    audit.record("risk.report.publish", actor=actor, obj=report,
                 after={"pdf_sha256": report.pdf_sha256})
