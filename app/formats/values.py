"""Indicator values and codes as people write them, and back.

Forms, the importer and the exporter all go through here, so that "85%", "1.234,5",
"30/11/2022", "si" and "n.d." mean the same thing on every screen and in every file."""
from __future__ import annotations

import re
from datetime import date
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
from app.scoring.values import NOT_MET, DateRange

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
    # The common indicators of the Department of Public Function (circolare 2/2019).
    "indicatore_funzione_pubblica": "other",
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


# A deadline never met, as the documents write it.
_NOT_MET = {"no", "non realizzato", "non realizzata", "non rispettato", "non rispettata",
            "not met", "never met"}
# "dal 28.10 al 14.11 2022", "dal 01/03/2022 al 15/04/2022", "01/03/2022 - 15/04/2022".
_DAY = r"(\d{1,2})[./-](\d{1,2})(?:[./-](\d{4}))?"
_RANGE = re.compile(rf"^(?:dal\s+)?{_DAY}\s*(?:al|-|–)\s*{_DAY}(?:\s+(\d{{4}}))?$",
                    re.IGNORECASE)


def parse_actual(text: str, unit: str) -> IndicatorValue | None:
    """An actual value: what parse_value reads, and for dates also a deadline never met
    ("no", "non realizzato") and a date range ("dal 28.10 al 14.11 2022", scored by its
    end date)."""
    if IndicatorUnit(unit).kind is ValueKind.DATE and not is_not_available(text):
        value = (text or "").strip()
        if value.lower() in _NOT_MET:
            return NOT_MET
        period = _RANGE.match(value)
        if period:
            return _date_range(period, text)
    return parse_value(text, unit)


def _date_range(match: re.Match, text: str) -> DateRange:
    day1, month1, year1, day2, month2, year2, trailing = match.groups()
    end_year = year2 or trailing or year1
    start_year = year1 or end_year
    if end_year is None:
        raise ValueError(str(_l("'%(value)s': give the year of the period.", value=text)))
    try:
        return DateRange(date(int(start_year), int(month1), int(day1)),
                         date(int(end_year), int(month2), int(day2)))
    except ValueError:
        raise ValueError(str(_l("'%(value)s' is not a period (dal gg/mm/aaaa al gg/mm/aaaa).",
                                value=text))) from None


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
    if value is NOT_MET:
        return str(_l("never met"))
    if isinstance(value, DateRange):
        return f"{format_date(value.start)} - {format_date(value.end)}"
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
        return isinstance(value, date | DateRange) or value is NOT_MET
    return isinstance(value, Decimal)


_SUFFIX = {IndicatorUnit.PERCENT.value: "%", IndicatorUnit.EUR.value: " €"}


def display_value(value: IndicatorValue | None, unit: str) -> str:
    """format_value with the unit's sign where it has one: 85%, 1.200 €."""
    text = format_value(value)
    return text + _SUFFIX.get(unit, "") if text else ""


_STEP = re.compile(r"^\s*(<=|>=|<|>|≤|≥)\s*(.+?)\s*:\s*(.+?)\s*$")


def parse_steps(text: str, unit: str) -> list | None:
    """A steps table as people write it: '< 80%: 100 | < 85%: 80 | < 90%: 60' or
    '<= 30/06/2019: 100 | <= 31/07/2019: 80' (the bound in the indicator's unit, the
    achievement in percent; steps apart by '|', ';' or a new line), from the best step to
    the worst; None for an empty cell.
    Raises ValueError naming the step that cannot be read; the order and ranges are
    app.scoring's to check."""
    if is_not_available(text):
        return None
    steps = []
    parts = (p for p in re.split(r"[|;\n]", text) if p.strip())
    for position, part in enumerate(parts, start=1):
        match = _STEP.match(part)
        if match is None:
            raise ValueError(str(_l("Step %(n)d '%(step)s': write it as '< bound: achievement'.",
                                    n=position, step=part.strip())))
        op = {"≤": "<=", "≥": ">="}.get(match[1], match[1])
        try:
            bound = parse_value(match[2], unit)
            achievement = parse_decimal(match[3])
        except ValueError as exc:
            raise ValueError(str(_l("Step %(n)d: %(error)s", n=position, error=exc))) from None
        steps.append((op, bound, achievement))
    return steps
