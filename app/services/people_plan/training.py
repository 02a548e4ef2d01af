"""The training plan of a cycle: the support unit's entries, the attendance it records
(or a person declares on their reminder task), the per-person due dates of the
mandatory entries with their reminder tasks (workflows/training_due.bpmn, started by a
background job, app.services.people_plan.training_jobs), and the figures per unit that
the plan's indicators read (`trained_per_sector`: e.g. "at least one person per sector
trained on anti-corruption")."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import audit, engine
from app.extensions import db
from app.models.engine import HumanTask, TaskStatus
from app.models.org import OrgUnit, Role, User, UserRole
from app.models.plan import Cycle
from app.models.training import (
    Teaching,
    TrainingAttendance,
    TrainingDue,
    TrainingEntry,
    TrainingPlan,
)
from app.services.people_plan.common import PeoplePlanError, ensure_editor, start_edit
from app.services.people_plan.training_rules import next_due

YEARS = 3
DUE_PROCESS = "training_due"
DUE_JOB = "training_due"
TEACHING_LABELS = {Teaching.INTERNAL.value: _l("internal"), Teaching.EXTERNAL.value: _l("external")}
TOPIC_LABELS = {"anticorruption": _l("anti-corruption"), "safety": _l("health and safety"),
                "digital": _l("digital skills")}


def plan_of(cycle: Cycle) -> TrainingPlan | None:
    return db.session.execute(
        select(TrainingPlan).where(TrainingPlan.cycle_id == cycle.id)).scalar_one_or_none()


def open_plan(actor: User, cycle: Cycle) -> TrainingPlan:
    ensure_editor(actor)
    plan = plan_of(cycle)
    if plan is None:
        plan = TrainingPlan(cycle_id=cycle.id, first_year=cycle.year,
                            last_year=cycle.year + YEARS - 1)
        db.session.add(plan)
        db.session.flush()
        audit.record("training.open", actor=actor, obj=plan,
                     after={"years": [plan.first_year, plan.last_year]})
    return plan


@dataclass(frozen=True)
class EntryData:
    area: str
    action: str
    beneficiaries: str
    timing: str
    teaching: str
    contents: str | None = None
    topic: str | None = None
    every_years: int | None = None
    within_days: int | None = None
    categories: str | None = None


def add_entry(actor: User, plan: TrainingPlan, version: int | None, data: EntryData) -> TrainingEntry:
    start_edit(actor, plan, version)
    if not all((v or "").strip() for v in (data.area, data.action, data.beneficiaries, data.timing)):
        raise PeoplePlanError(_l("An entry needs its area, action, beneficiaries and timing."))
    if data.teaching not in TEACHING_LABELS:
        raise PeoplePlanError(_l("Say whether the teaching is internal or external."))
    if data.topic and data.topic not in TOPIC_LABELS:
        raise PeoplePlanError(_l("The topic is not one of the known topics."))
    if any(n is not None and n < 1 for n in (data.every_years, data.within_days)):
        raise PeoplePlanError(_l("The years and days of a refresher rule are at least 1."))
    row = TrainingEntry(area=data.area.strip(), action=data.action.strip(),
                        beneficiaries=data.beneficiaries.strip(), timing=data.timing.strip(),
                        teaching=data.teaching, contents=(data.contents or "").strip() or None,
                        topic=data.topic or None, every_years=data.every_years,
                        within_days=data.within_days,
                        categories=(data.categories or "").strip().upper() or None)
    plan.entries.append(row)
    db.session.flush()
    audit.record("training.entry", actor=actor, obj=row, after={
        "action": row.action, "topic": row.topic, "every_years": row.every_years,
        "within_days": row.within_days, "categories": row.categories})
    return row


def plan_problems(plan: TrainingPlan) -> list:
    return [] if plan.entries else [_l("Give at least one entry of the plan.")]


# --- attendance --------------------------------------------------------------------------

def record_attendance(actor: User, entry: TrainingEntry, user_ids: list[int], attended_on: date,
                      hours: Decimal | None = None) -> int:
    """The support unit records who attended on a day; each person's due date for the
    entry is met, and their reminder task closes."""
    ensure_editor(actor)
    return _attended(actor, entry, user_ids, attended_on, hours)


def declare_attendance(actor: User, due: TrainingDue, attended_on: date,
                       hours: Decimal | None = None) -> None:
    """The person concerned declares, on their reminder task, the day they attended."""
    if due.user_id != actor.id:
        raise PeoplePlanError(_l("Only the person concerned declares their attendance."))
    _attended(actor, due.entry, [actor.id], attended_on, hours, from_task=True)


def _attended(actor, entry, user_ids, attended_on, hours, from_task: bool = False) -> int:
    if not isinstance(attended_on, date) or attended_on > date.today():
        raise PeoplePlanError(_l("Give the day of the attendance, not in the future."))
    if hours is not None and hours <= 0:
        raise PeoplePlanError(_l("The hours of attendance are more than zero."))
    people = set(user_ids)
    if not people or len(people) != db.session.scalar(
            select(func.count(User.id)).where(User.id.in_(people))):
        raise PeoplePlanError(_l("Choose the people who attended."))
    for user_id in sorted(people):
        db.session.add(TrainingAttendance(entry_id=entry.id, user_id=user_id,
                                          attended_on=attended_on, hours=hours,
                                          recorded_by_id=actor.id))
        for due in db.session.execute(select(TrainingDue).where(
                TrainingDue.entry_id == entry.id, TrainingDue.user_id == user_id,
                TrainingDue.done_on.is_(None))).scalars():
            due.done_on = attended_on
            if not from_task:
                _close_reminder(actor, due)
    db.session.flush()
    audit.record("training.attendance", actor=actor, obj=entry,
                 after={"people": sorted(people), "on": attended_on, "hours": hours})
    return len(people)


def _close_reminder(actor: User, due: TrainingDue) -> None:
    task = db.session.execute(select(HumanTask).where(
        HumanTask.instance_id == due.instance_id, HumanTask.status == TaskStatus.OPEN.value)
    ).scalar_one_or_none() if due.instance_id else None
    if task is not None:
        engine.complete_task(task, {"recorded_by_office": True}, actor)


# --- due dates ---------------------------------------------------------------------------

def audience(entry: TrainingEntry) -> list[User]:
    """The active staff a mandatory entry is for: the listed categories, else everyone."""
    query = (select(User).join(UserRole, UserRole.user_id == User.id)
             .where(User.active, UserRole.role == Role.EMPLOYEE.value).order_by(User.id))
    if entry.category_list:
        query = query.where(User.category.in_(entry.category_list))
    return list(db.session.execute(query).scalars())


def schedule_dues(actor: User, plan: TrainingPlan) -> list[TrainingDue]:
    """Each person's next due date for each mandatory entry, from their hiring date and
    their last attendance (training_rules.next_due; the default is the end of the plan's
    first year), when it falls within the plan's years; a due date already scheduled and
    not met is kept. Their reminder tasks start in a background job."""
    from app.services.jobs.queue import enqueue

    ensure_editor(actor)
    start, first_due, horizon = (date(plan.first_year, 1, 1), date(plan.first_year, 12, 31),
                                 date(plan.last_year, 12, 31))
    created = []
    for entry in (e for e in plan.entries if e.mandatory):
        last = dict(db.session.execute(
            select(TrainingAttendance.user_id, func.max(TrainingAttendance.attended_on))
            .where(TrainingAttendance.entry_id == entry.id)
            .group_by(TrainingAttendance.user_id)).all())
        pending = set(db.session.execute(select(TrainingDue.user_id).where(
            TrainingDue.entry_id == entry.id, TrainingDue.done_on.is_(None))).scalars())
        for person in audience(entry):
            due_on = next_due(person.service_start, last.get(person.id), entry.every_years,
                              entry.within_days, start, first_due)
            if due_on is None or due_on > horizon or person.id in pending:
                continue
            row = TrainingDue(entry_id=entry.id, user_id=person.id, due_on=due_on)
            db.session.add(row)
            created.append(row)
    db.session.flush()
    audit.record("training.schedule", actor=actor, obj=plan, after={"dues": len(created)})
    if created:
        enqueue(DUE_JOB, [(row.id, f"{row.user.full_name}: {row.entry.action}") for row in created],
                actor=actor, cycle_id=plan.cycle_id)
    return created


def start_reminder(actor, due: TrainingDue) -> None:
    """The person's reminder task for one due date (a job item: once per due)."""
    if due.instance_id is not None or due.done_on is not None:
        return
    instance = engine.start(DUE_PROCESS, business_key=f"{DUE_PROCESS}:{due.id}", actor=actor, data={
        "cycle_id": due.entry.plan.cycle_id, "employee_id": due.user_id,
        "unit_id": due.user.unit_id, "due_id": due.id, "due_on": due.due_on.isoformat()})
    due.instance_id = instance.id
    db.session.flush()


