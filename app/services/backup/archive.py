"""The archive format: one zip holding manifest.json and data/<table>.jsonl.

Values are written by the column's storage type (a TypeDecorator's `impl`), never by its
Python face, so that a value read back is byte-for-byte what was stored: Decimal as its
string, dates and instants as ISO text (instants always with their UTC offset), bytes as
base64. JSON columns keep their JSON."""
from __future__ import annotations

import base64
import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, DateTime, LargeBinary, Numeric, Table
from sqlalchemy.types import TypeDecorator, TypeEngine

FORMAT = "performance-cycle-backup/1"
MANIFEST = "manifest.json"


class ArchiveError(Exception):
    """The archive cannot be restored here; the message says why, for the operator."""


def member_name(table: Table) -> str:
    return f"data/{table.name}.jsonl"


def storage_type(column) -> TypeEngine:
    kind = column.type
    return kind.impl if isinstance(kind, TypeDecorator) else kind


def encode(kind: TypeEngine, value):
    """The JSON-safe form of a stored value of type `kind`."""
    if value is None:
        return None
    if isinstance(kind, LargeBinary):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(kind, DateTime):
        if value.tzinfo is None:  # SQLite keeps no zone: instants are stored in UTC
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(kind, Date):
        return value.isoformat()
    if isinstance(kind, Numeric) and isinstance(value, Decimal | float | int):
        return str(value)
    return value


def decode(kind: TypeEngine, value):
    """The inverse of encode()."""
    if value is None or isinstance(kind, JSON):
        return value
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Numeric):
        return Decimal(value)
    return value


class HashingWriter:
    """A file-like wrapper that counts and hashes what passes through it."""

    def __init__(self, stream):
        self._stream = stream
        self.sha256 = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.sha256.update(data)
        self._stream.write(data)


def sha256_of_member(archive, name: str) -> str:
    digest = hashlib.sha256()
    with archive.open(name) as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
