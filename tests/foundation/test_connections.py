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


# --- how an application context ends its transaction (app._end_reading_with_commit) ------

def _ends(app, work) -> list[str]:
    """How the transaction of an application context doing `work` ended on the
    connection: "commit" or "rollback", as the engine saw it."""
    from sqlalchemy import event

    ends = []

    def _commit(_connection):
        ends.append("commit")

    def _rollback(_connection):
        ends.append("rollback")

    db.session.remove()  # the test's own session holds no connection meanwhile
    event.listen(db.engine, "commit", _commit)
    event.listen(db.engine, "rollback", _rollback)
    try:
        with app.app_context():
            work()
    except RuntimeError:
        ends.append("raised")
    finally:
        event.remove(db.engine, "commit", _commit)
        event.remove(db.engine, "rollback", _rollback)
    return ends


def _read():
    db.session.execute(text("SELECT count(*) FROM administration")).scalar()


def _administrations() -> int:
    db.session.remove()
    return db.session.execute(text("SELECT count(*) FROM administration")).scalar()


def test_a_context_that_only_read_commits_on_postgresql_and_rolls_back_on_sqlite(app, is_postgres):
    assert _ends(app, _read) == (["commit"] if is_postgres else ["rollback"])


def test_a_context_that_wrote_and_did_not_commit_is_rolled_back(app):
    from app.models.org import Administration

    def _write_without_committing():
        db.session.add(Administration(name="Scritta", code="W1"))
        db.session.flush()

    assert _ends(app, _write_without_committing) == ["rollback"]
    assert _administrations() == 0


def test_a_statement_written_by_hand_and_not_committed_is_rolled_back(app):
    """A write sent as text, not as ORM changes, after reads: the transaction is known
    to have written (without asking the server) and is rolled back."""
    def _update_by_hand():
        _read()
        db.session.execute(text("  update administration set name = 'Cambiata'"))
        _read()

    def _insert_by_hand():
        db.session.execute(text("INSERT INTO administration (name, code, is_demo) VALUES ('A mano', 'W4', false)"))

    assert _ends(app, _update_by_hand) == ["rollback"]
    assert _ends(app, _insert_by_hand) == ["rollback"]
    assert _administrations() == 0


def test_a_copy_sent_to_the_driver_and_not_committed_is_rolled_back(app):
    """app.services.bulk writes with COPY on PostgreSQL, past SQLAlchemy's events."""
    from app.models.org import Administration
    from app.services.bulk import insert_rows

    def _copy_only():
        _read()
        insert_rows(Administration.__table__, [{"id": 901, "name": "Copiata", "code": "W5", "is_demo": False}])

    assert _ends(app, _copy_only) == ["rollback"]
    assert _administrations() == 0


def test_reads_written_in_lower_case_or_indented_still_end_with_a_commit(app, is_postgres):
    def _reads():
        db.session.execute(text("\n   select count(*) from administration")).scalar()
        db.session.execute(text("SELECT 1")).scalar()

    assert _ends(app, _reads) == (["commit"] if is_postgres else ["rollback"])


def test_a_recursive_read_is_a_read_and_a_writing_with_is_a_write(app, is_postgres):
    def _recursive_read():
        db.session.execute(text(
            "WITH RECURSIVE up(n) AS (SELECT 1 UNION SELECT n + 1 FROM up WHERE n < 3) "
            "SELECT count(*) FROM up")).scalar()

    def _writing_with():
        db.session.execute(text(
            "WITH made AS (INSERT INTO administration (name, code, is_demo) "
            "VALUES ('Da WITH', 'W6', false) RETURNING id) SELECT count(*) FROM made")).scalar()

    assert _ends(app, _recursive_read) == (["commit"] if is_postgres else ["rollback"])
    if is_postgres:  # SQLite has no data-modifying WITH
        assert _ends(app, _writing_with) == ["rollback"]
        assert _administrations() == 0


