"""Read-only queries behind the task inbox. They run on the human_task table only (see
its inbox indexes), never on workflow state.

Three views: `mine` (assigned to me, or pooled tasks I claimed), `pool` (pooled tasks of
my roles within my scope, claimed or not) and `escalated` (overdue tasks escalated to
me). A task about me is in none of them (app.services.tasks.subjects). Every view sorts
by due date, tasks without one last."""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from math import ceil

from flask import g, has_request_context
from sqlalchemy import Integer, and_, bindparam, false, func, or_, select, true
from sqlalchemy.orm import joinedload

from app.engine import clock
from app.engine.assignment import UNIT_SCOPED
from app.extensions import db
from app.models.engine import HumanTask, TaskStatus
from app.models.org import Role, User
from app.services.org import unit_search
from app.services.org.permissions import headed_units
from app.services.tasks.subjects import not_about_self_clause, not_about_self_of

VIEWS = ("mine", "pool", "escalated")
# Lanes that always resolve to one person (see app.engine.assignment).
NEVER_POOLED = frozenset({Role.EMPLOYEE.value, Role.EVALUATOR.value})
PAGE_SIZE = 25
# Written into the SQL, not bound: PostgreSQL matches a partial index's condition
# (ix_human_task_open_pool) only against constants, even in a prepared statement's plan.
IS_OPEN = HumanTask.status == bindparam("open", TaskStatus.OPEN.value, literal_execute=True)


@dataclass(frozen=True)
class Filters:
    cycle_id: int | None = None
    unit_id: int | None = None
    task_type: str | None = None
    overdue: bool = False
    unit_text: str = ""  # a search of the units (app.services.org.unit_search)


@dataclass(frozen=True)
class Page:
    items: list[HumanTask]
    total: int
    number: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / PAGE_SIZE))


# What the statement of _totals is built with, once per shape of the user's roles: the
# user's id and units are bound at each execution (see _totals_statement).
_ME = bindparam("me", type_=Integer)
_HEADED = bindparam("headed", expanding=True)


def _pooled(user: User) -> tuple[str, ...]:
    """The user's roles whose tasks may wait in the pool."""
    return tuple(sorted(user.roles - NEVER_POOLED))


def _pool_of(pooled: tuple[str, ...], headed):
    """The conditions of the partial pool index (open, unassigned) and an IN on the role,
    its first column, so that the planner walks it; the unit scope of Manager and
    Supervisor tasks is a filter on what it finds there. `headed`: the units the user
    heads, or _HEADED standing for them (never empty)."""
    if not pooled:
        return false()
    scoped = [r for r in pooled if r in UNIT_SCOPED]
    conditions = [HumanTask.role.in_(pooled), HumanTask.assignee_id.is_(None)]
    if scoped:
        conditions.append(or_(
            HumanTask.role.not_in(scoped), HumanTask.org_unit_id.is_(None),
            HumanTask.org_unit_id.in_(headed) if headed is _HEADED or headed else false(),
        ))
    return and_(*conditions)


def _view_of(view: str, me, pooled: tuple[str, ...], headed):
    """A view's condition for the user whose id is `me` (a value or _ME)."""
    if view == "mine":
        return or_(HumanTask.assignee_id == me, HumanTask.claimed_by_id == me)
    if view == "pool":
        return _pool_of(pooled, headed)
    if view == "escalated":
        return HumanTask.escalated_to_id == me
    raise ValueError(view)


def _headed_if_scoped(user: User, pooled: tuple[str, ...]) -> set[int]:
    """The units the user heads, read only when a pooled role is scoped by them."""
    return headed_units(user) if UNIT_SCOPED.intersection(pooled) else set()


def _view_clause(view: str, user: User):
    pooled = _pooled(user)
    headed = _headed_if_scoped(user, pooled) if view == "pool" else set()
    return _view_of(view, user.id, pooled, headed)


def _filtered(view: str, user: User, filters: Filters):
    conditions = [IS_OPEN, _view_clause(view, user),
                  not_about_self_clause(user)]
    if filters.cycle_id:
        conditions.append(HumanTask.cycle_id == filters.cycle_id)
    if filters.unit_id:
        conditions.append(HumanTask.org_unit_id == filters.unit_id)
    if filters.unit_text:
        conditions.append(unit_search.within_searched(HumanTask.org_unit_id, filters.unit_text))
    if filters.task_type:
        conditions.append(HumanTask.bpmn_id == filters.task_type)
    if filters.overdue:
        conditions.append(HumanTask.due_at < clock.now())
    return conditions


