"""Events of one transaction are linked without reading the chain's end again; a
savepoint, kept or rolled back, and a rolled-back transaction leave a chain that
verifies; writers committing at the same moment on PostgreSQL each link after the
other (the chain's end is read under the lock)."""
from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from app import audit
from app.extensions import db
from app.models.audit import AuditEvent
from tests.helpers import QueryCounter


class ChainReads(QueryCounter):
    """Reads of the chain's last hash."""

    def _seen(self, _conn, _cursor, statement, *_args):
        if re.match(r"\s*SELECT (audit_event.hash\s+FROM audit_event ORDER BY|audit_chain_tail)",
                    statement):
            self.count += 1


def _step(number: int) -> None:
    audit.record("test.step", object_type="Thing", object_id=number)


def test_a_transaction_reads_the_end_of_the_chain_once(app):
    with ChainReads() as reads:
        for number in range(5):
            _step(number)
        audit.record_many([("test.many", {"object_type": "Thing", "object_id": n}) for n in range(3)])
        db.session.commit()
        _step(9)  # a new transaction reads it again
        db.session.commit()
    assert reads.count == 2
    assert audit.verify().ok


def test_savepoints_kept_or_rolled_back_leave_a_chain_that_verifies(app):
    _step(1)
    with db.session.begin_nested():
        _step(2)
    _step(3)
    savepoint = db.session.begin_nested()
    _step(4)
    savepoint.rollback()
    _step(5)
    db.session.commit()
    _step(6)
    db.session.rollback()
    _step(7)
    db.session.commit()
    assert audit.verify().ok and audit.verify().checked == 5


def _chain() -> list[str]:
    from sqlalchemy import select

    from app.models.audit import AuditEvent

    return list(db.session.scalars(select(AuditEvent.object_id).order_by(AuditEvent.id)))


def test_a_transaction_reads_its_own_events_before_it_commits(app):
    _step(1)
    _step(2)
    assert _chain() == ["1", "2"]
    _step(3)
    db.session.commit()
    assert _chain() == ["1", "2", "3"] and audit.verify().ok


def test_a_savepoint_rolled_back_after_a_read_gives_back_the_events_before_it(app):
    _step(1)
    savepoint = db.session.begin_nested()
    _step(2)
    assert _chain() == ["1", "2"]  # both linked inside the savepoint
    savepoint.rollback()
    _step(3)
    db.session.commit()
    assert _chain() == ["1", "3"] and audit.verify().ok


def test_the_chain_is_locked_at_the_commit_not_at_the_first_event(app, is_postgres):
    """Recording does not take the chain's lock: another writer may append meanwhile,
    and the events are linked after its events when this transaction commits."""
    import pytest
    from sqlalchemy import text

    if not is_postgres:
        pytest.skip("the advisory lock is PostgreSQL's")
    _step(1)
    with db.engine.connect() as other:
        assert other.execute(text("SELECT pg_try_advisory_xact_lock(:k)"),
                             {"k": audit._AUDIT_LOCK_KEY}).scalar()
        other.rollback()
    db.session.commit()
    assert audit.verify().ok


def test_writers_committing_at_once_each_link_after_the_other(app, is_postgres):
    """Transactions queued on the chain's lock read its end only once they hold it: a
    hash read before would be the one the previous writer has just linked to, and the
    second event naming it as its predecessor would break the chain (prev_hash is
    unique)."""
    if not is_postgres:
        pytest.skip("SQLite takes one writer at a time")
    errors, start = [], threading.Barrier(3)

    def writer(number: int) -> None:
        with app.app_context():
            try:
                start.wait(timeout=10)
                for step in range(15):
                    audit.record("test.concurrent", object_type="Thing",
                                 object_id=f"{number}.{step}")
                    db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert db.session.scalar(select(func.count()).where(
        AuditEvent.action == "test.concurrent")) == 45
    assert audit.verify().ok
