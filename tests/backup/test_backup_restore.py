"""`flask backup` and `flask restore`: a database after a whole demo cycle comes back
identical, row by row, on SQLite and (on the PostgreSQL run) across engines, with the
same pages and an intact audit chain; damaged or misplaced archives are refused."""
from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit import record, verify
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.plan import Cycle, CycleStatus
from app.services.backup.archive import ArchiveError
from app.services.backup.backup import write_backup
from app.services.backup.restore import restore
from tests.backup.conftest import key_pages, other_database, snapshot
from tests.helpers import SUPPORT


def _restore_into(application, archive: Path, email: str, year: int, folder: Path):
    with application.app_context():
        restore(archive)
        db.session.remove()
        rows, chain = snapshot(), verify()
    return rows, chain, key_pages(application, email, year, folder)


def _cli_backup(application, path: Path):
    result = application.test_cli_runner().invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    return result


def test_a_backup_after_a_demo_cycle_restores_identically_across_engines(app, demo_cycle_run,
                                                                          tmp_path):
    year = db.session.scalar(select(Cycle.year).where(Cycle.status == CycleStatus.CLOSED.value))
    assert year == 2023 and "2023" in demo_cycle_run
    db.session.remove()
    source_pages = key_pages(app, SUPPORT, year, tmp_path)
    source_rows = snapshot()
    assert source_rows["report_version"] and source_rows["board_deliberation"]

    first = tmp_path / "first.zip"
    assert "Backup written" in _cli_backup(app, first).output
    with zipfile.ZipFile(first) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["tables"]["evaluation"] == len(source_rows["evaluation"])
    assert manifest["alembic_revision"] and manifest["product_version"]

    with other_database("sqlite") as sqlite_app:
        rows, chain, pages = _restore_into(sqlite_app, first, SUPPORT, year, tmp_path)
        assert chain.ok and chain.checked == len(source_rows["audit_event"])
        _assert_same_rows(rows, source_rows)
        assert pages == source_pages
        second = tmp_path / "second.zip"
        with sqlite_app.app_context():
            sqlite_rows = snapshot()
            _cli_backup(sqlite_app, second)

    server = os.environ.get("TEST_DATABASE_URL", "")
    if server.startswith("postgresql"):
        with other_database("postgresql", server) as pg_app:
            rows, chain, pages = _restore_into(pg_app, second, SUPPORT, year, tmp_path)
            assert chain.ok
            _assert_same_rows(rows, sqlite_rows)
            assert pages == source_pages
            with pg_app.app_context():  # sequences were reset: new rows get fresh ids
                highest = db.session.execute(select(func.max(AuditEvent.id))).scalar_one()
                assert highest >= len(sqlite_rows["audit_event"])
                record("backup.test")  # linked, and given its id, when read back
                newest = db.session.scalars(
                    select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
                assert (newest.action, newest.id) == ("backup.test", highest + 1)
                db.session.rollback()


def _assert_same_rows(actual: dict, expected: dict) -> None:
    """Table by table, the first differing row (a whole-database diff is unreadable)."""
    assert actual.keys() == expected.keys()
    for table, rows in expected.items():
        assert len(actual[table]) == len(rows), table
        for got, want in zip(actual[table], rows):
            assert got == want, (table, {k: (got[k], want[k]) for k in want if got[k] != want[k]})


@pytest.fixture
def small_archive(demo, tmp_path):
    path = tmp_path / "small.zip"
    write_backup(path)
    return path


def _rewrite(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            new.writestr(item.filename, change(item.filename, old.read(item.filename)))
    return target


def test_a_corrupted_archive_is_refused_before_anything_is_written(small_archive, tmp_path):
    def tamper(name, data):
        return data.replace(b"Torino", b"Milano") if name == "data/administration.jsonl" else data

    damaged = _rewrite(small_archive, tmp_path / "damaged.zip", tamper)
    with other_database("sqlite") as target, target.app_context():
        with pytest.raises(ArchiveError, match="checksum mismatch for data/administration.jsonl"):
            restore(damaged)
        assert not any(snapshot().values())
        result = target.test_cli_runner().invoke(args=["restore", str(damaged)])
        assert result.exit_code != 0 and "Restore refused: checksum mismatch" in result.output


def test_a_file_that_is_not_an_archive_is_refused(tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(ArchiveError, match="not a readable backup archive"):
        restore(junk)


def test_restore_refuses_a_database_that_is_not_empty(small_archive):
    with pytest.raises(ArchiveError, match="the database is not empty"):
        restore(small_archive)


def test_restore_refuses_an_archive_of_another_schema_revision(small_archive, tmp_path):
    def older(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["alembic_revision"] = "0006"
        return json.dumps(manifest).encode()

    other = _rewrite(small_archive, tmp_path / "older.zip", older)
    with other_database("sqlite") as target, target.app_context(), pytest.raises(
            ArchiveError, match=r"revision 0006.*flask db upgrade 0006"):
        restore(other)
