"""Snapshots of the plan's content and the differences between two of them.

A snapshot is plain JSON keyed by code, so that revisions stay comparable after the
live rows have changed or gone. Measurements (monitoring values, actuals,
neutralisation) are not plan content and are left out: recording them is no revision."""
from __future__ import annotations

from dataclasses import dataclass

from app.formats.targets import format_years
from app.models.plan import Plan, encode_value
from app.services.plan.targets import target_texts

AREA_FIELDS = ("title", "description", "weight")
OBJECTIVE_FIELDS = ("level", "parent", "area", "title", "description", "owner_unit", "weight",
                    "mission_code", "programme_code", "budget")
INDICATOR_FIELDS = ("objective", "name", "algorithm", "type", "unit", "data_source",
                    "baseline", "baseline_year", "direction", "target", "later_targets",
                    "threshold", "weight", "method", "notes")


def _number(value) -> str | None:
    return None if value is None else encode_value(value)


def _later(indicator, year: int) -> str | None:
    """The targets after the cycle's year, as written ('2024: 7 | 2025: +10% sul 2024')."""
    later = {y: t for y, t in target_texts(indicator).items() if y > year}
    return format_years(later) or None


def snapshot(plan: Plan) -> dict:
    areas = {
        a.code: {"title": a.title, "description": a.description, "weight": _number(a.weight)}
        for a in plan.areas
    }
    objectives, indicators = {}, {}
    for o in plan.objectives:
        objectives[o.code] = {
            "level": o.level, "parent": o.parent.code if o.parent else None,
            "area": o.area.code if o.area else None, "title": o.title,
            "description": o.description,
            "owner_unit": o.owner_unit.code if o.owner_unit else None,
            "weight": _number(o.weight), "mission_code": o.mission_code,
            "programme_code": o.programme_code, "budget": _number(o.budget),
        }
        for i in o.indicators:
            indicators[i.code] = {
                "objective": o.code, "name": i.name, "algorithm": i.algorithm, "type": i.type,
                "unit": i.unit, "data_source": i.data_source,
                "baseline": encode_value(i.baseline), "direction": i.direction,
                "target": encode_value(i.target), "threshold": encode_value(i.threshold),
                "weight": _number(i.weight), "method": i.method, "notes": i.notes,
                "baseline_year": i.baseline_year, "later_targets": _later(i, plan.cycle.year),
            }
    return {"areas": areas, "objectives": objectives, "indicators": indicators}


@dataclass(frozen=True)
class Change:
    """One difference: kind is area, objective or indicator; action is added, removed
    or changed (then field, old and new say what changed)."""

    kind: str
    code: str
    action: str
    field: str | None = None
    old: str | None = None
    new: str | None = None

    def as_dict(self) -> dict:
        return {"kind": self.kind, "code": self.code, "action": self.action,
                "field": self.field, "old": self.old, "new": self.new}


_SECTIONS = (("area", "areas", AREA_FIELDS), ("objective", "objectives", OBJECTIVE_FIELDS),
             ("indicator", "indicators", INDICATOR_FIELDS))


def diff(before: dict, after: dict) -> list[Change]:
    """Every difference from one snapshot to the next, in a stable order."""
    changes: list[Change] = []
    for kind, section, fields in _SECTIONS:
        old_items, new_items = before.get(section, {}), after.get(section, {})
        for code in sorted(set(old_items) | set(new_items)):
            if code not in new_items:
                changes.append(Change(kind, code, "removed"))
            elif code not in old_items:
                changes.append(Change(kind, code, "added"))
            else:
                for name in fields:
                    old, new = old_items[code].get(name), new_items[code].get(name)
                    if old != new:
                        changes.append(Change(kind, code, "changed", name, old, new))
    return changes

