"""The public transparency page (Amministrazione trasparente, art. 20 D.Lgs. 33/2013),
without sign-in: for each closed cycle the reward fund and what was distributed, the
distribution of scores per score and per band (overall and per category), the plan with its results and the
public version of the Report as validated; and for each cycle whose performance plan the Board adopted, the
public version of the integrated plan (PIAO, app.services.reports.piao). Never a name, an individual score or amount, nor a cell
counting fewer than PUBLIC_MIN_GROUP people (app.services.reports.disclosure)."""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from app.services.reports import charts as report_charts
from app.services.reports import disclosure, piao
from app.services.reports import excel as report_excel
from app.services.reports import figures as reports
from app.services.reports import pdf as report_pdf
from app.web.reports.downloads import XLSX, download

bp = Blueprint("transparency", __name__, url_prefix="/trasparenza")


def _published(year: int):
    cycle = next((c for c in reports.closed_cycles() if c.year == year), None)
    if cycle is None:
        abort(404)
    return cycle


@bp.get("/")
def index():
    published = []
    for cycle in reports.closed_cycles():
        table = disclosure.distribution(cycle)
        fund_rows, fund_merged = disclosure.fund_rows(cycle)
        published.append({
            "cycle": cycle, "fund": reports.fund(cycle), "fund_rows": fund_rows,
            "fund_merged": fund_merged, "table": table,
            "by_group": disclosure.distributions_by_group(cycle)[:-1],
            "chart": report_charts.data_uri(report_charts.public_distribution(table)),
        })
    plans = piao.adopted_cycles()
    return render_template("reports/transparency/index.html", published=published,
                           plans=plans)


@bp.get("/<int:year>/relazione.pdf")
def report(year: int):
    """The public version of the Report exactly as the OIV validated it (stored bytes,
    whose SHA-256 the audit trail holds), never a new rendering."""
    cycle = _published(year)
    validated = reports.validated_public_report(cycle)
    if validated is None:
        abort(404)
    return download(validated, "application/pdf", report_pdf.filename(cycle))


@bp.get("/<int:year>/piano.xlsx")
def plan(year: int):
    return download(report_excel.plan_with_results(_published(year)), XLSX,
                    f"piano-risultati-{year}.xlsx")


@bp.get("/<int:year>/piao.pdf")
def integrated_plan(year: int):
    """The public version of the integrated plan, once the Board adopted the performance
    plan of that year: only the adopted sections, no personal data."""
    cycle = next((c for c in piao.adopted_cycles() if c.year == year), None)
    if cycle is None:
        abort(404)
    return download(piao.render(cycle, public=True), "application/pdf", piao.filename(cycle))
