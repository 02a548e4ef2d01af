"""The public pages of the corruption-risk section, without sign-in, under
/trasparenza: per year the section as the Board adopted it (the deliberation, the
risks by area and band, the measures with their owner units), the RPCT's yearly report
once published, and the OIV's attestation once published. They name units and
measures, never a person: nothing here is personal data."""
from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from app.extensions import db
from app.models.plan import Cycle
from app.models.risk_register import RiskYear, RiskYearStatus, RpctReportStatus
from app.services.risk import cycle, labels, register
from app.services.transparency import attestation, attestation_files
from app.web.reports.downloads import XLSX, download

bp = Blueprint("risk_public", __name__, url_prefix="/trasparenza/anticorruzione")


def _adopted() -> list[RiskYear]:
    return list(db.session.execute(
        select(RiskYear).join(Cycle, RiskYear.cycle_id == Cycle.id)
        .where(RiskYear.status == RiskYearStatus.ADOPTED.value)
        .order_by(Cycle.year.desc())).scalars())


@bp.get("/")
def index():
    sections = []
    for year in _adopted():
        report = cycle.report_of(year)
        sections.append({
            "year": year, "bands": Counter((i.process.area.code, register.band(i))
                                           for i in year.items),
            "areas": sorted({i.process.area for i in year.items}, key=lambda a: a.code),
            "report": report if report and report.status == RpctReportStatus.PUBLISHED.value
            else None})
    return render_template("risk/public.html", sections=sections, risk_labels=labels,
                           attestations=attestation.published())


@bp.get("/<int:year>/relazione-rpct.pdf")
def rpct_report(year: int):
    """The published report exactly as approved (stored bytes), never a new rendering."""
    found = next((y for y in _adopted() if y.cycle.year == year), None)
    report = cycle.report_of(found) if found else None
    if report is None or report.status != RpctReportStatus.PUBLISHED.value:
        abort(404)
    return download(report.pdf, "application/pdf", f"relazione-rpct-{year}.pdf")


@bp.get("/attestazione-oiv-<int:year>.<fmt>")
def attestation_file(year: int, fmt: str):
    """A published attestation: the signed PDF as stored, the grid as XLSX."""
    found = next((a for a in attestation.published() if a.year == year), None)
    if found is None:
        abort(404)
    if fmt == "pdf":
        return download(found.pdf, "application/pdf", f"attestazione-oiv-{year}.pdf")
    if fmt == "xlsx":
        return download(attestation_files.xlsx(found), XLSX,
                        f"griglia-attestazione-{year}.xlsx")
    abort(404)
