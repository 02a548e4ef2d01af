"""The values that matter, checked against the audit trail.

The chain proves the trail was not changed; it says nothing about a score changed with
a direct UPDATE in the database. Every service that changes a score, a band, an
indicator's actual value, a weight or a reward amount states the new value in its audit
event's `after`, in one of two forms:

- by field name, for the event's own object (object_type + object_id), e.g.
  `after={"score": "4.20", "band": "medium"}` on an Evaluation event;
- under `after["values"]` for many rows at once, `{object_type: {object_id: {field:
  value}}}` (see `values_of`).

Replaying the trail gives the last audited value of every tracked field; each table is
then read once and every row that differs (or holds a value the trail never stated) is
reported."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.evaluation import Evaluation, RewardAllocation
from app.models.plan import Indicator, Objective, StrategicArea

REWARD_FIELDS = ("base_share", "organisational_part", "individual_part", "bonus", "total")
TRACKED = {
    "Evaluation": (Evaluation, ("score", "band")),
    "Indicator": (Indicator, ("actual", "weight")),
    "Objective": (Objective, ("weight",)),
    "StrategicArea": (StrategicArea, ("weight",)),
    "RewardAllocation": (RewardAllocation, REWARD_FIELDS),
}


def values_of(rows: Iterable, fields: Iterable[str]) -> dict:
    """`after["values"]` for an event that sets tracked fields of many rows."""
    fields = tuple(fields)
    values: dict[str, dict[str, dict]] = {}
    for row in rows:
        values.setdefault(type(row).__name__, {})[str(row.id)] = {
            f: getattr(row, f) for f in fields}
    return values


def _norm(value) -> str | None:
    """One spelling per value: 4.2, 4.20 and Decimal('4.200') are the same score."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    text = format(number.normalize(), "f")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class Audited:
    value: str | None
    event_id: int


class ValueLedger:
    """Fed every audit event in id order (as `audit.verify(on_event=...)` does); keeps
    the last audited value of every tracked field of every row."""

    def __init__(self) -> None:
        self.last: dict[tuple[str, str], dict[str, Audited]] = {}

    def __call__(self, event: AuditEvent) -> None:
        after = event.after
        if not isinstance(after, dict):
            return
        if event.object_type in TRACKED and event.object_id is not None:
            self._take(event.id, event.object_type, event.object_id, after)
        values = after.get("values")
        if isinstance(values, dict):
            for object_type, rows in values.items():
                if object_type in TRACKED and isinstance(rows, dict):
                    for object_id, fields in rows.items():
                        if isinstance(fields, dict):
                            self._take(event.id, object_type, str(object_id), fields)

    def _take(self, event_id: int, object_type: str, object_id: str, after: dict) -> None:
        fields = TRACKED[object_type][1]
        stated = {f: Audited(_norm(after[f]), event_id) for f in fields if f in after}
        if stated:
            self.last.setdefault((object_type, object_id), {}).update(stated)

    def findings(self) -> list[str]:
        """Every tracked value that differs from the trail: one query per table."""
        found = []
        for object_type, (model, fields) in TRACKED.items():
            columns = [getattr(model, f) for f in fields]
            for row in db.session.execute(select(model.id, *columns).order_by(model.id)):
                audited = self.last.get((object_type, str(row.id)), {})
                for field, value in zip(fields, row[1:], strict=True):
                    found += _compare(object_type, row.id, field, _norm(value), audited.get(field))
        return found


def _compare(object_type: str, object_id: int, field: str, current: str | None,
             audited: Audited | None) -> list[str]:
    if audited is None:
        if current is None:
            return []
        return [f"{object_type} {object_id}: {field} is {current} but no audit event states it"]
    if audited.value == current:
        return []
    shown = "empty" if current is None else current
    return [(f"{object_type} {object_id}: {field} is {shown} in the database, "
            f"{audited.value} in the audit trail (event {audited.event_id})")]
