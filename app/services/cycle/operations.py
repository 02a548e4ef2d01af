"""Operations of the cycle workflow (workflows/performance_cycle.bpmn): starting a cycle,
the plan's review and adoption, the monitoring report, the revision, the year-end
measurement, the OIV's evaluation, the Report with its validation, the rewards and the
publication. The step handlers of app.services.cycle.master_steps adapt form data to these.

Each operation checks who acts, refuses bad input with CycleError (or the plan's and
rewards' own errors; nothing written), and writes its audit events in the caller's
transaction."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import audit, engine
from app.extensions import db
from app.models.cycle import (
    BoardDeliberation,
    CycleRemark,
    DeliberationOutcome,
    DeliberationSubject,
    OivEvaluation,
    OivMonitoringReport,
    ReportStatus,
    ReportVersion,
)
from app.models.engine import InstanceStatus, ProcessInstance
from app.models.org import OrgUnit, Role, UnitKind, User
from app.models.plan import Cycle, CycleStatus, Indicator, Plan, PlanStatus
from app.models.types import utcnow
from app.services.evaluation import rewards
from app.services.jobs import queue
from app.services.org.permissions import require_role
from app.services.plan import operations as plan_service
from app.services.plan import targets as yearly
from app.services.plan.scores import achievements

PROCESS_ID = "performance_cycle"
MAX_ATTACHMENT = 10 * 1024 * 1024


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
    plan_service.ensure_plan_editor(actor)
    plan = plan_service.ensure_plan(target)
    if plan.objectives or plan.areas:
        raise CycleError(_l("The plan of %(year)d is not empty.", year=target.year))
    areas, objectives, count = {}, {}, 0
    for area in source.plan.areas:
        areas[area.id] = plan_service.save_area(actor, target, plan_service.AreaData(
            code=area.code, title=area.title, description=area.description, weight=area.weight))
    ordered = sorted(source.plan.objectives, key=lambda o: (o.parent_id is not None, o.code))
    for objective in ordered:
        data = plan_service.ObjectiveData(
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
            data = plan_service.IndicatorData(**{
                name: getattr(indicator, name) for name in plan_service.INDICATOR_FIELDS})
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
    plan_service.ensure_plan_editor(actor)
    cycle = plan_service.cycle_by_year(administration_id, year)
    if cycle is None:
        cycle = plan_service.create_cycle(actor, administration_id, year)
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


# --- remarks and deliberations -----------------------------------------------------------

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


@dataclass(frozen=True)
class DeliberationInput:
    number: str
    date: date
    approved: bool
    reason: str | None = None
    attachment_name: str | None = None
    attachment: bytes | None = None


def _attachment_errors(data: DeliberationInput) -> list[str]:
    if data.attachment is None:
        return []
    if len(data.attachment) > MAX_ATTACHMENT:
        return [str(_l("The attached act is larger than 10 MB."))]
    if not data.attachment.startswith(b"%PDF"):
        return [str(_l("The attached act must be a PDF file."))]
    return []


def deliberation_errors(data: DeliberationInput, *, attachment_required: bool = True) -> list[str]:
    errors = []
    if not (data.number or "").strip() or not isinstance(data.date, date):
        errors.append(str(_l("The Board's deliberation needs a number and a date.")))
    if not data.approved and not (data.reason or "").strip():
        errors.append(str(_l("Give the reason for sending it back.")))
    if data.approved and attachment_required and data.attachment is None:
        errors.append(str(_l("Attach the deliberation (PDF).")))
    return errors + _attachment_errors(data)


def record_deliberation(actor: User, cycle: Cycle, subject: DeliberationSubject,
                        data: DeliberationInput, concerns: str | None = None) -> BoardDeliberation:
    """Record the Board's act; sending back also leaves a remark for the next step."""
    require_role(actor, Role.BOARD)
    errors = deliberation_errors(data)
    if errors:
        raise CycleError(errors)
    outcome = DeliberationOutcome.APPROVED if data.approved else DeliberationOutcome.SENT_BACK
    row = BoardDeliberation(
        cycle_id=cycle.id, subject=subject.value, number=data.number.strip(), date=data.date,
        outcome=outcome.value, reason=(data.reason or "").strip() or None,
        attachment_name=data.attachment_name, attachment=data.attachment,
        attachment_sha256=hashlib.sha256(data.attachment).hexdigest() if data.attachment else None,
        recorded_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("cycle.deliberation", actor=actor, obj=row,
                 after={"subject": subject.value, "number": row.number, "date": row.date,
                        "outcome": row.outcome, "attachment_sha256": row.attachment_sha256})
    if not data.approved:
        remark(actor, cycle, f"board_{subject.value}", concerns or subject.value, data.reason)
    return row


def _deliberation(data: DeliberationInput) -> plan_service.Deliberation:
    return plan_service.Deliberation(data.number.strip(), data.date)


# --- the plan ----------------------------------------------------------------------------

def submit_plan(actor: User, cycle: Cycle) -> None:
    """The support unit hands the draft plan to the Secretary General."""
    plan_service.ensure_plan_editor(actor)
    problems = plan_service.plan_problems(plan_service.ensure_plan(cycle))
    if problems:
        raise CycleError(problems)
    audit.record("cycle.plan.submit", actor=actor, obj=cycle.plan)


def review_plan(actor: User, cycle: Cycle, approved: bool, reason: str | None) -> None:
    """The Secretary General passes the plan to the Board or sends it back."""
    require_role(actor, Role.SECRETARY_GENERAL)
    if not approved:
        remark(actor, cycle, "cycle_sg_review", "plan", reason)
    audit.record("cycle.plan.review", actor=actor, obj=cycle.plan,
                 after={"approved": approved})


def adopt_plan(actor: User, cycle: Cycle, data: DeliberationInput) -> BoardDeliberation:
    """The Board adopts the plan (revision 0) or sends it back."""
    if data.approved:
        errors = deliberation_errors(data) + plan_service.plan_problems(plan_service.ensure_plan(cycle))
        if errors:
            raise CycleError(errors)
    row = record_deliberation(actor, cycle, DeliberationSubject.PLAN, data)
    if data.approved:
        plan_service.approve_plan(actor, cycle, _deliberation(data))
    return row


# --- monitoring and revision -------------------------------------------------------------

def indicators_of(cycle: Cycle) -> list[Indicator]:
    plan = cycle.plan
    return [i for o in plan.objectives for i in o.indicators] if plan else []


def entered_indicators(cycle: Cycle) -> list[Indicator]:
    """The indicators whose values people enter: not those the roll-up computes."""
    return [i for i in indicators_of(cycle) if not i.computed]


def at_risk(cycle: Cycle) -> list[Indicator]:
    return [i for i in indicators_of(cycle) if i.at_risk]


def consolidate_monitoring(actor: User, cycle: Cycle, revision_needed: bool,
                           reason: str | None) -> None:
    """The support unit closes the July monitoring; a revision opens Rev. N+1."""
    plan_service.ensure_plan_editor(actor)
    if revision_needed:
        plan_service.create_revision(actor, cycle, reason or "")
    audit.record("cycle.monitoring.consolidate", actor=actor, obj=cycle,
                 after={"revision_needed": revision_needed, "at_risk": len(at_risk(cycle))})


def write_monitoring_report(actor: User, cycle: Cycle, text: str,
                            number: int | None = None) -> OivMonitoringReport:
    """The OIV's report on round `number` (by default the next after its last report)."""
    require_role(actor, Role.OIV)
    if not (text or "").strip():
        raise CycleError(_l("Write the monitoring report."))
    number = number or db.session.scalar(select(func.count(OivMonitoringReport.id)).where(
        OivMonitoringReport.cycle_id == cycle.id)) + 1
    row = OivMonitoringReport(cycle_id=cycle.id, round=number, text=text.strip(),
                              indicators_at_risk=len(at_risk(cycle)), written_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("cycle.monitoring.oiv_report", actor=actor, obj=row,
                 after={"round": number, "at_risk": row.indicators_at_risk})
    return row


@dataclass(frozen=True)
class TargetChange:
    indicator_id: int
    target: object
    threshold: object


def propose_revision(actor: User, cycle: Cycle, changes: list[TargetChange]) -> int:
    """The support unit's changed targets (other changes may be made in the plan editor
    while the revision is open). Refused when the revision changes nothing."""
    plan_service.ensure_plan_editor(actor)
    plan = plan_service.ensure_plan(cycle)
    if plan_service.open_revision(plan) is None:
        raise CycleError(_l("No revision is open."))
    by_id = {i.id: i for i in indicators_of(cycle)}
    for change in changes:
        indicator = by_id.get(change.indicator_id)
        if indicator is None:
            raise CycleError(_l("Unknown indicator."))
        if (change.target, change.threshold) == (indicator.target, indicator.threshold):
            continue
        data = plan_service.IndicatorData(**{
            name: getattr(indicator, name) for name in plan_service.INDICATOR_FIELDS})
        data.target, data.threshold = change.target, change.threshold
        plan_service.save_indicator(actor, indicator.objective, data, indicator)
    pending = plan_service.pending_changes(plan)
    if not pending:
        raise CycleError(_l("The revision changes nothing: change a target or an indicator."))
    audit.record("cycle.revision.propose", actor=actor, obj=plan,
                 after={"changes": len(pending)})
    return len(pending)


def give_revision_opinion(actor: User, cycle: Cycle, reference: str, when: date,
                          positive: bool, reason: str | None) -> None:
    plan_service.record_oiv_opinion(actor, cycle, plan_service.OivOpinion(reference, when, positive))
    if not positive:
        remark(actor, cycle, "cycle_revision_opinion", "revision", reason)


def deliberate_revision(actor: User, cycle: Cycle, data: DeliberationInput) -> BoardDeliberation:
    row = record_deliberation(actor, cycle, DeliberationSubject.REVISION, data)
    if data.approved:
        plan_service.approve_revision(actor, cycle, _deliberation(data))
    return row


# --- year-end measurement ----------------------------------------------------------------

def measured_areas(cycle: Cycle) -> list[OrgUnit]:
    """The organisational areas owning (directly or through a sector) some indicator."""
    owners = {i.objective.owner_unit_id for i in entered_indicators(cycle)}
    areas = db.session.execute(
        select(OrgUnit).where(OrgUnit.administration_id == cycle.administration_id,
                              OrgUnit.kind == UnitKind.AREA.value).order_by(OrgUnit.code)
    ).scalars().all()
    return [a for a in areas if owners & {a.id, *(c.id for c in a.children)}]


def area_indicators(cycle: Cycle, area: OrgUnit) -> list[Indicator]:
    inside = {area.id, *(c.id for c in area.children)}
    return sorted((i for i in entered_indicators(cycle) if i.objective.owner_unit_id in inside),
                  key=lambda i: i.code)


@dataclass(frozen=True)
class ActualInput:
    indicator_id: int
    value: object  # a parsed IndicatorValue, or None with a reason
    neutralise_reason: str | None = None


def record_area_actuals(actor: User, cycle: Cycle, area: OrgUnit,
                        entries: list[ActualInput]) -> None:
    """The manager's year-end values for the indicators of the area: each one measured,
    or neutralised with a reason."""
    indicators = {i.id: i for i in area_indicators(cycle, area)}
    given = {e.indicator_id for e in entries}
    if given != set(indicators):
        raise CycleError(_l("Give a value, or a reason for neutralising, for every indicator of the area."))
    for entry in entries:
        indicator = indicators[entry.indicator_id]
        reason = (entry.neutralise_reason or "").strip()
        if reason:
            if not indicator.neutralised or indicator.neutralised_reason != reason:
                plan_service.neutralise(actor, indicator, reason)
        else:
            if entry.value is None:
                raise CycleError(_l("%(code)s: give the value or the reason for neutralising it.",
                                    code=indicator.code))
            if indicator.neutralised:
                plan_service.reinstate(actor, indicator)
            plan_service.record_actual(actor, indicator, entry.value)
    audit.record("cycle.measurement.area", actor=actor, obj=area,
                 after={"cycle_id": cycle.id, "indicators": len(entries)})


def unmeasured(cycle: Cycle) -> list[Indicator]:
    return [i for i in entered_indicators(cycle) if i.actual is None and not i.neutralised]


def close_measurement(actor: User, cycle: Cycle) -> None:
    """The support unit checks every indicator is measured or neutralised; the scores
    are computed and recorded in the audit trail."""
    plan_service.ensure_plan_editor(actor)
    missing = unmeasured(cycle)
    if missing:
        raise CycleError(_l("Indicators neither measured nor neutralised: %(codes)s.",
                            codes=", ".join(i.code for i in missing)))
    result = achievements(cycle)
    audit.record("cycle.scores", actor=actor, obj=cycle,
                 after={"organisation": result.organisation,
                        "areas": {u.code: v for u, v in result.unit_areas}})


# --- OIV and Board on the organisation and the Secretary General ---------------------------

def evaluate_organisation(actor: User, cycle: Cycle, assessment: str,
                          sg_score: Decimal, sg_proposal: str) -> OivEvaluation:
    require_role(actor, Role.OIV)
    errors = []
    if not (assessment or "").strip():
        errors.append(str(_l("Write the evaluation of the organisation.")))
    if sg_score is None or not Decimal(0) <= sg_score <= Decimal(6):
        errors.append(str(_l("The proposed score of the Secretary General goes from 0 to 6.")))
    if not (sg_proposal or "").strip():
        errors.append(str(_l("Explain the proposal for the Secretary General.")))
    if errors:
        raise CycleError(errors)
    row = db.session.execute(select(OivEvaluation).where(
        OivEvaluation.cycle_id == cycle.id)).scalar_one_or_none() or OivEvaluation(cycle_id=cycle.id)
    row.organisation_achievement = achievements(cycle).organisation
    row.assessment, row.sg_proposal = assessment.strip(), sg_proposal.strip()
    row.sg_proposed_score = sg_score.quantize(Decimal("0.01"))
    row.written_by_id, row.written_at = actor.id, utcnow()
    db.session.add(row)
    db.session.flush()
    audit.record("cycle.oiv_evaluation", actor=actor, obj=row,
                 after={"organisation": row.organisation_achievement,
                        "sg_proposed_score": row.sg_proposed_score})
    return row


def oiv_evaluation(cycle: Cycle) -> OivEvaluation | None:
    return db.session.execute(select(OivEvaluation).where(
        OivEvaluation.cycle_id == cycle.id)).scalar_one_or_none()


def take_note(actor: User, cycle: Cycle, data: DeliberationInput) -> BoardDeliberation:
    """The Board takes note of the OIV's evaluation (the Secretary General's own
    evaluation follows in the individual evaluations, on the OIV's proposal)."""
    evaluation = oiv_evaluation(cycle)
    if evaluation is None:
        raise CycleError(_l("The OIV has not evaluated the organisation yet."))
    row = record_deliberation(actor, cycle, DeliberationSubject.SG_EVALUATION, data, "oiv_evaluation")
    if data.approved:
        evaluation.noted_by_deliberation_id = row.id
    return row


# --- the Report --------------------------------------------------------------------------

def report_versions(cycle: Cycle) -> list[ReportVersion]:
    return list(db.session.execute(select(ReportVersion).where(
        ReportVersion.cycle_id == cycle.id).order_by(ReportVersion.number)).scalars())


def current_report(cycle: Cycle) -> ReportVersion | None:
    versions = report_versions(cycle)
    return versions[-1] if versions else None


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def enter_fund(actor: User, cycle: Cycle, funds: dict[str, Decimal]) -> None:
    """The fund of each pool, entered before the Report is drafted so that the Report
    the Board approves and the OIV validates states it; frozen once validated."""
    if report_validated(cycle):
        raise CycleError(_l("The Report stating the fund has been validated: the fund "
                            "can no longer change."))
    for group, amount in funds.items():
        rewards.set_pool(actor, cycle, group, amount)


REPORT_DRAFTED = "report_drafted"
DRAFT_REPORT_JOB = "cycle.draft_report"


def _check_draft(actor: User, cycle: Cycle) -> ReportVersion | None:
    plan_service.ensure_plan_editor(actor)
    previous = current_report(cycle)
    if previous is not None and previous.status == ReportStatus.VALIDATED.value:
        raise CycleError(_l("The Report has already been validated."))
    if not rewards.pools(cycle):
        raise CycleError(_l("Enter the fund first: the Report states it."))
    return previous


def request_report_draft(actor: User, cycle: Cycle, note: str | None, master: ProcessInstance):
    """Record the job drawing a new version of the Report (a minute of rendering at a
    thousand people: never inside the request); what can be refused at once is refused
    here. The master waits for the job's end message before the Board's approval."""
    _check_draft(actor, cycle)
    return queue.enqueue(DRAFT_REPORT_JOB, [(cycle.id, _l("Performance Report %(year)s",
                                                           year=cycle.year))],
                         actor=actor, parameters={"cycle_id": cycle.id, "note": note},
                         cycle_id=cycle.id, parent=master, notify_message=REPORT_DRAFTED)


@dataclass(frozen=True)
class ReportDraft:
    """What a new version of the Report is drawn from, read in one short transaction:
    both documents as HTML (app.services.reports.pdf.html) and the state of the cycle
    they were read in, which the writing checks again (the PDFs are rendered between,
    with no transaction open: app.services.cycle.report_jobs)."""
    html: str
    public_html: str
    state: dict


def _draft_state(cycle: Cycle) -> dict:
    """What a version drawn meanwhile or a fund entered meanwhile would change."""
    previous = current_report(cycle)
    return {"previous": [previous.number, previous.status] if previous else None,
            "fund": {pool.group: str(pool.amount) for pool in rewards.pools(cycle)}}


def gather_report(actor: User, cycle: Cycle) -> ReportDraft:
    from app.services.reports import pdf as report_pdf

    _check_draft(actor, cycle)
    return ReportDraft(report_pdf.html(cycle), report_pdf.html(cycle, public=True),
                       _draft_state(cycle))


def write_report(actor: User, cycle: Cycle, note: str | None, draft: ReportDraft,
                 pdf: bytes, public: bytes) -> ReportVersion:
    """The new version from the rendered PDFs, refused when the cycle is no longer in
    the state the draft was read in (the new version would state stale figures)."""
    previous = _check_draft(actor, cycle)
    if _draft_state(cycle) != draft.state:
        raise CycleError(_l("While this version of the Report was being drawn, another "
                            "version was drawn or the fund changed: draw it again."))
    row = ReportVersion(cycle_id=cycle.id, number=(previous.number + 1) if previous else 1,
                        note=(note or "").strip() or None, pdf=pdf, pdf_sha256=_sha256(pdf),
                        public_pdf=public, public_sha256=_sha256(public),
                        drafted_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("cycle.report.draft", actor=actor, obj=row,
                 after={"number": row.number, "sha256": row.pdf_sha256,
                        "public_sha256": row.public_sha256})
    return row


def draft_report(actor: User, cycle: Cycle, note: str | None) -> ReportVersion:
    """A new version of the Report and of its public version, rendered once from the
    live data, in one go: the approval, the validation and the transparency page use
    these bytes. The job does the same in three transactions' time (report_jobs)."""
    from app.services.reports import pdf as report_pdf

    draft = gather_report(actor, cycle)
    return write_report(actor, cycle, note, draft, report_pdf.write(draft.html),
                        report_pdf.write(draft.public_html))


def _open_report(cycle: Cycle, status: ReportStatus) -> ReportVersion:
    report = current_report(cycle)
    if report is None or report.status != status.value:
        raise CycleError(_l("There is no Report waiting for this step."))
    return report


def approve_report(actor: User, cycle: Cycle, data: DeliberationInput) -> BoardDeliberation:
    report = _open_report(cycle, ReportStatus.DRAFT)
    row = record_deliberation(actor, cycle, DeliberationSubject.REPORT, data)
    report.status = (ReportStatus.APPROVED if data.approved else ReportStatus.SENT_BACK).value
    report.approval_id = row.id
    audit.record("cycle.report.board", actor=actor, obj=report, after={"status": report.status})
    return row


def validate_report(actor: User, cycle: Cycle, validated: bool, statement: str) -> ReportVersion:
    """The OIV validates the approved Report with a signed statement, or refuses it with
    reasons. Validating attaches the statement to the approved PDF and to its public
    version, leaving their bytes as the Board approved them (app.services.reports.validation)."""
    from app.services.reports import validation

    require_role(actor, Role.OIV)
    report = _open_report(cycle, ReportStatus.APPROVED)
    statement = (statement or "").strip()
    if not statement:
        raise CycleError(_l("Write the statement (or the reasons for refusing)."))
    report.decided_by_id, report.decided_at = actor.id, utcnow()
    after = {"statement": statement}
    if validated:
        report.status, report.statement = ReportStatus.VALIDATED.value, statement
        for prefix in ("", "public_"):
            approved = getattr(report, f"{prefix}pdf")
            text = validation.statement_text(year=cycle.year, number=report.number,
                                             approved=approved, statement=statement,
                                             validated_at=report.decided_at)
            signed = validation.attach(approved, text)
            setattr(report, f"validated_{prefix}pdf", signed)
            setattr(report, f"validated_{prefix}sha256", _sha256(signed))
            after.update({f"approved_{prefix}sha256": _sha256(approved),
                          f"approved_{prefix}length": len(approved),
                          f"validated_{prefix}sha256": _sha256(signed)})
    else:
        report.status, report.refusal_reasons = ReportStatus.REFUSED.value, statement
        remark(actor, cycle, "cycle_report_validation", "report", statement)
    db.session.flush()
    audit.record("cycle.report.validation", actor=actor, obj=report,
                 after={"status": report.status, **after})
    return report


def report_validated(cycle: Cycle) -> bool:
    report = current_report(cycle)
    return report is not None and report.status == ReportStatus.VALIDATED.value


# --- rewards and publication -------------------------------------------------------------

# The message the master waits for once the rewards' job has distributed every pool.
REWARDS_COMPUTED = "rewards_computed"


def compute_rewards(actor: User, cycle: Cycle, master: ProcessInstance):
    """Record the job distributing the fund the validated Report states (only after the
    OIV's validation); the master waits for its end message."""
    if not report_validated(cycle):
        raise CycleError(_l("Bonuses need the OIV's validation of the Report."))
    return rewards.compute(actor, cycle, parent=master, message=REWARDS_COMPUTED)


def approve_rewards(actor: User, cycle: Cycle, approved: bool, reason: str | None) -> None:
    if approved:
        rewards.approve(actor, cycle)
    else:
        require_role(actor, Role.SECRETARY_GENERAL)
        remark(actor, cycle, "cycle_rewards_approval", "rewards", reason)


def confirm_fund(actor: User, cycle: Cycle, data: DeliberationInput) -> BoardDeliberation:
    row = record_deliberation(actor, cycle, DeliberationSubject.FUND, data, "rewards")
    if data.approved:
        rewards.confirm(actor, cycle, row.number)
    return row


def publish(actor: User, cycle: Cycle) -> None:
    """Close the cycle: its aggregated data appear on the transparency page."""
    plan_service.ensure_plan_editor(actor)
    if not report_validated(cycle):
        raise CycleError(_l("The Report has not been validated."))
    before = cycle.status
    cycle.status = CycleStatus.CLOSED.value
    db.session.flush()
    audit.record("cycle.publish", actor=actor, obj=cycle, before={"status": before},
                 after={"status": cycle.status})
