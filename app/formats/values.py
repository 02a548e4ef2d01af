"""Indicator values and codes as people write them, and back.

Forms, the importer and the exporter all go through here, so that "85%", "1.234,5",
"30/11/2022", "si" and "n.d." mean the same thing on every screen and in every file."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from app.formats.tables import (
    format_date,
    format_decimal,
    format_yes_no,
    is_not_available,
    normalise_header,
    parse_date,
    parse_decimal,
    parse_yes_no,
)
from app.models.plan import (
    Direction,
    IndicatorType,
    IndicatorUnit,
    IndicatorValue,
    ValueKind,
)

UNIT_LABELS = {
    IndicatorUnit.PERCENT.value: "%",
    IndicatorUnit.NUMBER.value: _l("number"),
    IndicatorUnit.DAYS.value: _l("days"),
    IndicatorUnit.EUR.value: "EUR",
    IndicatorUnit.DATE.value: _l("date"),
    IndicatorUnit.BOOLEAN.value: _l("yes/no"),
}
TYPE_LABELS = {
    IndicatorType.EFFECTIVENESS.value: _l("Effectiveness"),
    IndicatorType.EFFICIENCY.value: _l("Efficiency"),
    IndicatorType.QUALITY.value: _l("Quality"),
    IndicatorType.VOLUME.value: _l("Volume"),
    IndicatorType.OUTCOME.value: _l("Outcome"),
    IndicatorType.ECONOMIC_HEALTH.value: _l("Economic health"),
    IndicatorType.OTHER.value: _l("Other"),
}
DIRECTION_LABELS = {
    Direction.AT_LEAST.value: _l(">= (higher is better)"),
    Direction.AT_MOST.value: _l("<= (lower is better, deadlines)"),
    Direction.EXACTLY.value: _l("= (exact value)"),
}

# What published tables write, normalised with normalise_header (lower case, no accents).
_UNIT_ALIASES = {
    "%": "percent", "percent": "percent", "percentuale": "percent",
    "n.": "number", "n": "number", "num": "number", "numero": "number", "number": "number",
    "gg": "days", "gg.": "days", "giorni": "days", "days": "days",
    "eur": "eur", "euro": "eur", "€": "eur",
    "data": "date", "date": "date", "scadenza": "date",
    "si/no": "boolean", "sì/no": "boolean", "yes/no": "boolean", "boolean": "boolean",
}
_TYPE_ALIASES = {
    "efficacia": "effectiveness", "effectiveness": "effectiveness",
    "efficienza": "efficiency", "efficiency": "efficiency",
    "qualita": "quality", "quality": "quality",
    "volume": "volume", "outcome": "outcome", "impatto": "outcome",
    "salute_economica": "economic_health", "economic_health": "economic_health",
    "altro": "other", "other": "other",
}
_DIRECTION_ALIASES = {">=": ">=", "≥": ">=", "=>": ">=", "<=": "<=", "≤": "<=", "=<": "<=",
                      "=": "=", "==": "="}


def parse_unit(text: str) -> str:
    unit = _UNIT_ALIASES.get(normalise_header(text)) or _UNIT_ALIASES.get((text or "").strip())
    if unit is None:
        raise ValueError(str(_l("Unknown unit '%(value)s' (use %%, n., gg, EUR, data, si/no).",
                                value=text)))
    return unit


def parse_type(text: str) -> str:
    kind = _TYPE_ALIASES.get(normalise_header(text))
    if kind is None:
        raise ValueError(str(_l("Unknown indicator type '%(value)s'.", value=text)))
    return kind


def parse_direction(text: str) -> str:
    direction = _DIRECTION_ALIASES.get((text or "").strip())
    if direction is None:
        raise ValueError(str(_l("Unknown direction '%(value)s' (use >=, <= or =).", value=text)))
    return direction


def parse_value(text: str, unit: str) -> IndicatorValue | None:
    """The value of an indicator with this unit; None for an empty or "n.d." cell.
    Raises ValueError naming what was expected."""
    if is_not_available(text):
        return None
    kind = IndicatorUnit(unit).kind
    if kind is ValueKind.DATE:
        return parse_date(text)
    if kind is ValueKind.BOOLEAN:
        return parse_yes_no(text)
    return parse_decimal(text)


def format_value(value: IndicatorValue | None) -> str:
    """Italian form of a value for screens and files; '' for no value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return format_yes_no(value)
    if isinstance(value, Decimal):
        return format_decimal(value)
    return format_date(value)


def value_matches_unit(value: IndicatorValue, unit: str) -> bool:
    kind = IndicatorUnit(unit).kind
    if kind is ValueKind.BOOLEAN:
        return isinstance(value, bool)
    if kind is ValueKind.DATE:
        return not isinstance(value, bool) and not isinstance(value, Decimal)
    return isinstance(value, Decimal)


_SUFFIX = {IndicatorUnit.PERCENT.value: "%", IndicatorUnit.EUR.value: " €"}


def display_value(value: IndicatorValue | None, unit: str) -> str:
    """format_value with the unit's sign where it has one: 85%, 1.200 €."""
    text = format_value(value)
    return text + _SUFFIX.get(unit, "") if text else ""
