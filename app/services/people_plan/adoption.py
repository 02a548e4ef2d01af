"""The adoption of a people plan (workflows/people_plan_adoption.bpmn): the support unit
submits the draft, which starts the process; for the positive actions plan the support
unit records the equality committee's (CUG) opinion first (the committee is outside the
administration's roles: its act reaches the HR office, which files it); the Board
records its deliberation, adopting the plan or sending it back with the reason, and a
plan sent back is a draft again until the support unit resubmits it from its task.

The process's business key `people_plan:<kind>:<plan id>` is how a task finds its plan."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit, engine
from app.extensions import db
from app.models.cycle import BoardDeliberation, DeliberationOutcome
from app.models.engine import InstanceStatus, ProcessInstance
from app.models.equality import EqualityPlan
from app.models.org import Role, User
from app.models.people_plan import AdoptedPlan, AdoptionStatus, PlanKind
from app.models.staffing import StaffingPlan
from app.models.training import TrainingPlan
from app.services.cycle.deliberations import DeliberationInput, deliberation_errors
from app.services.org.permissions import require_role
from app.services.people_plan.common import PeoplePlanError, start_edit

PROCESS_ID = "people_plan_adoption"
PLAN_MODELS: dict[str, type[AdoptedPlan]] = {
    PlanKind.STAFFING.value: StaffingPlan, PlanKind.TRAINING.value: TrainingPlan,
    PlanKind.EQUALITY.value: EqualityPlan}
DECISION_DAYS = 30  # the Board's and the committee's tasks are due a month after submission


def business_key(plan: AdoptedPlan) -> str:
    return f"people_plan:{plan.kind.value}:{plan.id}"


def plan_of_instance(instance: ProcessInstance) -> AdoptedPlan:
    _prefix, kind, plan_id = instance.business_key.split(":")
    return db.session.get(PLAN_MODELS[kind], int(plan_id))


def running_instance(plan: AdoptedPlan) -> ProcessInstance | None:
    return db.session.execute(select(ProcessInstance).where(
        ProcessInstance.business_key == business_key(plan),
        ProcessInstance.status == InstanceStatus.RUNNING.value)).scalars().first()


def submit(actor: User, plan: AdoptedPlan, version: int | None, problems: list[str]) -> ProcessInstance:
    """The support unit sends the draft to adoption. `problems` are what the section
    finds missing in the plan (none: it may go)."""
    start_edit(actor, plan, version)
    if running_instance(plan) is not None:
        raise PeoplePlanError(_l("The plan is already in adoption: resubmit it from your task."))
    if problems:
        raise PeoplePlanError(" ".join(str(p) for p in problems))
    plan.status = AdoptionStatus.SUBMITTED.value
    db.session.flush()
    instance = engine.start(PROCESS_ID, business_key=business_key(plan), actor=actor, data={
        "cycle_id": plan.cycle_id, "plan_kind": plan.kind.value, "plan_id": plan.id,
        "needs_cug": plan.kind is PlanKind.EQUALITY,
        "due": (date.today() + timedelta(days=DECISION_DAYS)).isoformat()})
    audit.record("people_plan.submit", actor=actor, obj=plan, instance_id=instance.id,
                 before={"status": AdoptionStatus.DRAFT.value}, after={"status": plan.status})
    return instance


def resubmit(actor: User, plan: AdoptedPlan, problems: list[str]) -> None:
    """The support unit sends a plan the Board sent back to adoption again."""
    require_role(actor, Role.SUPPORT_UNIT)
    if not plan.is_draft:
        raise PeoplePlanError(_l("The plan is not waiting to be resubmitted."))
    if problems:
        raise PeoplePlanError(" ".join(str(p) for p in problems))
    plan.status = AdoptionStatus.SUBMITTED.value
    db.session.flush()
    audit.record("people_plan.resubmit", actor=actor, obj=plan,
                 before={"status": AdoptionStatus.DRAFT.value}, after={"status": plan.status})


def deliberate(actor: User, plan: AdoptedPlan, data: DeliberationInput) -> BoardDeliberation:
    """The Board adopts the plan with its deliberation, or sends it back with the reason."""
    require_role(actor, Role.BOARD)
    if plan.status != AdoptionStatus.SUBMITTED.value:
        raise PeoplePlanError(_l("The plan is not waiting for the Board."))
    errors = deliberation_errors(data)
    if errors:
        raise PeoplePlanError(" ".join(errors))
    outcome = DeliberationOutcome.APPROVED if data.approved else DeliberationOutcome.SENT_BACK
    row = BoardDeliberation(
        cycle_id=plan.cycle_id, subject=f"{plan.kind.value}_plan", number=data.number.strip(),
        date=data.date, outcome=outcome.value, reason=(data.reason or "").strip() or None,
        attachment_name=data.attachment_name, attachment=data.attachment,
        attachment_sha256=hashlib.sha256(data.attachment).hexdigest() if data.attachment else None,
        recorded_by_id=actor.id)
    db.session.add(row)
    before = plan.status
    plan.status = (AdoptionStatus.ADOPTED if data.approved else AdoptionStatus.DRAFT).value
    if data.approved:
        plan.deliberation = row
    db.session.flush()
    audit.record("people_plan.deliberation", actor=actor, obj=plan, before={"status": before},
                 after={"status": plan.status, "number": row.number, "date": row.date,
                        "outcome": row.outcome, "attachment_sha256": row.attachment_sha256})
    return row


@dataclass(frozen=True)
class Remark:
    """Why the Board sent the plan back, as the resubmit form shows it."""

    author: User | None
    text: str


def last_sending_back(plan: AdoptedPlan) -> Remark | None:
    row = db.session.execute(
        select(BoardDeliberation).where(
            BoardDeliberation.cycle_id == plan.cycle_id,
            BoardDeliberation.subject == f"{plan.kind.value}_plan",
            BoardDeliberation.outcome == DeliberationOutcome.SENT_BACK.value)
        .order_by(BoardDeliberation.id.desc()).limit(1)).scalar_one_or_none()
    return Remark(row.recorded_by, row.reason) if row is not None else None
