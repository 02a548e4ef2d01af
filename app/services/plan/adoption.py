"""The plan's adoption and its revisions: what stops approval, the Board's approval
(revision 0, the plan frozen), a revision opened, the OIV's opinion on it and the
Board's approval of it, and the differences between approved revisions.

Every operation checks who acts, refuses bad input with PlanError (messages for the
UI, nothing written), and writes one audit event in the caller's transaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import audit
from app.extensions import db
from app.models.org import Role, User
from app.models.plan import Cycle, CycleStatus, Plan, PlanRevision, PlanStatus, RevisionStatus
from app.models.types import utcnow
from app.services.org.permissions import require_role
from app.services.plan import rules
from app.services.plan.access import ensure_plan_editor
from app.services.plan.cycles import ensure_plan
from app.services.plan.errors import PlanError
from app.services.plan.parts import Systems
from app.services.plan.revisions import Change, diff, snapshot


@dataclass(frozen=True)
class Deliberation:
    """A numbered, dated act of the Board (Giunta)."""

    number: str
    date: date


@dataclass(frozen=True)
class OivOpinion:
    reference: str
    date: date
    positive: bool


def plan_problems(plan: Plan) -> list[str]:
    """What stops the plan from being approved: empty objectives, weight groups the rules
    refuse (app.services.plan.rules: blanks mixed with numbers, all zeros, sums outside
    the system's tolerance) and indicators the rules could not score."""
    if not plan.objectives:
        return [str(_l("The plan has no objectives."))]
    systems = Systems.of_cycle(plan.cycle)
    problems = [str(_l("%(code)s has neither indicators nor operational objectives.",
                       code=objective.code))
                for objective in plan.objectives
                if not objective.indicators and not objective.children]
    problems += rules.weight_findings(plan, systems)[0]
    return problems + rules.indicator_problems(plan, systems)


def weight_notes(plan: Plan) -> list[str]:
    """Groups whose weights are accepted within the tolerance and normalised by their
    sum: the plan page says so."""
    if not plan.objectives:
        return []
    return rules.weight_findings(plan, Systems.of_cycle(plan.cycle))[1]


def _deliberation_errors(deliberation: Deliberation) -> list[str]:
    if not (deliberation.number or "").strip() or not isinstance(deliberation.date, date):
        return [str(_l("The Board's deliberation needs a number and a date."))]
    return []


def approve_plan(actor: User, cycle: Cycle, deliberation: Deliberation) -> PlanRevision:
    """The Board adopts the plan: it is frozen as revision 0."""
    require_role(actor, Role.BOARD)
    plan = ensure_plan(cycle)
    if plan.status != PlanStatus.DRAFT.value:
        raise PlanError(_l("The plan has already been approved."))
    errors = _deliberation_errors(deliberation) + plan_problems(plan)
    if errors:
        raise PlanError(errors)
    revision = PlanRevision(plan=plan, number=0, opened_by_id=actor.id)
    db.session.add(revision)
    _close_revision(actor, plan, revision, deliberation, snapshot(plan), None)
    audit.record("plan.approve", actor=actor, obj=plan,
                 before={"status": PlanStatus.DRAFT.value},
                 after={"status": plan.status, "revision": 0,
                        "deliberation": [deliberation.number, deliberation.date]})
    return revision


def _close_revision(actor, plan, revision, deliberation, content, changes) -> None:
    revision.status = RevisionStatus.APPROVED.value
    revision.deliberation_number = deliberation.number.strip()
    revision.deliberation_date = deliberation.date
    revision.approved_at = utcnow()
    revision.approved_by_id = actor.id
    revision.snapshot = content
    revision.changes = changes
    plan.status = PlanStatus.APPROVED.value
    db.session.flush()


def open_revision(plan: Plan) -> PlanRevision | None:
    return next((r for r in plan.revisions if r.status == RevisionStatus.OPEN.value), None)


def last_approved(plan: Plan) -> PlanRevision | None:
    approved = [r for r in plan.revisions if r.status == RevisionStatus.APPROVED.value]
    return approved[-1] if approved else None


def create_revision(actor: User, cycle: Cycle, reason: str) -> PlanRevision:
    """Open Rev. N+1: the plan becomes editable until the Board approves the revision."""
    ensure_plan_editor(actor)
    plan = ensure_plan(cycle)
    if plan.status == PlanStatus.DRAFT.value:
        raise PlanError(_l("The plan is still a draft: change it directly."))
    if plan.status == PlanStatus.REVISING.value:
        raise PlanError(_l("A revision is already open."))
    if cycle.status == CycleStatus.CLOSED.value:
        raise PlanError(_l("The cycle is closed."))
    if not (reason or "").strip():
        raise PlanError(_l("Say why the plan needs a revision."))
    number = db.session.execute(
        select(func.max(PlanRevision.number)).where(PlanRevision.plan_id == plan.id)
    ).scalar_one() + 1
    revision = PlanRevision(plan=plan, number=number, reason=reason.strip(),
                            opened_by_id=actor.id, status=RevisionStatus.OPEN.value)
    db.session.add(revision)
    plan.status = PlanStatus.REVISING.value
    db.session.flush()
    audit.record("plan.revision.open", actor=actor, obj=revision,
                 after={"number": number, "reason": revision.reason})
    return revision


def record_oiv_opinion(actor: User, cycle: Cycle, opinion: OivOpinion) -> PlanRevision:
    require_role(actor, Role.OIV)
    revision = open_revision(ensure_plan(cycle))
    if revision is None:
        raise PlanError(_l("No revision is open."))
    if not (opinion.reference or "").strip() or not isinstance(opinion.date, date):
        raise PlanError(_l("The OIV's opinion needs a reference and a date."))
    before = {"reference": revision.oiv_opinion_reference,
              "positive": revision.oiv_opinion_positive}
    revision.oiv_opinion_reference = opinion.reference.strip()
    revision.oiv_opinion_date = opinion.date
    revision.oiv_opinion_positive = bool(opinion.positive)
    revision.oiv_opinion_by_id = actor.id
    db.session.flush()
    audit.record("plan.revision.oiv_opinion", actor=actor, obj=revision, before=before,
                 after={"reference": revision.oiv_opinion_reference, "date": opinion.date,
                        "positive": revision.oiv_opinion_positive})
    return revision


def pending_changes(plan: Plan) -> list[Change]:
    """What the open revision changes so far, against the last approved revision."""
    base = last_approved(plan)
    return diff(base.snapshot if base else {}, snapshot(plan))


def approve_revision(actor: User, cycle: Cycle, deliberation: Deliberation) -> PlanRevision:
    """The Board approves the open revision, after a positive opinion of the OIV."""
    require_role(actor, Role.BOARD)
    plan = ensure_plan(cycle)
    revision = open_revision(plan)
    if revision is None:
        raise PlanError(_l("No revision is open."))
    errors = _deliberation_errors(deliberation)
    if revision.oiv_opinion_positive is None:
        errors.append(str(_l("The revision needs the OIV's opinion first.")))
    elif not revision.oiv_opinion_positive:
        errors.append(str(_l("The OIV's opinion is negative: the revision cannot be approved.")))
    changes = pending_changes(plan)
    if not changes:
        errors.append(str(_l("The revision changes nothing.")))
    errors += plan_problems(plan)
    if errors:
        raise PlanError(errors)
    _close_revision(actor, plan, revision, deliberation, snapshot(plan),
                    [c.as_dict() for c in changes])
    audit.record("plan.revision.approve", actor=actor, obj=revision,
                 after={"number": revision.number, "changes": len(changes),
                        "deliberation": [deliberation.number, deliberation.date]})
    return revision


def revision_diff(plan: Plan, old: int, new: int | None) -> list[Change]:
    """Changes from approved revision `old` to approved revision `new` (None: the plan
    as it stands now)."""
    by_number = {r.number: r for r in plan.revisions if r.snapshot is not None}
    if old not in by_number or (new is not None and new not in by_number):
        raise PlanError(_l("Unknown revision."))
    after = snapshot(plan) if new is None else by_number[new].snapshot
    return diff(by_number[old].snapshot, after)
