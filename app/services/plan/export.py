"""Export of the plan to CSV or XLSX in the shape plan_import reads: one row per
indicator with its objectives and area repeated, Italian formats (1.234,56; dd/mm/yyyy;
si/no). An objective without indicators still gets a row, so export then import gives
back the same plan. Text starting like a formula leaves with an apostrophe in front
(app.formats.tables.neutralise)."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from app.formats.tables import append_row, csv_row, format_decimal, format_yes_no
from app.formats.targets import format_target, format_years
from app.formats.values import format_value
from app.models.plan import Indicator, Objective, Plan
from app.services.plan.columns import COLUMNS
from app.services.plan.rules import format_steps, steps_from_json
from app.services.plan.targets import target_texts

HEADER = list(COLUMNS)


def _number(value: Decimal | None) -> str:
    return "" if value is None else format_decimal(value)


def _unit(objective: Objective | None) -> str:
    return objective.owner_unit.code if objective and objective.owner_unit else ""


def _objective_cells(objective: Objective | None, prefix: str, level: str) -> dict:
    if objective is None:
        return {}
    return {
        f"{level}_code": objective.code, f"{level}_title": objective.title,
        f"{level}_description": objective.description or "",
        f"{level}_weight": _number(objective.weight),
        f"{prefix}mission": objective.mission_code or "",
        f"{prefix}programme": objective.programme_code or "",
        f"{prefix}budget": _number(objective.budget),
        ("strategic_owner_unit" if prefix else "owner_unit"): _unit(objective),
    }


def _target_cells(indicator: Indicator, year: int) -> dict:
    """The cycle's year's target as written (a rule stays a rule), the later years in
    one cell, and the baseline's year."""
    texts = target_texts(indicator)
    own = texts.get(year)
    return {
        "target": format_target(own) if own else format_value(indicator.target),
        "later_targets": format_years({y: t for y, t in texts.items() if y > year}),
        "baseline_year": str(indicator.baseline_year or ""),
    }


def _indicator_cells(indicator: Indicator | None, year: int) -> dict:
    if indicator is None:
        return {}
    cells = {
        "indicator_code": indicator.code, "indicator_name": indicator.name,
        "algorithm": indicator.algorithm or "", "type": indicator.type, "unit": indicator.unit,
        "data_source": indicator.data_source or "", "direction": indicator.direction,
        "weight": _number(indicator.weight), "method": indicator.method or "",
        "at_risk": format_yes_no(indicator.at_risk),
        "monitoring_note": indicator.monitoring_note or "",
        "neutralised": format_yes_no(indicator.neutralised),
        "neutralised_reason": indicator.neutralised_reason or "", "notes": indicator.notes or "",
        "ratio_cap": _number(indicator.ratio_cap),
        "credit_per_day_late": _number(indicator.credit_per_day_late),
        "steps": format_steps(steps_from_json(indicator.steps) or []),
        "source": "media obiettivi operativi" if indicator.computed else "",
    }
    for name in ("baseline", "threshold", "monitoring_value", "monitoring_forecast", "actual"):
        cells[name] = format_value(getattr(indicator, name))
    return {**cells, **_target_cells(indicator, year)}


def rows(plan: Plan) -> list[dict[str, str]]:
    """The plan as table rows, in tree order."""
    result = []

    def emit(strategic, operational, indicator):
        area = (strategic or operational).area
        row = dict.fromkeys(HEADER, "")
        row["cycle"] = str(plan.cycle.year)
        if area is not None:
            row.update(area_code=area.code, area_title=area.title,
                       area_description=area.description or "", area_weight=_number(area.weight))
        row.update(_objective_cells(strategic, "strategic_", "strategic"))
        row.update(_objective_cells(operational, "", "operational"))
        row.update(_indicator_cells(indicator, plan.cycle.year))
        result.append(row)

    def emit_objective(strategic, operational):
        own = operational or strategic
        for indicator in own.indicators:
            emit(strategic, operational, indicator)
        if not own.indicators and not own.children:
            emit(strategic, operational, None)

    for top in (o for o in plan.objectives if o.parent_id is None):
        if top.is_strategic:
            emit_objective(top, None)
            for child in top.children:
                emit_objective(top, child)
        else:
            emit_objective(None, top)
    return result


def to_csv(plan: Plan) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(csv_row(row[h] for h in HEADER) for row in rows(plan))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(plan: Plan) -> bytes:
    """Text cells throughout: Italian formats survive any spreadsheet locale."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = str(_l("Plan %(year)d", year=plan.cycle.year))
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(plan):
        append_row(sheet, [row[h] for h in HEADER])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
