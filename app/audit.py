"""Append events to the hash-chained audit trail and verify the chain.

Each row's hash covers its content and the previous row's hash. New rows use
HMAC-SHA256 with AUDIT_KEY, a key kept outside the database, so that someone who can
write to the database cannot rebuild a consistent chain after changing it. Rows written
before the key existed carry the plain SHA-256 marker and still verify, but only as the
beginning of the chain: an unkeyed row after a keyed one is a forgery."""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from flask import current_app
from sqlalchemy import event as sqlalchemy_events
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from app.extensions import db
from app.models.audit import KEYED, LEGACY, AuditEvent
from app.models.types import utcnow

GENESIS = "0" * 64
# Any constant works: it only has to be the same for every writer of the chain.
_AUDIT_LOCK_KEY = 0x5045_5246


def _plain(value):
    """JSON-safe copy (Decimal, date and the like become strings) so that what is
    hashed is exactly what is stored."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def sign(payload: bytes) -> str:
    """HMAC-SHA256 of the payload with the audit key (hex)."""
    key = current_app.config["AUDIT_KEY"].encode("utf-8")
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


REDACTED = "__redacted__"


def _is_redacted(payload) -> bool:
    return isinstance(payload, dict) and set(payload) == {REDACTED}


def _commitment(payload) -> str | None:
    """What the chain covers of a before/after payload: its SHA-256, so that retention
    can later replace the payload by {REDACTED: that digest} and the chain still
    verifies (see redact())."""
    if payload is None:
        return None
    if _is_redacted(payload):
        return payload[REDACTED]
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _digest(event: AuditEvent) -> str | None:
    """The hash the row should carry under its algorithm (None: unknown algorithm).
    Keyed rows cover each before/after payload by its SHA-256 (see redact()); rows
    written before the key keep the formula they were written with, the payloads
    themselves."""
    body = {
        "at": event.at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "instance_id": event.instance_id,
        "task_id": event.task_id,
        "before": event.before,
        "after": event.after,
        "prev_hash": event.prev_hash,
    }
    if event.algorithm == LEGACY:
        return hashlib.sha256(_canonical(body)).hexdigest()
    if event.algorithm == KEYED:
        body.update(before=_commitment(event.before), after=_commitment(event.after),
                    algorithm=KEYED)
        return sign(_canonical(body))
    return None


def _canonical(body: dict) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# Events are linked into the chain when their transaction commits, not when they are
# recorded: the chain's lock (the advisory lock on PostgreSQL, the write lock on SQLite)
# serialises every writer from the moment it is taken until the transaction ends, so
# taking it at the end keeps the part of each transaction that runs one at a time to the
# linking and the commit. A read of the audit table in the transaction links the
# events recorded so far first, so the transaction sees its own events. The session
# remembers the chain's last hash from its own last event until a transaction or
# savepoint ends: nobody else can append in between.
_LAST_HASH = "audit_last_hash"
_PENDING = "audit_pending"      # recorded, not yet linked, in order
_WRITTEN = "audit_written"      # linked in this transaction, in order
_MARKS = "audit_savepoints"     # per open savepoint: (pending, written) at its start


def _pending(session) -> list[AuditEvent]:
    """The events waiting for the commit; recording one begins the transaction it
    belongs to, so that a rollback before anything else was done drops it too."""
    if not session.in_transaction():
        session.connection()
    return session.info.setdefault(_PENDING, [])


def has_pending_events(session) -> bool:
    """Whether events were recorded in the session's transaction and not yet linked:
    a commit would write them."""
    return bool(session.info.get(_PENDING))


@sqlalchemy_events.listens_for(Session, "after_transaction_create")
def _mark_savepoint(session, transaction) -> None:
    if transaction.nested:
        session.info.setdefault(_MARKS, {})[id(transaction)] = (
            len(session.info.get(_PENDING, ())), len(session.info.get(_WRITTEN, ())))


@sqlalchemy_events.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session, previous_transaction) -> None:
    """A savepoint rolled back takes its events with it, and gives back, unlinked, those
    recorded before it that a read inside it had linked."""
    if not previous_transaction.nested:
        return
    mark = session.info.get(_MARKS, {}).pop(id(previous_transaction), None)
    if mark is None:
        return
    pending_before, written_before = mark
    written = session.info.get(_WRITTEN, [])
    since = written[written_before:] + session.info.get(_PENDING, [])
    del written[written_before:]
    session.info[_PENDING] = [_unlinked(row) for row in since[:pending_before]]


@sqlalchemy_events.listens_for(Session, "after_transaction_end")
def _forget_last_hash(session, transaction) -> None:
    if transaction.nested:  # its mark stays for after_soft_rollback, which comes after
        session.info.pop(_LAST_HASH, None)
    elif transaction.parent is None:  # the root, not a flush's own subtransaction
        for name in (_LAST_HASH, _PENDING, _WRITTEN, _MARKS):
            session.info.pop(name, None)


@sqlalchemy_events.listens_for(Session, "before_commit")
def _link_at_commit(session) -> None:
    _link(session)


@sqlalchemy_events.listens_for(Session, "do_orm_execute")
def _link_before_reading(state) -> None:
    if state.session.info.get(_PENDING) and any(
            mapper.class_ is AuditEvent for mapper in state.all_mappers):
        _link(state.session)


def _unlinked(row: AuditEvent) -> AuditEvent:
    return AuditEvent(**{name: getattr(row, name) for name in (
        "actor_id", "action", "object_type", "object_id", "instance_id", "task_id",
        "before", "after", "algorithm")})


def _lock_chain(session) -> str:
    """Serialise writers of the chain on PostgreSQL (two transactions never share a
    prev_hash; the lock lasts until the transaction ends) and return the last hash."""
    remembered = session.info.get(_LAST_HASH)
    if remembered is not None:
        return remembered
    if session.get_bind().dialect.name == "postgresql":
        # The lock, then the last hash read with a snapshot taken under it: one round
        # trip (migration 0029).
        last = session.execute(text("SELECT audit_chain_tail(:k)"), {"k": _AUDIT_LOCK_KEY}).scalar()
    else:
        last = session.execute(
            select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
        ).scalar_one_or_none()
    return last or GENESIS


_COLUMNS = ("at", "actor_id", "action", "object_type", "object_id", "instance_id", "task_id",
            "before", "after", "prev_hash", "hash", "algorithm")


@cache
def _insert():
    """One multi-row INSERT of events returning their ids in the order given: a Core
    statement, not the session's unit of work (which cost twice as much per commit, and
    then kept every event in the session only to expire it)."""
    table = AuditEvent.__table__
    return table.insert().returning(table.c.id, sort_by_parameter_order=True)


def _link(session) -> None:
    """Link the recorded events into the chain, in order, and write them with one
    multi-row INSERT, after the changes they speak of."""
    rows = session.info.get(_PENDING)
    if not rows:
        return
    session.info[_PENDING] = []
    prev, now = _lock_chain(session), utcnow()
    for row in rows:
        row.at, row.prev_hash = now, prev
        row.hash = prev = _digest(row)
    session.flush()
    ids = session.execute(_insert(), [{name: getattr(row, name) for name in _COLUMNS}
                                      for row in rows]).scalars().all()
    for row, row_id in zip(rows, ids, strict=True):
        row.id = row_id
    session.info[_LAST_HASH] = prev
    session.info.setdefault(_WRITTEN, []).extend(rows)


def _event(action: str, *, actor=None, obj=None, object_type: str | None = None,
           object_id=None, before: dict | None = None, after: dict | None = None,
           instance_id: int | None = None, task_id: str | None = None) -> AuditEvent:
    if obj is not None:
        if getattr(obj, "id", None) is None and object_id is None:
            db.session.flush()  # the object is named by its id
        object_type = object_type or type(obj).__name__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    return AuditEvent(
        actor_id=getattr(actor, "id", actor),
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        instance_id=instance_id,
        task_id=task_id,
        before=_plain(before),
        after=_plain(after),
        algorithm=KEYED,
    )


def record(action: str, **fields) -> AuditEvent:
    """Record one event in the current transaction (the caller commits; it is linked
    into the chain then). Fields: actor, obj (or object_type and object_id), before,
    after, instance_id, task_id."""
    row = _event(action, **fields)
    _pending(db.session()).append(row)
    db.session.flush()  # the changes the event speaks of are written with it, as ever
    return row


def record_many(events: list[tuple[str, dict]]) -> list[AuditEvent]:
    """Record several events, given as (action, fields of record()), in this order in
    the current transaction."""
    rows = [_event(action, **fields) for action, fields in events]
    _pending(db.session()).extend(rows)
    db.session.flush()
    return rows


def redact(event_ids) -> int:
    """Replace the payloads of the given events by their digests (retention of personal
    data). The only change ever made to a stored event: a Core UPDATE, past the ORM's
    append-only guard, that leaves every hash and link as it was. Only keyed rows can be
    redacted: a row written before the key covers its payload itself, so it is kept."""
    changed = 0
    for event in db.session.execute(
        select(AuditEvent).where(AuditEvent.id.in_(list(event_ids)),
                                 AuditEvent.algorithm == KEYED)
    ).scalars():
        values = {name: {REDACTED: _commitment(payload)}
                  for name, payload in (("before", event.before), ("after", event.after))
                  if payload is not None and not _is_redacted(payload)}
        if values:
            table = AuditEvent.__table__
            db.session.execute(update(table).where(table.c.id == event.id)
                               .values(**values))
            changed += 1
    return changed


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken_id: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify(batch: int = 5000, on_event: Callable[[AuditEvent], None] | None = None) -> VerifyResult:
    """Walk the chain in id order; report the first row whose link or hash is wrong.
    The walk goes on to the end after a break so that `on_event` sees every row."""
    expected_prev, checked, last_id, keyed_seen = GENESIS, 0, 0, False
    broken: tuple[int, str] | None = None
    while True:
        rows = db.session.execute(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).scalars().all()
        if not rows:
            if broken:
                return VerifyResult(checked, *broken)
            return VerifyResult(checked, None, None)
        for event in rows:
            if on_event is not None:
                on_event(event)
            last_id = event.id
            if broken:
                continue
            reason = _problem(event, expected_prev, keyed_seen)
            if reason:
                broken = (event.id, reason)
                continue
            keyed_seen = keyed_seen or event.algorithm == KEYED
            expected_prev = event.hash
            checked += 1
        db.session.expire_all()


def _problem(event: AuditEvent, expected_prev: str, keyed_seen: bool) -> str | None:
    if event.prev_hash != expected_prev:
        return "link to the previous event is broken"
    if keyed_seen and event.algorithm != KEYED:
        return "unkeyed event after keyed ones (the chain was rebuilt without the key)"
    digest = _digest(event)
    if digest is None:
        return f"unknown hash algorithm {event.algorithm!r}"
    if not hmac.compare_digest(digest, event.hash):
        return "content does not match its hash (edited, or hashed without the audit key)"
    return None
