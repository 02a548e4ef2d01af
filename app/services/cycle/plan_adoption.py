"""The plan's way through the cycle's master process: the support unit submits the draft,
the Secretary General reviews it, the Board adopts it (revision 0); during the year a
revision changes targets, with the OIV's opinion and the Board's deliberation."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from app import audit
from app.models.cycle import BoardDeliberation, DeliberationSubject
from app.models.org import Role, User
from app.models.plan import Cycle
from app.services.cycle.deliberations import (
    DeliberationInput,
    deliberation_errors,
    record_deliberation,
)
from app.services.cycle.measurement import indicators_of
from app.services.cycle.operations import CycleError, remark
from app.services.org.permissions import require_role
from app.services.plan import operations as plan_service
from app.services.plan.access import ensure_plan_editor
from app.services.plan.adoption import (
    Deliberation,
    OivOpinion,
    approve_plan,
    approve_revision,
    open_revision,
    pending_changes,
    plan_problems,
    record_oiv_opinion,
)
from app.services.plan.cycles import ensure_plan
from app.services.plan.fields import IndicatorData
from app.services.plan.operations import INDICATOR_FIELDS


def _deliberation(data: DeliberationInput) -> Deliberation:
    return Deliberation(data.number.strip(), data.date)


# --- the plan ----------------------------------------------------------------------------

def submit_plan(actor: User, cycle: Cycle) -> None:
    """The support unit hands the draft plan to the Secretary General."""
    ensure_plan_editor(actor)
    problems = plan_problems(ensure_plan(cycle))
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
        errors = deliberation_errors(data) + plan_problems(ensure_plan(cycle))
        if errors:
            raise CycleError(errors)
    row = record_deliberation(actor, cycle, DeliberationSubject.PLAN, data)
    if data.approved:
        approve_plan(actor, cycle, _deliberation(data))
    return row


# --- the revision ------------------------------------------------------------------------

@dataclass(frozen=True)
class TargetChange:
    indicator_id: int
    target: object
    threshold: object


def propose_revision(actor: User, cycle: Cycle, changes: list[TargetChange]) -> int:
    """The support unit's changed targets (other changes may be made in the plan editor
    while the revision is open). Refused when the revision changes nothing."""
    ensure_plan_editor(actor)
    plan = ensure_plan(cycle)
    if open_revision(plan) is None:
        raise CycleError(_l("No revision is open."))
    by_id = {i.id: i for i in indicators_of(cycle)}
    for change in changes:
        indicator = by_id.get(change.indicator_id)
        if indicator is None:
            raise CycleError(_l("Unknown indicator."))
        if (change.target, change.threshold) == (indicator.target, indicator.threshold):
            continue
        data = IndicatorData(**{
            name: getattr(indicator, name) for name in INDICATOR_FIELDS})
        data.target, data.threshold = change.target, change.threshold
        plan_service.save_indicator(actor, indicator.objective, data, indicator)
    pending = pending_changes(plan)
    if not pending:
        raise CycleError(_l("The revision changes nothing: change a target or an indicator."))
    audit.record("cycle.revision.propose", actor=actor, obj=plan,
                 after={"changes": len(pending)})
    return len(pending)


def give_revision_opinion(actor: User, cycle: Cycle, reference: str, when: date,
                          positive: bool, reason: str | None) -> None:
    record_oiv_opinion(actor, cycle, OivOpinion(reference, when, positive))
    if not positive:
        remark(actor, cycle, "cycle_revision_opinion", "revision", reason)


def deliberate_revision(actor: User, cycle: Cycle, data: DeliberationInput) -> BoardDeliberation:
    row = record_deliberation(actor, cycle, DeliberationSubject.REVISION, data)
    if data.approved:
        approve_revision(actor, cycle, _deliberation(data))
    return row