def test_the_pages_people_open_most_end_with_a_commit(app, demo, client, is_postgres):
    """A manager's home, inbox, own page and team page only read: on PostgreSQL each
    ends with COMMIT, which keeps the prepared statements (their navigation reads the
    units the manager heads with a recursive WITH)."""
    from sqlalchemy import event

    from tests.helpers import MANAGER, login

    assert login(client, MANAGER, "demo").status_code == 302
    ends = []
    listeners = {"commit": lambda _c: ends.append("commit"),
                 "rollback": lambda _c: ends.append("rollback")}
    db.session.remove()
    for name, listener in listeners.items():
        event.listen(db.engine, name, listener)
    try:
        for path in ("/", "/tasks", "/me", "/team/"):
            ends.clear()
            assert client.get(path, follow_redirects=True).status_code == 200, path
            assert ends[-1:] == (["commit"] if is_postgres else ["rollback"]), path
    finally:
        for name, listener in listeners.items():
            event.remove(db.engine, name, listener)
        db.session.remove()
        db.engine.dispose()  # the requests' connections: later tests expect one at most


def test_a_notification_sent_and_not_committed_is_rolled_back(app, is_postgres):
    """NOTIFY is delivered at COMMIT: a context that sent one without committing must
    not deliver it."""
    if not is_postgres:
        pytest.skip("NOTIFY is PostgreSQL's")

    def _notify_only():
        _read()
        db.session.execute(text("NOTIFY app_test_channel"))

    assert _ends(app, _notify_only) == ["rollback"]


def test_changes_not_yet_flushed_are_rolled_back_not_written(app):
    from app.models.org import Administration

    def _add_only():
        _read()
        db.session.add(Administration(name="Aggiunta", code="W2"))

    assert _ends(app, _add_only) == ["rollback"]
    assert _administrations() == 0


def test_an_audit_event_recorded_and_not_committed_is_not_written(app):
    from app.audit import record
    from app.models.audit import AuditEvent

    def _record_only():
        _read()
        record("test.not_committed", object_type="administration", object_id=1)

    assert _ends(app, _record_only) == ["rollback"]
    db.session.remove()
    assert db.session.query(AuditEvent).filter_by(action="test.not_committed").count() == 0


def test_a_context_that_failed_is_rolled_back(app):
    def _fail():
        _read()
        raise RuntimeError("the request failed")

    assert _ends(app, _fail) == ["rollback", "raised"]


def test_a_transaction_the_server_aborted_is_rolled_back_without_a_new_error(app, is_postgres):
    from sqlalchemy.exc import DBAPIError

    def _abort():
        _read()
        with pytest.raises(DBAPIError):
            db.session.execute(text("SELECT * FROM no_such_table"))

    assert _ends(app, _abort) == ["rollback"]


def test_a_context_that_committed_and_then_read_ends_with_a_commit(app, is_postgres):
    from app.models.org import Administration

    def _commit_then_read():
        db.session.add(Administration(name="Salvata", code="W3"))
        db.session.commit()
        _read()

    assert _ends(app, _commit_then_read) == ["commit", "commit" if is_postgres else "rollback"]
    assert _administrations() == 1


def test_statements_stay_prepared_from_one_request_to_the_next(app, is_postgres):
    """psycopg prepares a statement run five times on a connection, and forgets them all
    at a ROLLBACK: pages that only read must not throw them away."""
    if not is_postgres:
        pytest.skip("SQLite has no prepared statements on a server")

    def _backend_and_prepared():
        with app.app_context():
            for _ in range(6):
                _read()
            return db.session.execute(text(
                "SELECT pg_backend_pid(), (SELECT count(*) FROM pg_prepared_statements)")).one()

    db.session.remove()
    first_backend, first_prepared = _backend_and_prepared()
    with app.app_context():
        backend, prepared = db.session.execute(text(
            "SELECT pg_backend_pid(), (SELECT count(*) FROM pg_prepared_statements)")).one()
    assert first_prepared >= 1
    assert backend == first_backend  # the pool's only connection, handed back
    assert prepared >= first_prepared
