"""The RPCT's yearly report as PDF (tagged, archival: app.services.reports.accessible_pdf),
drawn from the year's data: the adoption, the register by band and area, the measures
and how the managers reported them, the periodic checks and their outcomes, and the
RPCT's summary. It names units and measures, never a person: it is published."""
from __future__ import annotations

from collections import Counter

from flask import render_template
from flask_babel import force_locale

from app.extensions import db
from app.models.org import Administration
from app.models.risk_register import ReportRound, RiskYear, RpctReport
from app.models.types import utcnow
from app.services.reports import accessible_pdf
from app.services.risk import labels, monitoring, register


def context(year: RiskYear, report: RpctReport) -> dict:
    rounds = {r.value: Counter(x.application for x in monitoring.reports_of(year, r.value))
              for r in ReportRound}
    by_area = Counter((i.process.area.code, register.band(i)) for i in year.items)
    return {"year": year, "report": report, "generated_at": utcnow(),
            "administration": db.session.get(Administration, year.cycle.administration_id),
            "bands": Counter(register.band(i) for i in year.items), "by_area": by_area,
            "areas": sorted({i.process.area for i in year.items}, key=lambda a: a.code),
            "rounds": rounds, "labels": labels}


def render(year: RiskYear, report: RpctReport) -> bytes:
    """In Italian whatever the reader's language, as published."""
    with force_locale("it"):
        html = render_template("risk/report_pdf.html", **context(year, report))
    return accessible_pdf.write(html, archival=True)