def page(view: str, user: User, filters: Filters, number: int = 1) -> Page:
    conditions = _filtered(view, user, filters)
    if filters == Filters():  # the unfiltered view: its total is one of the counts
        total = _totals(user)["pool_all" if view == "pool" else view]
    else:
        total = db.session.scalar(select(func.count(HumanTask.id)).where(*conditions))
    number = max(1, min(number, max(1, ceil(total / PAGE_SIZE))))
    order = (HumanTask.due_at.asc().nulls_last(), HumanTask.id)
    # The page's ids first, then its rows: the ids come from the pool index alone (sorted
    # there even across several roles), so only the page's 25 rows are read from the table.
    ids = (select(HumanTask.id).where(*conditions).order_by(*order)
           .limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE))
    items = db.session.execute(
        select(HumanTask).where(HumanTask.id.in_(ids.scalar_subquery()))
        # Joined: the ids are already limited to the page, so its people and units come
        # with its rows in the same statement.
        .options(joinedload(HumanTask.subject), joinedload(HumanTask.org_unit),
                 joinedload(HumanTask.claimed_by))
        .order_by(*order)
    ).scalars().all()
    return Page(items, total, number)


def task_types(view: str, user: User, filters: Filters) -> list[tuple[str, str]]:
    """(bpmn id, title) of the task kinds in the view, for the type filter."""
    conditions = _filtered(view, user, replace(filters, task_type=None))
    rows = db.session.execute(
        select(HumanTask.bpmn_id, func.min(HumanTask.title)).where(*conditions)
        .group_by(HumanTask.bpmn_id).order_by(func.min(HumanTask.title))
    )
    return [(bpmn_id, title) for bpmn_id, title in rows]


@lru_cache(maxsize=64)
def _totals_statement(pooled: tuple[str, ...], heads_units: bool):
    """The statement of _totals for users with these pooled roles (heading units or not),
    built once: building it cost about as much as running it, on every page (the
    navigation's badge). One aggregate per view, each on its own index, cross-joined
    into one row (one OR over the views instead made PostgreSQL visit the table pages of
    every view at once)."""
    headed = _HEADED if heads_units else ()

    def aggregate(view: str, *counts):
        return (select(*counts).where(IS_OPEN, _view_of(view, _ME, pooled, headed),
                                      not_about_self_of(_ME))
                .subquery(view))

    mine = aggregate("mine", func.count().label("n"))
    pool = aggregate("pool", func.count().filter(HumanTask.claimed_by_id.is_(None))
                     .label("unclaimed"), func.count().label("n"))
    escalated = aggregate("escalated", func.count().label("n"))
    return (select(mine.c.n, pool.c.unclaimed, pool.c.n, escalated.c.n)
            .select_from(mine).join(pool, true()).join(escalated, true()))


def _totals(user: User) -> dict[str, int]:
    """Every count the inbox and the navigation badge show, in one statement
    (_totals_statement); computed once per request (outside a request, at every call).
    `pool` counts the unclaimed tasks, `pool_all` the claimed ones too (the pool view's
    total)."""
    cache = g.setdefault("inbox_totals", {}) if has_request_context() else {}
    if user.id not in cache:
        pooled = _pooled(user)
        headed = _headed_if_scoped(user, pooled)
        parameters = {"me": user.id, **({"headed": sorted(headed)} if headed else {})}
        row = db.session.execute(_totals_statement(pooled, bool(headed)), parameters).one()
        cache[user.id] = dict(zip(("mine", "pool", "pool_all", "escalated"), row, strict=True))
    return cache[user.id]


def counts(user: User, views=VIEWS) -> dict[str, int]:
    """Open tasks per view; for the pool only those nobody has claimed yet."""
    totals = _totals(user)
    return {view: totals[view] for view in views}


def badge_count(user: User) -> int:
    """What the navigation bar shows: my tasks plus unclaimed tasks of my roles."""
    totals = _totals(user)
    return totals["mine"] + totals["pool"]
