"""The attestation's files: the document (PDF, tagged and archival) and the grid (XLSX,
an open format), both in Italian whatever the reader's language, as published. They
name obligations and units, never a person."""
from __future__ import annotations

import io

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app.extensions import db
from app.formats.tables import append_row
from app.models.org import Administration
from app.models.transparency import Attestation
from app.models.types import utcnow
from app.services.reports import accessible_pdf
from app.services.transparency.attestation import MARKS


def mark_text(attestation: Attestation, value: int | None) -> str:
    if value is None:
        return ""
    if attestation.scale == "yes_no":
        return _("yes") if value else _("no")
    return str(value)


def pdf(attestation: Attestation) -> bytes:
    with force_locale("it"):
        html = render_template(
            "transparency/attestation/report_pdf.html", attestation=attestation, generated_at=utcnow(),
            administration=db.session.get(Administration, attestation.administration_id),
            mark=lambda v: mark_text(attestation, v), marks=MARKS)
    return accessible_pdf.write(html, archival=True)


def xlsx(attestation: Attestation) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with force_locale("it"):
        header = [_("Code"), _("Section"), _("Obligation"), _("Published"), _("Complete content"),
                  _("Up to date"), _("Open format"), _("Note")]
        book = Workbook()
        sheet = book.active
        sheet.title = _("Attestation %(year)d", year=attestation.year)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for e in attestation.entries:
            append_row(sheet, [e.obligation.code, e.obligation.section, e.obligation.title,
                               *[mark_text(attestation, getattr(e, m)) for m in MARKS],
                               e.note or ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
