"""Append events to the hash-chained audit trail and verify the chain."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select, text, update

from app.extensions import db
from app.models.audit import AuditEvent
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


def _digest(event: AuditEvent) -> str:
    body = {
        "at": event.at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "instance_id": event.instance_id,
        "task_id": event.task_id,
        "before": _commitment(event.before),
        "after": _commitment(event.after),
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(
    action: str,
    *,
    actor=None,
    obj=None,
    object_type: str | None = None,
    object_id=None,
    before: dict | None = None,
    after: dict | None = None,
    instance_id: int | None = None,
    task_id: str | None = None,
) -> AuditEvent:
    """Append one event in the current transaction (the caller commits)."""
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        # Serialise writers of the chain so two transactions never share a prev_hash.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _AUDIT_LOCK_KEY})
    session.flush()
    last = session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
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
        prev_hash=last or GENESIS,
    )
    event.hash = _digest(event)
    session.add(event)
    session.flush()
    return event


def redact(event_ids) -> int:
    """Replace the payloads of the given events by their digests (retention of personal
    data). The only change ever made to a stored event: a Core UPDATE, past the ORM's
    append-only guard, that leaves every hash and link as it was."""
    changed = 0
    for event in db.session.execute(
        select(AuditEvent).where(AuditEvent.id.in_(list(event_ids)))
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


def verify(batch: int = 5000) -> VerifyResult:
    """Walk the chain in id order; report the first row whose link or hash is wrong."""
    expected_prev, checked, last_id = GENESIS, 0, 0
    while True:
        rows = db.session.execute(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).scalars().all()
        if not rows:
            return VerifyResult(checked, None, None)
        for event in rows:
            if event.prev_hash != expected_prev:
                return VerifyResult(checked, event.id, "link to the previous event is broken")
            if _digest(event) != event.hash:
                return VerifyResult(checked, event.id, "content does not match its hash")
            expected_prev, last_id = event.hash, event.id
            checked += 1
        db.session.expire_all()

