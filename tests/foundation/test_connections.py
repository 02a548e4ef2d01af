"""What every new database connection is set to: SQLite enforces foreign keys, and
PostgreSQL compiles no query with JIT, which cost the dashboard's counts over 25,000
people about 40 ms of compiling for 50 ms of work (app._set_up_connections). A pooled
connection is checked before use only after it sat idle (app.ping_when_idle)."""
import time

import pytest
from sqlalchemy import create_engine, text

from app import ping_when_idle
from app.extensions import db


def _fresh(statement: str):
    """The setting as a connection the pool has just opened sees it, after a rollback
    (the pool's reset on return), which must not undo it."""
    db.engine.dispose()
    with db.engine.connect() as connection:
        connection.connection.rollback()
        return connection.execute(text(statement)).scalar()


def test_each_connection_has_the_settings_the_application_relies_on(is_postgres):
    if is_postgres:
        assert _fresh("SHOW jit") == "off"
    else:
        assert _fresh("PRAGMA foreign_keys") == 1


def _engine(seconds: float):
    """An engine of its own on the test database, checking connections idle `seconds`."""
    engine = create_engine(db.engine.url)
    ping_when_idle(engine, seconds)
    return engine


def _pings(monkeypatch, engine) -> list:
    calls = []
    original = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping",
                        lambda connection: calls.append(connection) or original(connection))
    return calls


def test_a_connection_returned_within_the_limit_is_used_without_a_ping(monkeypatch):
    engine = _engine(3600)
    pings = _pings(monkeypatch, engine)
    try:
        for _ in range(3):
            with engine.connect() as connection:
                assert connection.execute(text("SELECT 1")).scalar() == 1
        assert pings == []
    finally:
        engine.dispose()


def test_a_connection_idle_past_the_limit_is_pinged_first(monkeypatch):
    engine = _engine(0.05)
    pings = _pings(monkeypatch, engine)
    try:
        with engine.connect() as connection:  # new: nothing to check
            connection.execute(text("SELECT 1"))
        assert pings == []
        time.sleep(0.1)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
        assert len(pings) == 1
    finally:
        engine.dispose()


def test_a_connection_the_server_dropped_while_idle_is_replaced_unseen(is_postgres):
    if not is_postgres:
        pytest.skip("SQLite has no server to drop a connection")
    engine = _engine(0.05)
    try:
        with engine.connect() as connection:
            dropped = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        with db.engine.connect() as other:
            assert other.execute(text("SELECT pg_terminate_backend(:pid)"),
                                 {"pid": dropped}).scalar() is True
        time.sleep(0.1)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar() != dropped
    finally:
        engine.dispose()


def test_the_application_checks_its_connections_when_idle(app, monkeypatch):
    assert "pool_pre_ping" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    pings = _pings(monkeypatch, db.engine)
    db.session.commit()
    db.session.execute(text("SELECT 1"))  # taken again at once: trusted
    db.session.commit()
    assert pings == []
