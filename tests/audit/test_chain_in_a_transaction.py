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
