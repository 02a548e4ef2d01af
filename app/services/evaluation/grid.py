"""The evaluator's grid: every person whose rating task (form key evaluation_rating) the
signed-in person holds in a cycle, with that person's objectives, the ratings saved as a
draft and the score they give, and beside them how the evaluator's scores spread
compared with the administration's so far.

Read-only: drafts are saved by app.services.tasks.drafts, tasks completed by
app.services.tasks.operations.complete, as from the task page. Scores come from
operations.compute, the function behind the form's live score; nothing here re-states
a rule. The administration's figures pass app.services.reports.disclosure, so they never
reveal a group smaller than PUBLIC_MIN_GROUP."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from math import ceil

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models.engine import HumanTask, TaskDraft, TaskStatus
from app.models.evaluation import Evaluation, EvaluationStatus
from app.models.org import OrgUnit, Role, User
from app.models.plan import Cycle, IndividualObjective
from app.scoring.statistics import Differentiation, differentiation
from app.services.cycle.evaluation_steps import rating_inputs
from app.services.evaluation.operations import compute
from app.services.plan.individual import objectives_of
from app.services.plan.parts import bands_of
from app.services.reports.disclosure import PublicTable, suppressed
from app.services.tasks import drafts
from app.services.tasks.subjects import not_about_self_clause

RATING = "evaluation_rating"
PAGE_SIZE = 25
STATUSES = ("todo", "draft")  # no ratings saved yet / a draft saved
EVALUATING_ROLES = (Role.MANAGER, Role.SUPERVISOR, Role.SECRETARY_GENERAL, Role.BOARD)
WRITTEN = (EvaluationStatus.RATED.value, EvaluationStatus.REVIEW_REQUESTED.value,
           EvaluationStatus.FINAL.value)


@dataclass(frozen=True)
class Row:
    """One person: their rating task, objectives, the draft's ratings by objective id
    ({"what", "how", "comment"}), the draft's version and the score it gives (None
    while some objective is unrated)."""

    task: HumanTask
    person: User
    objectives: list[IndividualObjective]
    ratings: dict[int, dict]
    version: int
    score: Decimal | None
    band: str | None


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    number: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / PAGE_SIZE))


def _held(actor: User, cycle: Cycle | None) -> list:
    """The open rating tasks the person holds (as the inbox's "mine"), of the cycle."""
    conditions = [HumanTask.status == TaskStatus.OPEN.value, HumanTask.form_key == RATING,
                  or_(HumanTask.assignee_id == actor.id, HumanTask.claimed_by_id == actor.id),
                  not_about_self_clause(actor)]
    if cycle is not None:
        conditions.append(HumanTask.cycle_id == cycle.id)
    return conditions


def held_count(actor: User, cycle: Cycle | None = None) -> int:
    """How many rating tasks the person holds (in the cycle, or in any)."""
    return db.session.scalar(select(func.count(HumanTask.id)).where(*_held(actor, cycle)))


def held_cycle(actor: User) -> Cycle | None:
    """The most recent cycle in which the person holds rating tasks: where the grid
    opens when no cycle is asked for (the inbox's link), not on a newer cycle whose
    evaluations have not started."""
    return db.session.scalar(
        select(Cycle).where(Cycle.id.in_(select(HumanTask.cycle_id).where(*_held(actor, None))))
        .order_by(Cycle.year.desc()).limit(1))


def is_evaluator_in(actor: User, cycle: Cycle) -> bool:
    """Who may open the grid: the roles that evaluate (their grid may still be empty)
    and anyone holding or having completed a rating task of the cycle."""
    if actor.has_role(*EVALUATING_ROLES):
        return True
    return bool(held_count(actor, cycle)) or db.session.scalar(select(exists().where(
        HumanTask.form_key == RATING, HumanTask.cycle_id == cycle.id,
        HumanTask.completed_by_id == actor.id)))


def units(actor: User, cycle: Cycle) -> list[OrgUnit]:
    """The units of the people in the grid, for its filter."""
    return list(db.session.execute(
        select(OrgUnit).where(OrgUnit.id.in_(
            select(HumanTask.org_unit_id).where(*_held(actor, cycle))))
        .order_by(OrgUnit.code)).scalars())


def score_of(cycle: Cycle, person: User, objectives,
             rows: list[dict]) -> tuple[Decimal | None, str | None]:
    """Score and band of ratings being entered, by the person's evaluation system;
    (None, None) until they are complete."""
    try:
        score, band, _values = compute(cycle, objectives, rating_inputs(rows), person)
    except ValueError:
        return None, None
    return score, band


def _objectives(cycle: Cycle, tasks: list[HumanTask]) -> dict[int, list[IndividualObjective]]:
    """The objectives of the tasks' people in one query, by person id, in sheet order."""
    found: dict[int, list[IndividualObjective]] = {t.subject_id: [] for t in tasks}
    for objective in db.session.execute(
            select(IndividualObjective).where(IndividualObjective.cycle_id == cycle.id,
                                              IndividualObjective.user_id.in_(list(found)))
            .order_by(IndividualObjective.user_id, IndividualObjective.position)).scalars():
        found[objective.user_id].append(objective)
    return found


def row(cycle: Cycle, task: HumanTask, draft: TaskDraft | None,
        entered: list[dict] | None = None,
        objectives: list[IndividualObjective] | None = None) -> Row:
    """The person's row; `entered`, ratings just posted, take the draft's place."""
    if objectives is None:
        objectives = objectives_of(cycle, task.subject)
    rows = entered if entered is not None else (draft.data.get("rows", []) if draft else [])
    ratings = {r.get("objective_id"): r for r in rows}
    score, band = score_of(cycle, task.subject, objectives, rows) if rows else (None, None)
    return Row(task, task.subject, objectives, ratings, drafts.version_of(draft), score, band)


def page(actor: User, cycle: Cycle, unit_id: int | None = None, status: str | None = None,
         number: int = 1) -> Page:
    """The grid's rows, PAGE_SIZE at a time, by surname."""
    conditions = _held(actor, cycle)
    if unit_id:
        conditions.append(HumanTask.org_unit_id == unit_id)
    if status in STATUSES:
        saved = exists().where(TaskDraft.task_id == HumanTask.id)
        conditions.append(saved if status == "draft" else ~saved)
    total = db.session.scalar(select(func.count(HumanTask.id)).where(*conditions))
    number = max(1, min(number, max(1, ceil(total / PAGE_SIZE))))
    tasks = list(db.session.execute(
        select(HumanTask).join(User, User.id == HumanTask.subject_id).where(*conditions)
        .options(selectinload(HumanTask.subject), selectinload(HumanTask.org_unit))
        .order_by(User.last_name, User.first_name, HumanTask.id)
        .limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)).scalars())
    saved, objectives = drafts.drafts_of(tasks), _objectives(cycle, tasks)
    return Page([row(cycle, task, saved.get(task.id), objectives=objectives[task.subject_id])
                 for task in tasks], total, number)


