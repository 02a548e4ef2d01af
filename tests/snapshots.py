"""Database snapshots of the expensive shared fixtures (the demo administration, the
evaluated cycle of the report tests).

The first test that asks for a fixture builds it with the real loaders, through the
services, as before; its rows are then read back, table by table, and kept in memory.
Every later test gets the same rows written back with one multi-row INSERT per table
into its empty database, instead of running the loaders again. The rows are exactly
what the loaders wrote (ids, hashes of the audit chain, timestamps), so a test cannot
tell the two apart, except that the timestamps are those of the first build."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, insert, select, text

from app.extensions import db


@dataclass(frozen=True)
class _Snapshot:
    rows: dict[str, list[dict]]
    result: tuple[type, object] | None


# Keyed by the fixture's name and the row counts of the database it was built on: a
# snapshot is written back only over the same starting state (for the report cycle: the
# demo administration and nothing else), never over rows another fixture added first.
_SNAPSHOTS: dict[tuple[str, tuple[int, ...]], _Snapshot] = {}


def _read() -> dict[str, list[dict]]:
    return {table.name: [dict(row._mapping) for row in db.session.execute(select(table))]
            for table in db.metadata.sorted_tables}


def _counts() -> tuple[int, ...]:
    counts = [select(func.count()).select_from(table).scalar_subquery()
              for table in db.metadata.sorted_tables]
    return tuple(db.session.execute(select(*counts)).one())


def _write(rows: dict[str, list[dict]]) -> None:
    """Empty the database and insert the rows with the foreign-key checks off (the
    organisation refers to its heads and they to it), then move each PostgreSQL
    sequence past the ids written."""
    db.session.rollback()
    wipe()
    postgres = db.engine.dialect.name == "postgresql"
    db.session.execute(text("SET LOCAL session_replication_role = replica" if postgres
                            else "PRAGMA defer_foreign_keys = ON"))
    for table in db.metadata.sorted_tables:
        if rows[table.name]:
            db.session.execute(insert(table), rows[table.name])
    if postgres:
        for table in db.metadata.sorted_tables:
            if rows[table.name] and "id" in table.c and table.c.id.autoincrement:
                db.session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                    f"(SELECT max(id) FROM \"{table.name}\"))"))
    db.session.commit()


def wipe() -> None:
    """Empty every table (the state each test starts from)."""
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        db.session.execute(text("PRAGMA foreign_keys=OFF"))
        for table in tables:
            db.session.execute(table.delete())
        db.session.execute(text("PRAGMA foreign_keys=ON"))
    db.session.commit()


def cached(name: str, build: Callable[[], object]):
    """The fixture `name`: built by `build` the first time on a given starting state,
    written back afterwards. `build` returns an ORM object (or None), returned again on
    each use; it is committed here."""
    db.session.commit()
    key = (name, _counts())
    snapshot = _SNAPSHOTS.get(key)
    if snapshot is None:
        result = build()
        db.session.commit()
        identity = None if result is None else (type(result), db.inspect(result).identity[0])
        _SNAPSHOTS[key] = _Snapshot(_read(), identity)
        return result
    _write(snapshot.rows)
    db.session.expire_all()
    return None if snapshot.result is None else db.session.get(*snapshot.result)
