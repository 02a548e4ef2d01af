"""Read-only figures of a cycle for the personal pages, the dashboard, the Report and the
transparency page: the distribution of final scores, the fund and what was paid, the
open workflow tasks; where each person stands lives in app.services.reports.standing.
Nothing here changes state; the services that act live elsewhere."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.i18n import N_, kept_gettext
from app.models.cycle import ReportStatus, ReportVersion
from app.models.evaluation import (
    Evaluation,
    EvaluationStatus,
    RewardAllocation,
    RewardPool,
)
from app.models.org import OrgUnit, UnitKind, User
from app.models.plan import Cycle, CycleStatus
from app.models.types import utcnow
from app.scoring import counted_differentiation, differentiation, pays
from app.services.paging import Page, paginate
from app.services.plan.parts import Systems, bands_of, system_for_person
from app.services.reports.standing import STEPS, PersonStatus, people_status  # noqa: F401 (the figures' public face)

# Translated where shown (kept_gettext): the people lists show one per row.
STEP_LABELS = {
    "no_objectives": N_("No objectives"),
    "objectives_assigned": N_("Objectives drafted"),
    "sheet_issued": N_("Waiting for acknowledgement"),
    "acknowledged": N_("Objectives acknowledged"),
    "evaluation_open": N_("Evaluation open"),
    "rated": N_("Rated, review window open"),
    "review_requested": N_("Review requested"),
    "final": N_("Evaluation final"),
}
BAND_LABELS = {"low": _l("Low band"), "medium": _l("Medium band"), "high": _l("High band")}
BELOW_THRESHOLD = _l("below threshold (no bonus)")
GROUP_LABELS = {"staff": _l("Staff"), "managers": _l("Managers")}


def step_label(step: str) -> str:
    message = STEP_LABELS.get(step)
    return step if message is None else kept_gettext(message)


def band_label(code: str | None) -> str:
    return str(BAND_LABELS.get(code, code or ""))


def band_shown(code: str | None, score, bands) -> str:
    """A band as every page, PDF and export shows it: with "below threshold (no bonus)"
    when the score pays nothing (app.scoring.pays), which a band alone does not say
    (1.50 is in the medium band and pays nothing); empty before there is a band."""
    if code is None:
        return ""
    label = band_label(code)
    return label if pays(score, bands) else f"{label} – {BELOW_THRESHOLD}"


def evaluation_band(evaluation: Evaluation | None, bands=None) -> str:
    """band_shown of an evaluation, under the bands of the person's evaluation system
    unless given."""
    if evaluation is None:
        return ""
    if bands is None:
        bands = system_for_person(db.session.get(Cycle, evaluation.cycle_id),
                                  evaluation.user).bands
    return band_shown(evaluation.band, None if evaluation.not_evaluable else evaluation.score,
                      bands)


# --- cycles ------------------------------------------------------------------------------

def cycles(administration_id: int) -> list[Cycle]:
    return list(db.session.execute(
        select(Cycle).where(Cycle.administration_id == administration_id)
        .order_by(Cycle.year.desc())).scalars())


def pick_cycle(administration_id: int, year: int | None) -> Cycle | None:
    """The cycle of that year, or the most recent one."""
    return cycle_of_year(cycles(administration_id), year)


def cycle_of_year(found: list[Cycle], year: int | None) -> Cycle | None:
    """Among `found` (most recent first, as `cycles` lists them), the cycle of that year,
    or the most recent one."""
    if year is None:
        return found[0] if found else None
    return next((c for c in found if c.year == year), None)


def closed_cycles() -> list[Cycle]:
    return list(db.session.execute(
        select(Cycle).where(Cycle.status == CycleStatus.CLOSED.value)
        .order_by(Cycle.year.desc())).scalars())


def validated_public_report(cycle: Cycle) -> bytes | None:
    """The stored public version of the Report the OIV validated, if any."""
    return db.session.execute(
        select(ReportVersion.validated_public_pdf).where(
            ReportVersion.cycle_id == cycle.id,
            ReportVersion.status == ReportStatus.VALIDATED.value)
        .order_by(ReportVersion.number.desc()).limit(1)).scalar_one_or_none()


# --- where each person stands: app.services.reports.standing ----------------------------

def area_of(unit: OrgUnit | None) -> OrgUnit | None:
    while unit is not None and unit.kind != UnitKind.AREA.value:
        unit = unit.parent
    return unit


# --- scores, fund, payouts ---------------------------------------------------------------

def final_evaluations(cycle: Cycle) -> list[Evaluation]:
    return list(db.session.execute(
        select(Evaluation).where(Evaluation.cycle_id == cycle.id,
                                 Evaluation.status == EvaluationStatus.FINAL.value)
        .order_by(Evaluation.user_id)).scalars())


def group_of(user: User, system) -> str:
    """'managers' for a person of a managers' category, else 'staff': the same split
    as the reward pools (app.services.evaluation.rewards)."""
    category = system.categories.get(user.category)
    return "managers" if category is not None and category.manager else "staff"


def score_distribution(cycle: Cycle, group: str | None = None,
                       systems: Systems | None = None):
    """app.scoring's published table (counts and shares per score and band) over the
    final evaluations, of everyone or of one group of people (GROUP_LABELS); a person
    marked not evaluable counts without a score. Each person's group follows the
    categories of their own evaluation system; the bands are the ones the systems share.
    Everyone's table is counted by the database (a row per distinct score, at most a few
    hundred whatever the number of people): the dashboard asks for it at every visit,
    with the cycle's `systems` it has loaded already."""
    systems = systems or Systems.of_cycle(cycle)
    if group is None:
        score = case((Evaluation.not_evaluable, None), else_=Evaluation.score)
        rows = db.session.execute(
            select(score, func.count()).where(
                Evaluation.cycle_id == cycle.id,
                Evaluation.status == EvaluationStatus.FINAL.value).group_by(score))
        return counted_differentiation(rows, bands_of(cycle, systems))
    return differentiation(_final_scores_by_group(cycle, systems)[group], bands_of(cycle, systems))