@dataclass(frozen=True)
class Distribution:
    """The evaluator's scores (ratings completed plus complete drafts) and the
    administration's (evaluations written so far), for the panel beside the grid."""

    mine: Differentiation
    mine_drafts: int
    administration: PublicTable


def _completed_by(actor: User, cycle: Cycle) -> list[Evaluation]:
    rated = select(HumanTask.subject_id).where(
        HumanTask.form_key == RATING, HumanTask.cycle_id == cycle.id,
        HumanTask.status == TaskStatus.COMPLETED.value, HumanTask.completed_by_id == actor.id)
    return list(db.session.execute(select(Evaluation).where(
        Evaluation.cycle_id == cycle.id, Evaluation.user_id.in_(rated),
        Evaluation.status.in_(WRITTEN))).scalars())


def _draft_scores(actor: User, cycle: Cycle) -> list[Decimal]:
    tasks = list(db.session.execute(
        select(HumanTask).where(*_held(actor, cycle), exists().where(
            TaskDraft.task_id == HumanTask.id))).scalars())
    saved, objectives = drafts.drafts_of(tasks), _objectives(cycle, tasks)
    scores = [score_of(cycle, t.subject, objectives[t.subject_id],
                       saved[t.id].data.get("rows", []))[0]
              for t in tasks if t.id in saved]
    return [s for s in scores if s is not None]


def distribution(actor: User, cycle: Cycle) -> Distribution:
    bands = bands_of(cycle)
    done = [None if e.not_evaluable else e.score for e in _completed_by(actor, cycle)]
    pending = _draft_scores(actor, cycle)
    # Two columns, not the evaluations: the administration has thousands of them.
    everyone = db.session.execute(select(Evaluation.not_evaluable, Evaluation.score).where(
        Evaluation.cycle_id == cycle.id, Evaluation.status.in_(WRITTEN)))
    administration = differentiation([None if ne else score for ne, score in everyone], bands)
    return Distribution(differentiation(done + pending, bands), len(pending),
                        suppressed(administration, cycle))
