"""One row by its unique key (a person's evaluation or objective sheet in a cycle), read
from the database once per transaction.

A task's completion asks for the same row while building the form and again while
storing the answers; the second time it comes from the session's identity map by its
primary key, without a statement. Only rows found are remembered (a row created later
in the transaction is read when asked for), and a row deleted, or whose key changed,
since is read again."""
from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.extensions import db

_MEMO = "services.unique_rows"


def one_by_key(model, **key):
    """The row of `model` whose columns equal `key` (a unique key), or None."""
    session = db.session
    memo = session.info.setdefault(_MEMO, {})
    memo_key = (model, tuple(sorted(key.items())))
    primary_key = memo.get(memo_key)
    if primary_key is not None:
        row = session.get(model, primary_key)
        if (row is not None and row not in session.deleted
                and all(getattr(row, name) == value for name, value in key.items())):
            return row
    row = session.execute(select(model).filter_by(**key)).scalar_one_or_none()
    if row is not None:
        memo[memo_key] = row.id
    return row


@event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction) -> None:
    if transaction.nested or transaction.parent is None:  # not a flush's own subtransaction
        session.info.pop(_MEMO, None)
