"""The cycle dashboard's figures over everyone, kept for a few seconds and shared by
every app server. At 25,000 people the people per step and area, the distribution of
scores, the open tasks per step and unit and the achievements with their explanations
cost about 150 ms of a core, and the support unit reloads the dashboard all day: under
load they took half of the app servers' time. They are drawn by whichever request finds
them older than DASHBOARD_FIGURES_SECONDS (or drawn on an earlier day: lateness counts
from today) and kept in one row per cycle and language, so every server shows the same
figures (while one server draws them again, on PostgreSQL, the others show the ones
being replaced instead of drawing them too). The page says when they were drawn.
With 0 seconds nothing is kept: every visit draws them.

A kept row is a cache, not a record: nothing is audited, a row is replaced in place
(the later drawing wins, whichever commits first), and one that cannot be written (the
database busy) leaves the figures just drawn on the page."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError

from app.engine import clock
from app.extensions import db
from app.models.cycle import DashboardSnapshot
from app.models.plan import Cycle

Parts = dict[str, str | int]


@dataclass(frozen=True)
class Snapshot:
    parts: Parts
    computed_at: datetime
    kept: bool  # False: drawn for this visit only (keeping is off)


def _of_today(row: DashboardSnapshot | None, now: datetime) -> bool:
    return row is not None and row.computed_at.date() == now.date()


def _fresh(row: DashboardSnapshot | None, now: datetime, max_age: int) -> bool:
    return _of_today(row, now) and now - row.computed_at < timedelta(seconds=max_age)


def _drawn_elsewhere(row: DashboardSnapshot | None, now: datetime) -> bool:
    """On PostgreSQL, whether another server is drawing the figures now (it holds the
    row's lock until it keeps them): this visit shows the ones it replaces, when they
    are today's, instead of drawing them too. Otherwise this visit holds the lock."""
    if not _of_today(row, now) or db.engine.dialect.name != "postgresql":
        return False
    return db.session.execute(select(DashboardSnapshot.id).where(DashboardSnapshot.id == row.id)
                              .with_for_update(skip_locked=True)).scalar() is None


def _keep(cycle: Cycle, locale: str, parts: Parts, now: datetime) -> None:
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(DashboardSnapshot).values(cycle_id=cycle.id, locale=locale, computed_at=now,
                                            payload=json.dumps(parts))
    try:
        db.session.execute(stmt.on_conflict_do_update(
            index_elements=[DashboardSnapshot.cycle_id, DashboardSnapshot.locale],
            set_={"computed_at": stmt.excluded.computed_at, "payload": stmt.excluded.payload},
            where=DashboardSnapshot.computed_at < stmt.excluded.computed_at))
        db.session.commit()
    except OperationalError:  # a busy database: the page still shows what was drawn
        db.session.rollback()


def figures(cycle: Cycle, locale: str, draw: Callable[[], Parts], max_age: int) -> Snapshot:
    """The parts `draw` returns (names to HTML or numbers), as drawn at most `max_age`
    seconds ago today in this language, or drawn now (and kept when max_age > 0)."""
    now = clock.now()
    if max_age <= 0:
        return Snapshot(draw(), now, kept=False)
    row = db.session.execute(select(DashboardSnapshot).where(
        DashboardSnapshot.cycle_id == cycle.id, DashboardSnapshot.locale == locale)).scalar()
    if _fresh(row, now, max_age) or _drawn_elsewhere(row, now):
        return Snapshot(json.loads(row.payload), row.computed_at, kept=True)
    parts = draw()
    _keep(cycle, locale, parts, now)
    return Snapshot(parts, now, kept=True)