def _final_scores_by_group(cycle: Cycle, systems: Systems | None = None) -> dict[str, list]:
    """Each group's final scores (None for a person not evaluable), from one read of
    four columns: the Report drawing its tables from each evaluation's person took
    seconds at a thousand people."""
    systems = systems or Systems.of_cycle(cycle)
    rows = db.session.execute(
        select(Evaluation.not_evaluable, Evaluation.score, User.category, User.unit_id)
        .join(User, User.id == Evaluation.user_id)
        .where(Evaluation.cycle_id == cycle.id, Evaluation.status == EvaluationStatus.FINAL.value))
    groups: dict[str, list] = {group: [] for group in GROUP_LABELS}
    for row in rows:
        groups[group_of(row, systems.of_person(row))].append(None if row.not_evaluable else row.score)
    return groups


def distributions_by_group(cycle: Cycle) -> list[tuple[str | None, object]]:
    """(group, table) for the staff and the managers, then (None, table) for everyone:
    differentiation is published per category as well as overall. One read for all."""
    bands, groups = bands_of(cycle), _final_scores_by_group(cycle)
    everyone = [score for group in GROUP_LABELS for score in groups[group]]
    return [(g, differentiation(groups[g], bands)) for g in GROUP_LABELS] + [
        (None, differentiation(everyone, bands))]


def group_label(group: str | None) -> str:
    return str(GROUP_LABELS.get(group, group)) if group else str(_l("Overall"))


def secretary_general_evaluation(cycle: Cycle) -> Evaluation | None:
    """The Board's final evaluation of the Secretary General."""
    return db.session.execute(
        select(Evaluation).where(Evaluation.cycle_id == cycle.id, Evaluation.evaluated_by_board,
                                 Evaluation.status == EvaluationStatus.FINAL.value)
    ).scalars().first()


@dataclass(frozen=True)
class Fund:
    pools: list[RewardPool]
    amount: Decimal
    distributed: Decimal
    remainder: Decimal


def fund(cycle: Cycle) -> Fund:
    pools = list(db.session.execute(
        select(RewardPool).where(RewardPool.cycle_id == cycle.id).order_by(RewardPool.group)
    ).scalars())
    return Fund(pools, sum((p.amount for p in pools), Decimal(0)),
                sum((p.distributed or Decimal(0) for p in pools), Decimal(0)),
                sum((p.remainder or Decimal(0) for p in pools), Decimal(0)))


def allocations(cycle: Cycle, user: User | None = None) -> list[RewardAllocation]:
    query = (select(RewardAllocation).join(RewardPool)
             .where(RewardPool.cycle_id == cycle.id).order_by(RewardPool.group,
                                                              RewardAllocation.user_id))
    if user is not None:
        query = query.where(RewardAllocation.user_id == user.id)
    return list(db.session.execute(query).scalars())


# --- open workflow tasks (read-only mirror of the engine's inbox) -----------------------

class StepName(NamedTuple):
    """A step as the inbox row names it (the page shows it in the reader's language)."""

    bpmn_id: str
    title: str


@dataclass
class TaskOverview:
    per_title: Counter
    per_unit: Counter
    late: Page


def _is_open(cycle: Cycle) -> tuple:
    from app.models.engine import HumanTask, TaskStatus

    return HumanTask.cycle_id == cycle.id, HumanTask.status == TaskStatus.OPEN.value


def open_task_counts(cycle: Cycle) -> tuple[Counter, Counter]:
    """Open human tasks of the cycle per step and per unit, from one GROUP BY."""
    from app.models.engine import HumanTask

    grouped = db.session.execute(
        select(HumanTask.bpmn_id, HumanTask.title, HumanTask.org_unit_id, func.count())
        .where(*_is_open(cycle))
        .group_by(HumanTask.bpmn_id, HumanTask.title, HumanTask.org_unit_id)).all()  # one pass
    names = dict(db.session.execute(select(OrgUnit.id, OrgUnit.name)).all())
    whole = str(_l("Whole administration"))
    per_title, per_unit = Counter(), Counter()
    for bpmn_id, title, unit_id, number in grouped:
        per_title[StepName(bpmn_id, title)] += number
        per_unit[names.get(unit_id, whole)] += number
    return per_title, per_unit


