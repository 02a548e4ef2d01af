"""Excel workbooks (openpyxl) of a cycle: the plan with its results, the evaluations and
the payouts. Bold coloured headers, Italian number and date formats applied by Excel
(the cells hold numbers and dates, not text), frozen header row and first column,
widths fitted to the content, text that looks like a formula neutralised
(app.formats.tables.append_row). Who may download which is decided by the views.
openpyxl is imported at the first workbook (new_workbook), not with the app: every CLI
command and worker would otherwise pay about 0.4 s for it."""
from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from app.formats.tables import append_row
from app.services.plan.scores import achievements
from app.services.reports import disclosure
from app.services.reports import figures as reports

if TYPE_CHECKING:
    from openpyxl import Workbook

FORMATS = {"number": "#,##0.00", "percent": '#,##0.00"%"', "money": '#,##0.00" €"',
           "date": "DD/MM/YYYY", "integer": "0", "text": "@"}


def new_workbook() -> Workbook:
    """An empty workbook; openpyxl is imported at the first one."""
    from openpyxl import Workbook

    return Workbook()


def _cell_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def add_sheet(workbook: Workbook, title: str, columns: list[tuple[str, str]], rows) -> None:
    """columns: (header, format key). Freezes the header and the first column."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_fill = PatternFill("solid", fgColor="0066CC")
    sheet = workbook.create_sheet(title[:31])
    append_row(sheet, [header for header, _kind in columns])
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [len(header) for header, _kind in columns]
    for row in rows:
        append_row(sheet, [_cell_value(v) for v in row])
        for index, value in enumerate(row):
            widths[index] = max(widths[index], min(60, len(str(value or ""))))
    for index, (_header, kind) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = widths[index - 1] + 2
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, date):
                cell.number_format = FORMATS["date"]
            elif isinstance(cell.value, (int, float)):
                cell.number_format = FORMATS[kind]
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions


def workbook_bytes(workbook: Workbook) -> bytes:
    del workbook[workbook.sheetnames[0]]  # the empty default sheet
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan_with_results(cycle) -> bytes:
    """One row per indicator, with its objective and the achievements rolled up."""
    result = achievements(cycle)
    rows = []
    for node in reports.objective_tree(cycle, result):
        stack = list(node.objectives)
        while stack:
            objective = stack.pop(0)
            stack[:0] = objective.children
            o = objective.objective
            for row in objective.indicators or [None]:
                i = row.indicator if row else None
                rows.append([
                    node.area.code if node.area else "", o.code, o.title,
                    o.owner_unit.name if o.owner_unit else "", o.weight, objective.achievement,
                    i.code if i else "", i.name if i else "", i.unit if i else "",
                    i.direction if i else "", i.target if i else None,
                    i.threshold if i else None, i.weight if i else None,
                    i.actual if i else None, row.deviation if row else None,
                    row.achievement if row else None,
                    reports.outcome_label(row.outcome if row else objective.outcome),
                    i.neutralised_reason if i and i.neutralised else "",
                ])
    workbook = new_workbook()
    add_sheet(workbook, _("Plan %(year)s", year=cycle.year), [
        (_("Strategic area"), "text"), (_("Objective"), "text"), (_("Title"), "text"),
        (_("Owner unit"), "text"), (_("Objective weight"), "number"),
        (_("Objective achievement"), "percent"), (_("Indicator"), "text"), (_("Name"), "text"),
        (_("Unit"), "text"), (_("Direction"), "text"), (_("Target"), "number"),
        (_("Threshold"), "number"), (_("Indicator weight"), "number"), (_("Actual"), "number"),
        (_("Deviation"), "number"), (_("Achievement"), "percent"), (_("Outcome"), "text"),
        (_("Neutralised"), "text"),
    ], rows)
    summary = [[_("Organisation"), result.organisation]]
    summary += [[unit.name, value] for unit, value in result.unit_areas]
    add_sheet(workbook, _("Results"), [(_("Area"), "text"), (_("Achievement"), "percent")], summary)
    _differentiation_sheet(workbook, cycle)
    return workbook_bytes(workbook)


def _differentiation_sheet(workbook: Workbook, cycle) -> None:
    """The published distribution of scores, per category and overall: the workbook is
    public, so the classes are disclosure's (merged, "< N" under the minimum)."""
    rows = []
    for label, table in disclosure.distributions_by_group(cycle):
        for kind, published in ((_("Score"), table.by_score), (_("Band"), table.by_band)):
            rows += [[label, kind, row.label,
                      row.count if row.count is not None else f"< {table.minimum}", row.share]
                     for row in published]
    add_sheet(workbook, _("Differentiation"), [
        (_("Group"), "text"), (_("Breakdown"), "text"), (_("Class"), "text"),
        (_("People"), "integer"), (_("Share"), "percent")], rows)


def evaluations(cycle) -> bytes:
    """Every evaluation of the cycle, one row per person (personal data: SupportUnit and
    Admin only)."""
    rows = []
    for status in reports.people_status(cycle):
        e, unit = status.evaluation, status.user.unit
        area = reports.area_of(unit)
        rows.append([
            status.user.last_name, status.user.first_name, status.user.email,
            area.name if area else "", unit.name if unit else "", status.user.category,
            reports.step_label(status.step), e.evaluator.full_name if e and e.evaluator else
            (_("Board") if e and e.evaluated_by_board else ""),
            e.score if e else None, reports.evaluation_band(e),
            e.rated_at if e else None, e.final_at if e else None,
            _("yes") if status.late else "",
        ])
    workbook = new_workbook()
    add_sheet(workbook, _("Evaluations %(year)s", year=cycle.year), [
        (_("Surname"), "text"), (_("Name"), "text"), (_("E-mail"), "text"), (_("Area"), "text"),
        (_("Unit"), "text"), (_("Category"), "text"), (_("Step"), "text"),
        (_("Evaluator"), "text"), (_("Score"), "number"), (_("Band"), "text"),
        (_("Rated on"), "date"), (_("Final on"), "date"), (_("Late"), "text"),
    ], rows)
    return workbook_bytes(workbook)


def payouts(cycle) -> bytes:
    """What each person is paid, in its parts, one sheet per pool plus the totals."""
    workbook = new_workbook()
    fund = reports.fund(cycle)
    for pool in fund.pools:
        rows = [[a.user.last_name, a.user.first_name, a.user.category, a.score, a.base_share,
                 a.organisational_part, a.individual_part, a.bonus, a.total]
                for a in pool.allocations]
        add_sheet(workbook, str(reports.GROUP_LABELS.get(pool.group, pool.group)), [
            (_("Surname"), "text"), (_("Name"), "text"), (_("Category"), "text"),
            (_("Score"), "number"), (_("Base share"), "money"),
            (_("Organisational part"), "money"), (_("Individual part"), "money"),
            (_("Bonus"), "money"), (_("Total"), "money"),
        ], rows)
    totals = [[str(reports.GROUP_LABELS.get(p.group, p.group)), p.amount, p.distributed,
               p.remainder] for p in fund.pools]
    totals.append([_("Total"), fund.amount, fund.distributed, fund.remainder])
    add_sheet(workbook, _("Fund"), [(_("Group"), "text"), (_("Fund"), "money"),
                                 (_("Distributed"), "money"), (_("Not distributed"), "money")],
           totals)
    return workbook_bytes(workbook)
