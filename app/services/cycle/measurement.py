"""What the cycle measures: the indicators monitored during the year (the support unit's
consolidation, the OIV's monitoring report), the year-end values each manager records
for the indicators of the area, the scores computed when the measurement closes, and
the OIV's evaluation of the organisation, of which the Board takes note."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import audit
from app.extensions import db
from app.models.cycle import (
    BoardDeliberation,
    DeliberationSubject,
    OivEvaluation,
    OivMonitoringReport,
)
from app.models.org import OrgUnit, Role, UnitKind, User
from app.models.plan import Cycle, Indicator
from app.models.types import utcnow
from app.services.cycle.deliberations import DeliberationInput, record_deliberation
from app.services.cycle.operations import CycleError
from app.services.org.permissions import require_role
from app.services.plan.access import ensure_plan_editor
from app.services.plan.adoption import create_revision
from app.services.plan.measurement import neutralise, record_actual, reinstate
from app.services.plan.scores import achievements

# --- monitoring --------------------------------------------------------------------------

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
    ensure_plan_editor(actor)
    if revision_needed:
        create_revision(actor, cycle, reason or "")
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
                neutralise(actor, indicator, reason)
        else:
            if entry.value is None:
                raise CycleError(_l("%(code)s: give the value or the reason for neutralising it.",
                                    code=indicator.code))
            if indicator.neutralised:
                reinstate(actor, indicator)
            record_actual(actor, indicator, entry.value)
    audit.record("cycle.measurement.area", actor=actor, obj=area,
                 after={"cycle_id": cycle.id, "indicators": len(entries)})


def unmeasured(cycle: Cycle) -> list[Indicator]:
    return [i for i in entered_indicators(cycle) if i.actual is None and not i.neutralised]


def close_measurement(actor: User, cycle: Cycle) -> None:
    """The support unit checks every indicator is measured or neutralised; the scores
    are computed and recorded in the audit trail."""
    ensure_plan_editor(actor)
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