FIGURE_ROWS = 25  # rows of a table over the units or areas on the dashboard


@dataclass(frozen=True)
class Largest:
    """A table over units or areas cut to its largest rows: `rows` (name, value) in the
    order given when all fit, else the largest first; the `others` rows left out and
    their values summed in `rest` (None when nothing was left out)."""

    rows: list
    others: int
    rest: Counter | int | None


def largest(values: dict, limit: int | None = None, size=None) -> Largest:
    """At most `limit` rows of `values` (name -> a count, or a Counter whose `size` is
    its total): a ministry's seven hundred areas or three thousand units are not one
    table; the people list beside it filters by unit for the detail."""
    limit = FIGURE_ROWS if limit is None else limit
    if len(values) <= limit:
        return Largest(list(values.items()), 0, None)
    weight = size or (lambda value: value)
    ranked = sorted(values.items(), key=lambda item: (-weight(item[1]), item[0]))
    left_out = [value for _name, value in ranked[limit:]]
    rest = sum(left_out, Counter()) if isinstance(left_out[0], Counter) else sum(left_out)
    return Largest(ranked[:limit], len(left_out), rest)


def late_tasks(cycle: Cycle, late_page: int = 1) -> Page:
    """One page of the cycle's open tasks past their due date, with who holds them."""
    from app.models.engine import HumanTask

    return paginate(
        select(HumanTask).where(*_is_open(cycle), HumanTask.due_at < utcnow())
        .options(selectinload(HumanTask.assignee), selectinload(HumanTask.claimed_by))
        .order_by(HumanTask.due_at, HumanTask.id), late_page)


def open_tasks(cycle: Cycle, late_page: int = 1) -> TaskOverview:
    """Open human tasks of the cycle: counts per step and per unit (GROUP BY), and one
    page of the late ones with who holds them. Reads the human_task mirror only."""
    return TaskOverview(*open_task_counts(cycle), late_tasks(cycle, late_page))


# --- the plan with its results -----------------------------------------------------------

OUTCOME_LABELS = {"achieved": _l("Achieved"), "partly": _l("Partly achieved"),
                  "not_achieved": _l("Not achieved")}


def outcome_label(code: str | None) -> str:
    return str(OUTCOME_LABELS.get(code, "")) if code else ""


@dataclass(frozen=True)
class IndicatorRow:
    indicator: object
    achievement: Decimal | None
    outcome: str | None = None  # EvaluationSystem.outcomes: achieved, partly, not_achieved

    @property
    def deviation(self) -> Decimal | int | None:
        """Actual minus target: a number for numbers, days for dates (late is positive)."""
        actual, target = self.indicator.actual, self.indicator.target
        if actual is None or target is None or isinstance(actual, bool):
            return None
        if isinstance(actual, date) and isinstance(target, date):
            return (actual - target).days
        if isinstance(actual, Decimal) and isinstance(target, Decimal):
            return actual - target
        return None


@dataclass
class ObjectiveNode:
    objective: object
    achievement: Decimal | None
    indicators: list[IndicatorRow]
    children: list[ObjectiveNode]
    outcome: str | None = None


@dataclass
class AreaNode:
    area: object | None
    achievement: Decimal | None
    objectives: list[ObjectiveNode]


def _node(objective, result, keep, systems) -> ObjectiveNode | None:
    """An objective's node; its outcome labels by the limits of the system scoring it."""
    children = [n for n in (_node(c, result, keep, systems) for c in objective.children) if n]
    if not keep(objective) and not children:
        return None
    outcomes = systems.of_objective(objective).outcomes
    achievement = result.objective(objective.id)
    rows = [IndicatorRow(i, value, outcomes.of(value))
            for i, value in ((i, result.indicator(i.id)) for i in objective.indicators)]
    return ObjectiveNode(objective, achievement, rows, children, outcomes.of(achievement))


def objective_tree(cycle: Cycle, result, unit_ids: set[int] | None = None) -> list[AreaNode]:
    """The plan by strategic area, each objective with its indicators and achievements.
    With unit_ids only the objectives owned by those units (and their parents)."""
    plan = cycle.plan
    if plan is None:
        return []

    def keep(objective) -> bool:
        return unit_ids is None or objective.owner_unit_id in unit_ids

    top = [o for o in plan.objectives if o.parent_id is None]
    nodes, systems = [], Systems.of_cycle(cycle)
    for area in [*plan.areas, None]:
        members = [n for n in (_node(o, result, keep, systems) for o in top
                               if (o.area_id == area.id if area else o.area_id is None)) if n]
        if members:
            nodes.append(AreaNode(area, result.strategic_area(area.id) if area else None,
                                  members))
    return nodes


def tree_objectives(tree: list[AreaNode]) -> list[ObjectiveNode]:
    """Every objective node of the tree, parents before their children."""
    found, stack = [], [n for area in tree for n in area.objectives][::-1]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(node.children))
    return found
