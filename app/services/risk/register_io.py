"""The register in and out as CSV or XLSX, one row per risk item, in Italian formats
(levels as 12,5; CSV with ";"). Export then import gives back the same register.

Import checks the whole file first: any bad row refuses the file with the reason per
row and nothing is saved. A good file adds the items whose code is new and rewrites
those whose code exists; items absent from the file stay (delete them on their page)."""
from __future__ import annotations

import csv
import io

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.formats.tables import append_row, csv_row, format_decimal
from app.models.org import User
from app.models.risk import MappedProcess
from app.models.risk_register import RiskItem, RiskYear
from app.services.org.imports import ImportReport, RowError, read_rows
from app.services.risk.access import ensure_editor
from app.services.risk.register import ItemData, apply, band, item_problems
from app.services.risk.years import ensure_draft

# Canonical column (as exported) -> accepted headers (app.formats.tables.normalise_header).
COLUMNS = {
    "code": ("code", "codice", "codice_rischio"),
    "process": ("process", "processo", "codice_processo"),
    "phase": ("phase", "fase"),
    "event": ("event", "evento", "evento_rischioso"),
    "factors": ("factors", "fattori", "fattori_abilitanti"),
    "analysis": ("analysis", "analisi"),
    "probability": ("probability", "probabilita", "probabilità"),
    "impact": ("impact", "impatto"),
    "level": ("level", "livello"),
    "band": ("band", "fascia"),
    "judgement": ("judgement", "giudizio", "giudizio_sintetico"),
    "measures": ("measures", "misure"),
}
REQUIRED = ("code", "process", "event", "probability", "impact")
HEADER = list(COLUMNS)
# Written on export, ignored on import: computed (level, band) or kept elsewhere (measures).
COMPUTED = ("level", "band", "measures")


def rows(year: RiskYear) -> list[dict[str, str]]:
    result = []
    for item in sorted(year.items, key=lambda i: i.code):
        result.append({
            "code": item.code, "process": item.process.code,
            "phase": str(item.phase.position) if item.phase else "", "event": item.event,
            "factors": item.factors or "", "analysis": item.analysis or "",
            "probability": str(item.probability), "impact": str(item.impact),
            "level": format_decimal(item.level), "band": band(item),
            "judgement": item.judgement or "",
            "measures": ", ".join(m.code for m in item.measures)})
    return result


def to_csv(year: RiskYear) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(csv_row(row[h] for h in HEADER) for row in rows(year))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(year: RiskYear) -> bytes:
    """Text cells throughout: Italian formats survive any spreadsheet locale."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = str(_l("Risk register %(year)d", year=year.cycle.year))
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(year):
        append_row(sheet, [row[h] for h in HEADER])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _canonical(raw: dict[str, str]) -> dict[str, str]:
    return {key: next((str(raw[a]).strip() for a in aliases if a in raw), "")
            for key, aliases in COLUMNS.items()}


def _whole(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _row_data(year: RiskYear, data: dict, processes: dict, errors: list[str]) -> ItemData | None:
    process = processes.get(data["process"].lower())
    if process is None:
        errors.append(str(_l("Unknown process %(code)s: add it to the process map first.",
                             code=data["process"])))
        return None
    phase_id = None
    if data["phase"]:
        phase = next((p for p in process.phases if str(p.position) == data["phase"]
                      or p.name.lower() == data["phase"].lower()), None)
        if phase is None:
            errors.append(str(_l("The process %(code)s has no phase %(phase)s.",
                                 code=process.code, phase=data["phase"])))
            return None
        phase_id = phase.id
    probability, impact = _whole(data["probability"]), _whole(data["impact"])
    if probability is None or impact is None:
        errors.append(str(_l("Probability and impact must be whole numbers.")))
        return None
    return ItemData(code=data["code"], process_id=process.id, phase_id=phase_id,
                    event=data["event"], factors=data["factors"], analysis=data["analysis"],
                    probability=probability, impact=impact, judgement=data["judgement"])


def import_file(actor: User, year: RiskYear, filename: str, content: bytes) -> ImportReport:
    """Validate every row, then (only if all are good) write them in the current
    transaction; the caller commits on success and rolls back otherwise."""
    ensure_editor(actor)
    ensure_draft(year)
    report = ImportReport()
    raw_rows = read_rows(filename, content, report, COLUMNS, REQUIRED)
    if raw_rows is None:
        return report
    processes = {p.code.lower(): p for p in db.session.execute(select(MappedProcess).where(
        MappedProcess.administration_id == year.cycle.administration_id)).scalars()}
    existing = {i.code: i for i in year.items}
    seen: dict[str, int] = {}
    checked: list[ItemData] = []
    for number, raw in enumerate(raw_rows, start=2):
        data, errors = _canonical(raw), []
        if data["code"] in seen:
            errors.append(str(_l("The code %(code)s is also on row %(row)d.",
                                 code=data["code"], row=seen[data["code"]])))
        seen.setdefault(data["code"], number)
        item_data = _row_data(year, data, processes, errors) if not errors else None
        if item_data is not None:
            errors.extend(item_problems(year, item_data, existing.get(item_data.code.strip())))
        report.errors.extend(RowError(number, message) for message in errors)
        if not errors:
            checked.append(item_data)
    if report.ok:
        for data in checked:
            item = existing.get(data.code.strip())
            if item is None:
                item = RiskItem(year_id=year.id)
                db.session.add(item)
                report.created += 1
            else:
                report.updated += 1
            apply(item, year, data)
        db.session.flush()
        audit.record("risk.register.import", actor=actor, obj=year,
                     after={"file": filename, "created": report.created,
                            "updated": report.updated})
    return report
