"""The positive actions plan of a cycle: the support unit's objectives and numbered
actions, the equality committee's (CUG) opinion it records in the adoption workflow,
and each action's state recorded in the cycle's monitoring rounds, so that the actions
are monitored with the performance plan (app.services.cycle.rounds)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models.equality import (
    ActionMonitoring,
    ActionState,
    CugOpinion,
    EqualityObjective,
    EqualityPlan,
    OpinionOutcome,
    PositiveAction,
)
from app.models.monitoring import MonitoringRound, RoundStatus
from app.models.org import Role, User
from app.models.people_plan import AdoptionStatus
from app.models.plan import Cycle
from app.models.types import utcnow
from app.services.org.permissions import require_role
from app.services.people_plan.common import PeoplePlanError, ensure_editor, start_edit

YEARS = 3
MAX_ATTACHMENT = 10 * 1024 * 1024
OUTCOME_LABELS = {OpinionOutcome.FAVOURABLE.value: _l("favourable"),
                  OpinionOutcome.WITH_REMARKS.value: _l("favourable with remarks"),
                  OpinionOutcome.UNFAVOURABLE.value: _l("unfavourable")}
STATE_LABELS = {ActionState.NOT_STARTED.value: lazy_pgettext("positive action", "not started"),
                ActionState.IN_PROGRESS.value: _l("in progress"),
                ActionState.DONE.value: _l("done"), ActionState.DROPPED.value: _l("dropped")}


def plan_of(cycle: Cycle) -> EqualityPlan | None:
    return db.session.execute(
        select(EqualityPlan).where(EqualityPlan.cycle_id == cycle.id)).scalar_one_or_none()


def open_plan(actor: User, cycle: Cycle) -> EqualityPlan:
    ensure_editor(actor)
    plan = plan_of(cycle)
    if plan is None:
        plan = EqualityPlan(cycle_id=cycle.id, first_year=cycle.year,
                            last_year=cycle.year + YEARS - 1)
        db.session.add(plan)
        db.session.flush()
        audit.record("equality.open", actor=actor, obj=plan,
                     after={"years": [plan.first_year, plan.last_year]})
    return plan


def add_objective(actor: User, plan: EqualityPlan, version: int | None, title: str,
                  description: str | None = None) -> EqualityObjective:
    """The next numbered objective."""
    start_edit(actor, plan, version)
    if not (title or "").strip():
        raise PeoplePlanError(_l("An objective needs a title."))
    row = EqualityObjective(number=len(plan.objectives) + 1, title=title.strip(),
                            description=(description or "").strip() or None)
    plan.objectives.append(row)
    db.session.flush()
    audit.record("equality.objective", actor=actor, obj=row,
                 after={"number": row.number, "title": row.title})
    return row


@dataclass(frozen=True)
class ActionData:
    objective_id: int
    title: str
    actors: str
    beneficiaries: str
    deadline: date | None = None
    indicator: str | None = None
    owner_id: int | None = None
    budget: Decimal | None = None


def add_action(actor: User, plan: EqualityPlan, version: int | None, data: ActionData) -> PositiveAction:
    """The objective's next numbered action; actors and beneficiaries are required, the
    deadline, indicator, owner and budget are not (Turin's plan gives none)."""
    start_edit(actor, plan, version)
    objective = next((o for o in plan.objectives if o.id == data.objective_id), None)
    if objective is None:
        raise PeoplePlanError(_l("The objective is not in this plan."))
    if not all((v or "").strip() for v in (data.title, data.actors, data.beneficiaries)):
        raise PeoplePlanError(_l("An action needs a title, its actors and its beneficiaries."))
    if data.budget is not None and data.budget < 0:
        raise PeoplePlanError(_l("A budget cannot be negative."))
    row = PositiveAction(number=len(objective.actions) + 1, title=data.title.strip(),
                         actors=data.actors.strip(), beneficiaries=data.beneficiaries.strip(),
                         deadline=data.deadline, indicator=(data.indicator or "").strip() or None,
                         owner_id=data.owner_id, budget=data.budget)
    objective.actions.append(row)
    db.session.flush()
    audit.record("equality.action", actor=actor, obj=row, after={
        "code": row.code, "title": row.title, "deadline": row.deadline, "owner_id": row.owner_id})
    return row


def plan_problems(plan: EqualityPlan) -> list:
    if not any(o.actions for o in plan.objectives):
        return [_l("Give at least one objective with one action.")]
    return []


# --- the committee's opinion -------------------------------------------------------------

@dataclass(frozen=True)
class CugOpinionData:
    date: date | None
    outcome: str
    text: str
    attachment: bytes | None = None
    attachment_name: str | None = None


def record_cug_opinion(actor: User, plan: EqualityPlan, data: CugOpinionData) -> CugOpinion:
    """The support unit files the committee's opinion on the submitted plan."""
    require_role(actor, Role.SUPPORT_UNIT)
    if plan.status != AdoptionStatus.SUBMITTED.value:
        raise PeoplePlanError(_l("The plan is not waiting for the committee's opinion."))
    if not isinstance(data.date, date) or data.outcome not in OUTCOME_LABELS or not data.text.strip():
        raise PeoplePlanError(_l("The opinion needs its date, its outcome and its text."))
    if data.attachment is not None and (len(data.attachment) > MAX_ATTACHMENT
                                        or not data.attachment.startswith(b"%PDF")):
        raise PeoplePlanError(_l("The attached act must be a PDF file of at most 10 MB."))
    row = CugOpinion(plan_id=plan.id, date=data.date, outcome=data.outcome, text=data.text.strip(),
                     attachment=data.attachment, attachment_name=data.attachment_name,
                     attachment_sha256=hashlib.sha256(data.attachment).hexdigest()
                     if data.attachment else None, recorded_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("equality.cug_opinion", actor=actor, obj=row, after={
        "date": row.date, "outcome": row.outcome, "attachment_sha256": row.attachment_sha256})
    return row


def opinions(plan: EqualityPlan) -> list[CugOpinion]:
    return list(db.session.execute(select(CugOpinion).where(CugOpinion.plan_id == plan.id)
                                   .order_by(CugOpinion.id)).scalars())


# --- monitoring --------------------------------------------------------------------------

def actions(plan: EqualityPlan) -> list[PositiveAction]:
    return [a for o in plan.objectives for a in o.actions]


def open_round(cycle: Cycle) -> MonitoringRound | None:
    """The cycle's monitoring round open now (the last opened), if any."""
    return db.session.execute(
        select(MonitoringRound).where(MonitoringRound.cycle_id == cycle.id,
                                      MonitoringRound.status == RoundStatus.OPEN.value)
        .order_by(MonitoringRound.number.desc()).limit(1)).scalar_one_or_none()


def record_states(actor: User, plan: EqualityPlan, round_: MonitoringRound,
                  states: list[tuple[int, str, str | None]]) -> int:
    """Each action's (id, state, note) in an open round of the plan's cycle; an action
    recorded again in the same round keeps the last state. Needs an adopted plan."""
    ensure_editor(actor)
    if plan.status != AdoptionStatus.ADOPTED.value:
        raise PeoplePlanError(_l("The actions are monitored once the plan is adopted."))
    if round_.cycle_id != plan.cycle_id or round_.status != RoundStatus.OPEN.value:
        raise PeoplePlanError(_l("The round is not open."))
    known = {a.id for a in actions(plan)}
    for action_id, state, note in states:
        if action_id not in known or state not in STATE_LABELS:
            raise PeoplePlanError(_l("Give each action of the plan one of the states."))
        row = db.session.execute(select(ActionMonitoring).where(
            ActionMonitoring.round_id == round_.id, ActionMonitoring.action_id == action_id)
        ).scalar_one_or_none() or ActionMonitoring(round_id=round_.id, action_id=action_id)
        row.state, row.note = state, (note or "").strip() or None
        row.recorded_by_id, row.recorded_at = actor.id, utcnow()
        db.session.add(row)
    db.session.flush()
    audit.record("equality.monitoring", actor=actor, obj=round_,
                 after={"states": {str(a): s for a, s, _n in states}})
    return len(states)


def states_by_round(plan: EqualityPlan) -> list[tuple[MonitoringRound, dict[int, ActionMonitoring]]]:
    """Every round of the cycle with the actions' states recorded in it."""
    rounds = db.session.execute(select(MonitoringRound).where(
        MonitoringRound.cycle_id == plan.cycle_id, MonitoringRound.number.is_not(None))
        .order_by(MonitoringRound.number)).scalars().all()
    rows = db.session.execute(select(ActionMonitoring).where(
        ActionMonitoring.round_id.in_([r.id for r in rounds]))).scalars().all()
    return [(r, {m.action_id: m for m in rows if m.round_id == r.id}) for r in rounds]
