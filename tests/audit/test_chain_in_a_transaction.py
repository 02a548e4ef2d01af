"""Events of one transaction are linked without reading the chain's end again; a
savepoint, kept or rolled back, and a rolled-back transaction leave a chain that
verifies."""
from __future__ import annotations

import re

from app import audit
from app.extensions import db
from tests.helpers import QueryCounter


class ChainReads(QueryCounter):
    """Reads of the chain's last hash."""

    def _seen(self, _conn, _cursor, statement, *_args):
        if re.match(r"\s*SELECT audit_event.hash\s+FROM audit_event ORDER BY", statement):
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
