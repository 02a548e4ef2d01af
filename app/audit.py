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


# The session remembers the chain's last hash from its own last event until a
# transaction or savepoint ends: writers are serialised for the whole transaction (the
# advisory lock on PostgreSQL, the write lock on SQLite), so nobody else can append in
# between, and the next event of the same transaction need not read it again.
_LAST_HASH = "audit_last_hash"


@sqlalchemy_events.listens_for(Session, "after_transaction_end")
def _forget_last_hash(session, transaction) -> None:
    if transaction.nested or transaction.parent is None:  # not a flush's own subtransaction
        session.info.pop(_LAST_HASH, None)


def _lock_chain() -> str:
    """Serialise writers of the chain on PostgreSQL (two transactions never share a
    prev_hash; the lock lasts until the transaction ends) and return the last hash."""
    session = db.session
    session.flush()
    remembered = session.info.get(_LAST_HASH)
    if remembered is not None:
        return remembered
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _AUDIT_LOCK_KEY})
    last = session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    return last or GENESIS


def _event(prev_hash: str, action: str, *, actor=None, obj=None, object_type: str | None = None,
           object_id=None, before: dict | None = None, after: dict | None = None,
           instance_id: int | None = None, task_id: str | None = None) -> AuditEvent:
    if obj is not None:
        object_type = object_type or type(obj).__name__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    event = AuditEvent(
        at=utcnow(),
        actor_id=getattr(actor, "id", actor),
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        instance_id=instance_id,
        task_id=task_id,
        before=_plain(before),
        after=_plain(after),
        prev_hash=prev_hash,
        algorithm=KEYED,
    )
    event.hash = _digest(event)
    return event


def record(action: str, **fields) -> AuditEvent:
    """Append one event in the current transaction (the caller commits). Fields: actor,
    obj (or object_type and object_id), before, after, instance_id, task_id."""
    row = _event(_lock_chain(), action, **fields)
    db.session.add(row)
    db.session.flush()
    db.session.info[_LAST_HASH] = row.hash
    return row


def record_many(events: list[tuple[str, dict]]) -> list[AuditEvent]:
    """Append several events, given as (action, fields of record()), in this order and
    in the current transaction: the chain is locked and read once, linked in memory and
    written with one multi-row INSERT. The objects they name must have their ids."""
    if not events:
        return []
    prev, rows = _lock_chain(), []
    for action, fields in events:
        rows.append(_event(prev, action, **fields))
        prev = rows[-1].hash
    db.session.add_all(rows)
    db.session.flush()
    db.session.info[_LAST_HASH] = rows[-1].hash
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