def due_of_instance(instance) -> TrainingDue:
    return db.session.get(TrainingDue, int(instance.business_key.rpartition(":")[2]))


# --- figures -----------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitFigures:
    unit: OrgUnit
    people: int
    trained: int  # people with at least one attendance of the plan
    overdue: int  # due dates past and not met


def figures_by_unit(plan: TrainingPlan, today: date | None = None) -> list[UnitFigures]:
    today = today or date.today()
    staff = defaultdict(set)
    for user_id, unit_id in db.session.execute(select(User.id, User.unit_id).where(
            User.active, User.unit_id.is_not(None))).all():
        staff[unit_id].add(user_id)
    entry_ids = [e.id for e in plan.entries]
    trained = set(db.session.execute(select(TrainingAttendance.user_id).where(
        TrainingAttendance.entry_id.in_(entry_ids))).scalars())
    overdue = list(db.session.execute(select(TrainingDue.user_id).where(
        TrainingDue.entry_id.in_(entry_ids), TrainingDue.done_on.is_(None),
        TrainingDue.due_on < today)).scalars())
    units = db.session.execute(select(OrgUnit).where(OrgUnit.id.in_(staff)).order_by(OrgUnit.code)).scalars()
    return [UnitFigures(u, len(staff[u.id]), len(staff[u.id] & trained),
                        sum(1 for p in overdue if p in staff[u.id])) for u in units]


def trained_per_sector(cycle: Cycle, topic: str) -> dict[str, int]:
    """For the plan's indicators: per sector code, how many of its active people attended
    a training of the topic in the cycle's plan (0 for a sector with none)."""
    plan = plan_of(cycle)
    sectors = db.session.execute(select(OrgUnit.id, OrgUnit.code).where(
        OrgUnit.administration_id == cycle.administration_id, OrgUnit.kind == "sector")).all()
    counts = {code: 0 for _id, code in sectors}
    if plan is None:
        return counts
    rows = db.session.execute(
        select(OrgUnit.code, func.count(func.distinct(TrainingAttendance.user_id)))
        .join(User, User.id == TrainingAttendance.user_id)
        .join(OrgUnit, OrgUnit.id == User.unit_id)
        .join(TrainingEntry, TrainingEntry.id == TrainingAttendance.entry_id)
        .where(TrainingEntry.plan_id == plan.id, TrainingEntry.topic == topic, User.active,
               OrgUnit.kind == "sector")
        .group_by(OrgUnit.code)).all()
    counts.update(dict(rows))
    return counts
