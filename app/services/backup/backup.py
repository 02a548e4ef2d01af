"""Write the whole database to one archive (see archive.py for the format)."""
from __future__ import annotations

import json
import os
import zipfile
from importlib import metadata
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, type_coerce

from app.extensions import db
from app.models.types import utcnow
from app.services.backup.archive import (
    FORMAT,
    MANIFEST,
    HashingWriter,
    encode,
    member_name,
    storage_type,
)

_BATCH = 500


def product_version() -> str:
    try:
        return metadata.version("performance-cycle")
    except metadata.PackageNotFoundError:
        return "unknown"


def current_revision(connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _dump_table(connection, table, stream) -> int:
    """Write the rows of `table` in primary-key order as JSON lines; return their count."""
    kinds = [storage_type(c) for c in table.columns]
    query = select(*[type_coerce(c, kind).label(c.name) for c, kind in zip(table.columns, kinds)])
    query = query.order_by(*table.primary_key.columns).execution_options(yield_per=_BATCH)
    count = 0
    for row in connection.execute(query):
        record = {c.name: encode(kind, value) for c, kind, value in zip(table.columns, kinds, row)}
        stream.write(json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
        count += 1
    return count


def write_backup(path: str | Path) -> dict:
    """Write the archive to `path` (through a temporary file, so that a failed backup
    never leaves a truncated archive under the final name); return its manifest."""
    path = Path(path)
    # Its own connection and one snapshot for every table, while the application writes.
    isolation = "REPEATABLE READ" if db.engine.dialect.name == "postgresql" else None
    with db.engine.connect() as connection:
        if isolation:
            connection = connection.execution_options(isolation_level=isolation)
        with connection.begin():
            manifest = _write(connection, path)
    return manifest


def _write(connection, path: Path) -> dict:
    partial = path.with_name(path.name + ".partial")
    manifest = {
        "format": FORMAT,
        "product_version": product_version(),
        "alembic_revision": current_revision(connection),
        "created_at": utcnow().isoformat(),
        "source_engine": db.engine.dialect.name,
        "tables": {},
        "members": {},
    }
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in db.metadata.sorted_tables:
            name = member_name(table)
            with archive.open(name, "w", force_zip64=True) as raw:
                writer = HashingWriter(raw)
                rows = _dump_table(connection, table, writer)
            manifest["tables"][table.name] = rows
            manifest["members"][name] = writer.sha256.hexdigest()
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
    os.replace(partial, path)
    return manifest
