"""One row by its unique key (a person's evaluation or objective sheet in a cycle), or
the rows sharing a key (a person's objectives in a cycle), read from the database once
per transaction.

A task's completion asks for the same rows while building the form and again while
storing the answers; the second time they come from the session's identity map by
their primary keys, without a statement. Only rows found are remembered (a row created
later in the transaction is read when asked for), and a row deleted, or whose key
changed, since is read again; the rows sharing a key are read again as soon as any row
of their table is added, changed or deleted in the session."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from app.extensions import db

_MEMO = "services.unique_rows"
_LISTS = "services.rows_by_key"


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
    row = session.execute(_by_key(model, tuple(sorted(key))), key).scalar_one_or_none()
    if row is not None:
        memo[memo_key] = row.id
    return row


def all_by_key(model, order_by, **key) -> list:
    """The rows of `model` whose columns equal `key`, in the order of the column
    `order_by` (a mapped attribute of `model`)."""
    session = db.session
    if _changing(session, model):
        _forget_lists(session, model)
    memo = session.info.setdefault(_LISTS, {})
    memo_key = (model, tuple(sorted(key.items())))
    ids = memo.get(memo_key)
    if ids is not None:
        rows = [session.identity_map.get(identity_key(model, i)) for i in ids]
        if all(row is not None for row in rows):
            return rows
    rows = list(session.execute(_by_key(model, tuple(sorted(key)), order_by.key), key).scalars())
    memo[memo_key] = [row.id for row in rows]
    return rows


@lru_cache(maxsize=128)
def _by_key(model, names: tuple[str, ...], order_by: str | None = None):
    """The statement of the rows of `model` whose columns `names` equal the bound values
    of the same names, in the order of the column `order_by`: built once (building it
    cost as much as reading a row by its primary key)."""
    stmt = select(model).where(*(getattr(model, name) == bindparam(name) for name in names))
    return stmt if order_by is None else stmt.order_by(getattr(model, order_by))


def transaction_memo(name: str, *shapes: type):
    """A dict for what a transaction reads several times (the units a person heads), kept
    in the session until the transaction ends or a row of one of `shapes` is added,
    changed or deleted in it. Returns the function giving the current dict."""

    @event.listens_for(Session, "before_flush")
    def _changed(session, _context, _instances) -> None:
        if name in session.info and _changing(session, shapes):
            del session.info[name]

    @event.listens_for(Session, "after_transaction_end")
    def _ended(session, transaction) -> None:
        if transaction.nested or transaction.parent is None:  # not a flush's subtransaction
            session.info.pop(name, None)

    def memo() -> dict:
        session = db.session
        if name in session.info and _changing(session, shapes):
            del session.info[name]  # changed, not flushed yet
        return session.info.setdefault(name, {})

    return memo


def _changing(session, model) -> bool:
    return any(isinstance(row, model) for row in (*session.new, *session.dirty, *session.deleted))


def _forget_lists(session, model) -> None:
    memo = session.info.get(_LISTS)
    if memo:
        for memo_key in [k for k in memo if k[0] is model]:
            del memo[memo_key]


@event.listens_for(Session, "before_flush")
def _forget_changed(session, _context, _instances) -> None:
    if session.info.get(_LISTS):
        for model in {type(row) for row in (*session.new, *session.dirty, *session.deleted)}:
            _forget_lists(session, model)


@event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction) -> None:
    if transaction.nested or transaction.parent is None:  # not a flush's own subtransaction
        session.info.pop(_MEMO, None)
        session.info.pop(_LISTS, None)
