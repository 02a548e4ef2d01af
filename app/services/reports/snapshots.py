"""The cycle dashboard's figures over everyone, kept for a few seconds and shared by
every app server. At 25,000 people the people per step and area, the distribution of
scores, the open tasks per step and unit and the achievements with their explanations
cost about 150 ms of a core, and the charts 0.3-0.5 s each (the first ones a process
draws, about 2 s): the support unit reloads the dashboard all day, and no reader should
wait for them. They are kept in one row per cycle and language, so every server shows
the same figures, and the page says when they were drawn.

A visit finding them older than DASHBOARD_FIGURES_SECONDS, or drawn on an earlier day
(lateness counts from today), shows the kept ones and says newer ones are being drawn;
they are drawn after its response is sent (`later`), by that server alone: on
PostgreSQL the drawing server holds the kept row's lock until it keeps the new
figures, and a server finding it locked, or the figures fresh once it holds the lock,
leaves them. The first visit of a cycle in a language says they are being drawn.
With 0 seconds nothing is kept: every visit draws them, before its page.

A kept row is a cache, not a record: nothing is audited, a row is replaced in place
(the later drawing wins, whichever commits first), and one that cannot be written (the
database busy) is drawn again by a later visit."""
from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
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
    parts: Parts | None  # None: none kept yet, being drawn
    computed_at: datetime | None
    kept: bool  # False: drawn for this visit only (keeping is off)
    redrawing: bool = False  # older than the seconds configured: newer ones being drawn


Draw = Callable[[Cycle], Parts]


def _of_today(row: DashboardSnapshot | None, now: datetime) -> bool:
    return row is not None and row.computed_at.date() == now.date()


def _fresh(row: DashboardSnapshot | None, now: datetime, max_age: int) -> bool:
    return _of_today(row, now) and now - row.computed_at < timedelta(seconds=max_age)


def _kept_row(cycle_id: int, locale: str, lock: bool = False) -> DashboardSnapshot | None:
    stmt = select(DashboardSnapshot).where(DashboardSnapshot.cycle_id == cycle_id,
                                           DashboardSnapshot.locale == locale)
    if lock:
        stmt = stmt.with_for_update(skip_locked=True).execution_options(populate_existing=True)
    return db.session.execute(stmt).scalar()


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
    except OperationalError:  # a busy database: a later visit draws them again
        db.session.rollback()


def _shown(row: DashboardSnapshot, redrawing: bool = False) -> Snapshot:
    return Snapshot(json.loads(row.payload), row.computed_at, kept=True, redrawing=redrawing)


def figures(cycle: Cycle, locale: str, draw: Draw, max_age: int,
            later: Callable[[Callable[[], None]], None]) -> Snapshot:
    """The parts `draw(cycle)` returns (names to HTML or numbers) as kept, drawn at most
    `max_age` seconds ago today in this language; else the kept ones (or none yet),
    drawn again by `later`, which runs its argument after the response. With
    `max_age` 0, drawn now and not kept."""
    now = clock.now()
    if max_age <= 0:
        return Snapshot(draw(cycle), now, kept=False)
    row = _kept_row(cycle.id, locale)
    if _fresh(row, now, max_age):
        return _shown(row)
    cycle_id = cycle.id
    later(lambda: redraw(cycle_id, locale, draw, max_age))
    return Snapshot(None, None, kept=True, redrawing=True) if row is None \
        else _shown(row, redrawing=True)


def _first_drawing_lock(cycle_id: int, locale: str) -> bool:
    """With no row to lock yet, PostgreSQL's lock on the (cycle, language) pair for this
    transaction, taken without waiting: whether this server got it."""
    return bool(db.session.scalar(select(func.pg_try_advisory_xact_lock(
        first_drawing_key(cycle_id, locale)))))


def first_drawing_key(cycle_id: int, locale: str) -> int:
    return zlib.crc32(f"dashboard_snapshot:{cycle_id}:{locale}".encode()) & 0x7FFFFFFF


def redraw(cycle_id: int, locale: str, draw: Draw, max_age: int) -> bool:
    """Draw and keep the figures unless they are fresh or another server is drawing
    them; whether they were drawn."""
    now = clock.now()
    postgresql = db.engine.dialect.name == "postgresql"
    row = _kept_row(cycle_id, locale, lock=postgresql)  # the lock held until they are kept
    if row is None and postgresql and (_kept_row(cycle_id, locale) is not None
                                       or not _first_drawing_lock(cycle_id, locale)):
        db.session.rollback()  # kept and locked, or none kept: another server draws them
        return False
    if _fresh(row, now, max_age):
        db.session.rollback()
        return False
    cycle = db.session.get(Cycle, cycle_id)
    if cycle is None:
        return False
    _keep(cycle, locale, draw(cycle), now)
    return True
