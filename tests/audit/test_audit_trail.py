"""The audit trail detects what matters: an edited row, deleted rows below an anchor, a
chain rebuilt without the key (plain SHA-256 or another key), an edited anchor; rows
from before the key still verify; production needs the key; the tick anchors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app import audit, create_app
from app.extensions import db
from app.models.audit import KEYED, LEGACY, AuditEvent
from config import DEVELOPMENT_AUDIT_KEY, ProductionConfig


@pytest.fixture
def trail(app):
    """Five events, committed."""
    for number in range(5):
        audit.record("test.step", object_type="Thing", object_id=number, after={"n": number})
    db.session.commit()


def _verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def _anchor(app):
    result = app.test_cli_runner().invoke(args=["audit", "anchor"])
    assert result.exit_code == 0, result.output
    return result


def _last_id() -> int:
    return db.session.execute(select(func.max(AuditEvent.id))).scalar_one()


def _rebuild_chain(algorithm: str) -> None:
    """What a forger with database access does: recompute every hash (with whatever key
    the application is configured with now) and store it with plain SQL."""
    rows = db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
    for row in rows:
        db.session.expunge(row)
    previous = audit.GENESIS
    for row in rows:
        row.prev_hash, row.algorithm = previous, algorithm
        row.hash = audit._digest(row)
        db.session.execute(
            text("UPDATE audit_event SET prev_hash = :p, hash = :h, algorithm = :a WHERE id = :i"),
            {"p": row.prev_hash, "h": row.hash, "a": algorithm, "i": row.id})
        previous = row.hash
    db.session.commit()


def test_clean_trail_verifies_and_the_cli_exits_zero(app, trail):
    result = _verify(app)
    assert result.exit_code == 0, result.output
    assert "intact: 5 events checked" in result.output
    assert all(e.algorithm == KEYED for e in db.session.execute(select(AuditEvent)).scalars())


def test_an_edited_row_is_reported(app, trail):
    victim = _last_id() - 2
    db.session.execute(text("UPDATE audit_event SET after = :a WHERE id = :i"),
                       {"a": '{"n": 99}', "i": victim})
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert f"broken at event {victim}: content does not match its hash" in result.output


def test_deleting_the_last_row_after_an_anchor_is_reported(app, trail):
    _anchor(app)
    last = _last_id()
    db.session.execute(text("DELETE FROM audit_event WHERE id = :i"), {"i": last})
    db.session.commit()
    assert audit.verify().ok  # the chain alone cannot see a trailing deletion
    result = _verify(app)
    assert result.exit_code == 1
    assert f"the anchored event {last} was deleted" in result.output


def test_rows_deleted_below_an_anchor_are_counted(app, trail):
    _anchor(app)
    first = db.session.execute(select(func.min(AuditEvent.id))).scalar_one()
    db.session.execute(text("DELETE FROM audit_event WHERE id = :i"), {"i": first})
    db.session.commit()
    _rebuild_chain(KEYED)  # even an insider holding the key is caught by the anchor
    result = _verify(app)
    assert result.exit_code == 1
    assert "was changed or the chain rebuilt" in result.output


def test_a_chain_recomputed_with_plain_sha256_is_reported(app, trail):
    _anchor(app)
    db.session.execute(text("UPDATE audit_event SET after = :a WHERE id = :i"),
                       {"a": '{"n": 99}', "i": _last_id()})
    db.session.commit()
    _rebuild_chain(LEGACY)
    result = _verify(app)
    assert result.exit_code == 1
    assert "was changed or the chain rebuilt" in result.output


def test_a_legacy_row_after_keyed_rows_is_reported(app, trail):
    last = _last_id()
    row = db.session.get(AuditEvent, last)
    db.session.expunge(row)
    row.algorithm = LEGACY
    db.session.execute(text("UPDATE audit_event SET hash = :h, algorithm = :a WHERE id = :i"),
                       {"h": audit._digest(row), "a": LEGACY, "i": last})
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert f"broken at event {last}: unkeyed event after keyed ones" in result.output


def test_a_chain_recomputed_with_a_wrong_key_is_reported(app, trail):
    app.config["AUDIT_KEY"] = "a key the forger guessed"
    try:
        _rebuild_chain(KEYED)
    finally:
        app.config["AUDIT_KEY"] = DEVELOPMENT_AUDIT_KEY
    first = db.session.execute(select(func.min(AuditEvent.id))).scalar_one()
    result = _verify(app)
    assert result.exit_code == 1
    assert f"broken at event {first}: content does not match its hash" in result.output


def test_rows_written_before_the_key_still_verify(app, trail):
    _rebuild_chain(LEGACY)  # as the trail stood before the migration
    audit.record("test.after_upgrade", object_type="Thing", object_id=9)
    db.session.commit()
    algorithms = db.session.execute(
        select(AuditEvent.algorithm).order_by(AuditEvent.id)).scalars().all()
    assert algorithms == [LEGACY] * 5 + [KEYED]
    assert _verify(app).exit_code == 0


def test_an_edited_anchor_is_reported(app, trail):
    _anchor(app)
    path = Path(app.config["AUDIT_ANCHOR_PATH"])
    record = json.loads(path.read_text())
    record["count"] = 4
    path.write_text(json.dumps(record) + "\n")
    result = _verify(app)
    assert result.exit_code == 1
    assert "anchor line 1 is not signed with the audit key" in result.output


def test_engine_tick_anchors_at_most_once_per_interval(app, trail):
    runner = app.test_cli_runner()
    path = Path(app.config["AUDIT_ANCHOR_PATH"])
    assert "audit anchored" in runner.invoke(args=["engine", "tick"]).output
    audit.record("test.more", object_type="Thing", object_id=7)
    db.session.commit()
    assert "audit anchored" not in runner.invoke(args=["engine", "tick"]).output
    assert len(path.read_text().splitlines()) == 1
    app.config["AUDIT_ANCHOR_MINUTES"] = 0
    try:
        assert "audit anchored" in runner.invoke(args=["engine", "tick"]).output
    finally:
        app.config["AUDIT_ANCHOR_MINUTES"] = 60
    anchors = [json.loads(line) for line in path.read_text().splitlines()]
    assert [a["count"] for a in anchors] == [5, 6]
    assert _verify(app).exit_code == 0


def test_production_refuses_to_start_without_the_audit_key():
    class NoKey(ProductionConfig):
        AUDIT_KEY = ""

    with pytest.raises(RuntimeError, match="AUDIT_KEY"):
        create_app(NoKey)

    class DevelopmentKey(ProductionConfig):
        AUDIT_KEY = DEVELOPMENT_AUDIT_KEY

    with pytest.raises(RuntimeError, match="AUDIT_KEY"):
        create_app(DevelopmentKey)

    class WithKey(ProductionConfig):
        AUDIT_KEY = "a secret from the vault"
        SECRET_KEY = "s" * 48
        DATABASE_URL = SQLALCHEMY_DATABASE_URI = "sqlite://"
        PUBLIC_URL = "https://performance.example.it"

    assert create_app(WithKey).config["AUDIT_KEY"] == "a secret from the vault"
