"""Load an archive into an empty database of either engine.

Rows go in foreign-key order (metadata.sorted_tables). A foreign key that points at the
same table (OrgUnit.parent_id, Objective.parent_id) or at a table restored later (the
cycle OrgUnit.head_id -> User) is inserted empty and filled by a second pass once every
row exists, so neither engine needs deferrable constraints. Everything happens in one
transaction: a failed restore leaves the database empty."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from sqlalchemy import JSON, bindparam, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.services.backup.archive import (
    FORMAT,
    MANIFEST,
    ArchiveError,
    decode,
    member_name,
    sha256_of_member,
    storage_type,
)
from app.services.backup.backup import current_revision

_BATCH = 500


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise ArchiveError("the archive has no readable manifest.json: it is not a backup "
                           "made by `flask backup`, or it is damaged") from exc
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"unknown archive format {manifest.get('format')!r}")
    return manifest


def verify_members(archive: zipfile.ZipFile, manifest: dict) -> None:
    """Refuse an archive whose members differ from the checksums of its manifest."""
    names = set(archive.namelist()) - {MANIFEST}
    if names != set(manifest["members"]):
        raise ArchiveError("the archive's files do not match its manifest")
    for name, expected in manifest["members"].items():
        try:
            actual = sha256_of_member(archive, name)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ArchiveError(f"{name} cannot be read: the archive is damaged") from exc
        if actual != expected:
            raise ArchiveError(f"checksum mismatch for {name}: the archive is damaged or "
                               "was altered")


def _check_target(manifest: dict) -> None:
    revision = current_revision(db.session.connection())
    wanted = manifest["alembic_revision"]
    if revision != wanted:
        raise ArchiveError(
            f"the archive was made at schema revision {wanted}, this database is at "
            f"{revision or 'no revision'}: create an empty database and run "
            f"`flask db upgrade {wanted}` first")
    for table in db.metadata.sorted_tables:
        if db.session.execute(select(func.count()).select_from(table)).scalar_one():
            raise ArchiveError(f"the database is not empty (table {table.name} has rows): "
                               "restore only into an empty database")


def _deferred_columns(table, restored: set[str]) -> list:
    """Foreign-key columns whose target rows may not exist yet when `table` is loaded."""
    deferred = []
    for column in table.columns:
        targets = {fk.column.table.name for fk in column.foreign_keys}
        if targets and not targets <= restored:
            if not column.nullable:
                raise ArchiveError(f"{table.name}.{column.name} cannot be restored in two passes")
            deferred.append(column)
    return deferred


def _insert_statement(table, kinds):
    """An INSERT whose parameters carry the storage types (JSON None as SQL NULL)."""
    values = {}
    for column, kind in zip(table.columns, kinds):
        if isinstance(kind, JSON):
            kind = JSON(none_as_null=True)
        values[column.name] = bindparam(column.name, type_=kind)
    return table.insert().values(values)


def _load_table(archive, table, deferred, later: list) -> int:
    kinds = [storage_type(c) for c in table.columns]
    statement = _insert_statement(table, kinds)
    key = table.primary_key.columns.values()[0]
    count, batch = 0, []
    with archive.open(member_name(table)) as stream:
        for line in stream:
            record = json.loads(line)
            row = {c.name: decode(kind, record.get(c.name)) for c, kind in zip(table.columns, kinds)}
            for column in deferred:
                if row[column.name] is not None:
                    later.append((table, key, row[key.name], column, row[column.name]))
                    row[column.name] = None
            batch.append(row)
            if len(batch) >= _BATCH:
                db.session.execute(statement, batch)
                count, batch = count + len(batch), []
    if batch:
        db.session.execute(statement, batch)
    return count + len(batch)


def _reset_sequences() -> None:
    """PostgreSQL hands out ids from sequences that the inserted ids did not advance."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if column.autoincrement is False:
                continue
            db.session.execute(text(
                "SELECT setval(pg_get_serial_sequence(:t, :c), "
                f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false) '
                "WHERE pg_get_serial_sequence(:t, :c) IS NOT NULL"
            ), {"t": f'"{table.name}"', "c": column.name})


def restore(path: str | Path) -> dict:
    """Restore the archive at `path`; return its manifest. Raises ArchiveError."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(f"{path} is not a readable backup archive ({exc})") from exc
    with archive:
        manifest = read_manifest(archive)
        verify_members(archive, manifest)
        _check_target(manifest)
        restored, later = set(), []
        try:
            for table in db.metadata.sorted_tables:
                if table.name not in manifest["tables"]:
                    raise ArchiveError(f"the archive has no table {table.name}")
                count = _load_table(archive, table, _deferred_columns(table, restored), later)
                if count != manifest["tables"][table.name]:
                    raise ArchiveError(f"{table.name}: {count} rows read, the manifest says "
                                       f"{manifest['tables'][table.name]}")
                restored.add(table.name)
            for table, key, ident, column, value in later:
                db.session.execute(
                    table.update().where(key == ident).values({column.name: value}))
            _reset_sequences()
            db.session.commit()
        except (ArchiveError, SQLAlchemyError):
            db.session.rollback()
            raise
    return manifest
