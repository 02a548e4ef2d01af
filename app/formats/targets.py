"""Yearly targets as people write them, in the plan editor and in plan files, and back.

A target is a value in the indicator's unit ("85", "1.234,5", "30/11/2023", "si") or a
rule on the value observed in an earlier year, written in Italian:
  "= valore 2022" (also "valore 2022", ">= valore 2022": the direction is the indicator's)
  "+10% sul 2022", "-5% sul 2022"     a percentage of that value, up or down
  "+3 sul 2022", "-0,5 sul 2022"      an amount added or taken away
The targets of several years in one cell: "2024: <= 7 | 2025: +10% sul 2024" (entries
apart by '|', ';' or a new line; a direction before the value is allowed and ignored)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.formats.tables import format_decimal, is_not_available, parse_decimal
from app.formats.values import format_value, parse_value
from app.scoring.targets import TargetKind, TargetRule

_SAME = re.compile(r"^(?:[<>]?=|[≤≥])?\s*valore\s+(?:del\s+)?(\d{4})$", re.IGNORECASE)
_CHANGE = re.compile(r"^([+-])\s*(\d[\d.,]*)\s*(%?)\s*(?:sul|su|rispetto\s+al)\s+"
                     r"(?:valore\s+)?(?:del\s+)?(\d{4})$", re.IGNORECASE)
_ENTRY = re.compile(r"^\s*(\d{4})\s*:\s*(?:[<>]?=|[≤≥])?\s*(.+?)\s*$")


@dataclass(frozen=True)
class TargetText:
    """What a target cell says: a value, or a rule (value None)."""

    value: object = None
    rule: TargetRule | None = None


def parse_target(text: str, unit: str) -> TargetText | None:
    """The target written in `text`, None for an empty cell. Raises ValueError naming
    what can be written."""
    if is_not_available(text):
        return None
    value = " ".join((text or "").split())
    same = _SAME.match(value)
    if same:
        return TargetText(rule=TargetRule(TargetKind.SAME, int(same[1])))
    change = _CHANGE.match(value)
    if change:
        amount = parse_decimal(change[2])
        kind = TargetKind.PERCENT if change[3] else TargetKind.DELTA
        return TargetText(rule=TargetRule(kind, int(change[4]),
                                          -amount if change[1] == "-" else amount))
    try:
        return TargetText(value=parse_value(value, unit))
    except ValueError as exc:
        raise ValueError(str(_l("%(error)s A target may also be relative: '+10%% sul 2022', "
                                "'+3 sul 2022' or '= valore 2022'.", error=exc))) from None


def format_rule(rule: TargetRule) -> str:
    """'+10% sul 2022', '-3 sul 2022', '= valore 2022': what parse_target reads."""
    if rule.kind is TargetKind.SAME:
        return f"= valore {rule.reference_year}"
    return f"{format_change(rule)} sul {rule.reference_year}"


def format_change(rule: TargetRule) -> str:
    """'+10%', '-3'; '' for the same value."""
    if rule.kind is TargetKind.SAME:
        return ""
    sign = "-" if rule.amount < 0 else "+"
    suffix = "%" if rule.kind is TargetKind.PERCENT else ""
    return f"{sign}{format_decimal(abs(rule.amount))}{suffix}"


def format_target(text: TargetText) -> str:
    return format_rule(text.rule) if text.rule else format_value(text.value)


def parse_year(text: str) -> int:
    """A four-digit year ('2022'). Raises ValueError."""
    value = (text or "").strip()
    if not (value.isdigit() and len(value) == 4):
        raise ValueError(str(_l("'%(value)s' is not a year (for example 2022).", value=text)))
    return int(value)


def parse_years(text: str, unit: str) -> dict[int, TargetText]:
    """'2024: 7 | 2025: +10% sul 2024' -> {2024: ..., 2025: ...}; {} for an empty cell.
    Raises ValueError naming the entry that cannot be read."""
    if is_not_available(text):
        return {}
    result = {}
    for part in (p for p in re.split(r"[|;\n]", text) if p.strip()):
        entry = _ENTRY.match(part)
        if entry is None:
            raise ValueError(str(_l("'%(entry)s': write each year's target as "
                                    "'2024: value'.", entry=part.strip())))
        year = int(entry[1])
        if year in result:
            raise ValueError(str(_l("The target of %(year)d is given twice.", year=year)))
        try:
            target = parse_target(entry[2], unit)
        except ValueError as exc:
            raise ValueError(f"{year}: {exc}") from None
        if target is not None:
            result[year] = target
    return result


def format_years(targets: dict[int, TargetText]) -> str:
    return " | ".join(f"{year}: {format_target(t)}" for year, t in sorted(targets.items()))

