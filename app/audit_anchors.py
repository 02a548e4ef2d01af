"""Checkpoints of the audit chain kept outside the database.

The chain alone cannot show that its last rows were deleted, nor that someone holding
the key rebuilt it. Each checkpoint (anchor) states the head of the chain at one moment
(last id, its hash, how many rows up to it, when) and is signed with the audit key; it is
appended to a JSON-lines file that the database never touches (AUDIT_ANCHOR_PATH). A
later database that no longer contains what an anchor states is reported by verify.
Rows written after the last anchor are protected by the chain only."""
from __future__ import annotations

import fcntl
import hmac
import json
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from app.audit import sign
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.types import utcnow


@dataclass(frozen=True)
class Anchor:
    last_id: int
    hash: str
    count: int
    at: str

    def payload(self) -> bytes:
        body = {"last_id": self.last_id, "hash": self.hash, "count": self.count, "at": self.at}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


def anchor_path() -> Path:
    return Path(current_app.config["AUDIT_ANCHOR_PATH"])


def current_head() -> Anchor | None:
    """The head of the chain now, or None on an empty trail."""
    last = db.session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    if last is None:
        return None
    count = db.session.execute(select(func.count(AuditEvent.id))).scalar_one()
    return Anchor(last.id, last.hash, count, utcnow().isoformat(timespec="seconds"))


def write_anchor(*, min_interval: timedelta | None = None) -> Anchor | None:
    """Append a signed checkpoint of the head. Nothing is written on an empty trail, when
    the head is the one last anchored, or when the last anchor is newer than
    `min_interval`. The file is locked while read and appended, so several tick
    processes never write the same checkpoint twice."""
    head = current_head()
    if head is None:
        return None
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        lines = [line for line in handle.read().splitlines() if line.strip()]
        previous = _parse(lines[-1]) if lines else None
        if previous is not None:
            if (previous.last_id, previous.hash) == (head.last_id, head.hash):
                return None
            if min_interval and _age(previous) < min_interval:
                return None
        record = {**json.loads(head.payload()), "signature": sign(head.payload())}
        handle.write(json.dumps(record, sort_keys=True) + "\n")
        handle.flush()
    return head


def anchor_if_due() -> Anchor | None:
    """What `flask engine tick` calls: an anchor at most every AUDIT_ANCHOR_MINUTES."""
    minutes = current_app.config["AUDIT_ANCHOR_MINUTES"]
    return write_anchor(min_interval=timedelta(minutes=minutes))


def _parse(line: str) -> Anchor | None:
    try:
        data = json.loads(line)
        return Anchor(int(data["last_id"]), str(data["hash"]), int(data["count"]), str(data["at"]))
    except (ValueError, KeyError, TypeError):
        return None


def _age(anchor: Anchor) -> timedelta:
    try:
        return utcnow() - datetime.fromisoformat(anchor.at)
    except ValueError:
        return timedelta.max


def check_anchors() -> list[str]:
    """Every way the database disagrees with the anchor file, one sentence each (empty:
    every anchor still matches). A missing file is no finding: nothing was anchored."""
    path = anchor_path()
    if not path.exists():
        return []
    findings = []
    lines = path.read_text(encoding="utf-8").splitlines()
    ids = array("q", db.session.execute(select(AuditEvent.id).order_by(AuditEvent.id)).scalars())
    hashes = _hashes_of({a.last_id for a in map(_parse, lines) if a is not None})
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        findings += _check_line(number, line, hashes, ids)
    return findings


def _hashes_of(event_ids: set[int], chunk: int = 500) -> dict[int, str]:
    """The hashes of the anchored events only: the ids alone are enough to count rows."""
    wanted, hashes = sorted(event_ids), {}
    for start in range(0, len(wanted), chunk):
        hashes.update(db.session.execute(
            select(AuditEvent.id, AuditEvent.hash)
            .where(AuditEvent.id.in_(wanted[start:start + chunk]))).all())
    return hashes


def _check_line(number: int, line: str, hashes: dict[int, str], ids: array) -> list[str]:
    anchor = _parse(line)
    signature = _signature(line)
    if anchor is None or signature is None:
        return [f"anchor line {number} is unreadable"]
    if not hmac.compare_digest(sign(anchor.payload()), signature):
        return [f"anchor line {number} is not signed with the audit key (edited or forged)"]
    where = f"anchor line {number} ({anchor.at}, event {anchor.last_id})"
    if anchor.last_id not in hashes:
        return [f"{where}: the anchored event {anchor.last_id} was deleted"]
    if hashes[anchor.last_id] != anchor.hash:
        return [f"{where}: the anchored event {anchor.last_id} was changed or the chain rebuilt"]
    present = bisect_right(ids, anchor.last_id)
    if present < anchor.count:
        return [f"{where}: {anchor.count - present} events up to it were deleted"]
    if present > anchor.count:
        return [f"{where}: {present - anchor.count} events up to it were inserted"]
    return []


def _signature(line: str) -> str | None:
    try:
        value = json.loads(line).get("signature")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None

