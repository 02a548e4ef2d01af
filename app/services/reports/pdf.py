"""The Report (Relazione sulla performance) of a cycle as PDF, rendered by WeasyPrint
from the live data: cover, context, the objective tree with each indicator's target,
actual, deviation and achievement, the organisation's and the areas' results, the
Secretary General's evaluation (score and band), the differentiation of individual
scores with its chart, overall and per category (staff, managers), the fund and what was distributed.

The public version (transparency page) leaves out the Secretary General's score: it is
one identifiable person's evaluation, which art. 20 D.Lgs. 33/2013 publication never
includes; and it publishes the distribution and the fund with no cell under
PUBLIC_MIN_GROUP people (app.services.reports.disclosure)."""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app.models.org import Administration
from app.models.types import utcnow
from app.services.plan.parts import bands_of
from app.services.plan.scores import achievements
from app.services.reports import accessible_pdf, disclosure
from app.services.reports import charts as report_charts
from app.services.reports import figures as reports


def report_context(cycle, public: bool = False) -> dict:
    """Everything the Report shows, shared by the PDF and the pages that preview it."""
    from app.extensions import db

    result = achievements(cycle)
    table = reports.score_distribution(cycle)
    bands = bands_of(cycle)
    plan = cycle.plan
    top = [o for o in plan.objectives if o.parent_id is None] if plan else []
    strategic = [(o, result.objective(o.id)) for o in top]
    public_table = disclosure.distribution(cycle) if public else None
    public_fund, public_fund_merged = disclosure.fund_rows(cycle) if public else (None, False)
    chart = (report_charts.public_distribution(public_table) if public
             else report_charts.score_distribution(table, bands, _("n.e.")))
    return {
        "cycle": cycle,
        "administration": db.session.get(Administration, cycle.administration_id),
        "plan": plan,
        "revisions": [r for r in plan.revisions if r.approved_at] if plan else [],
        "result": result,
        "tree": reports.objective_tree(cycle, result),
        "strategic": strategic,
        "table": table,
        "chart": report_charts.data_uri(chart),
        "public_table": public_table, "public_fund": public_fund,
        "by_group": None if public else reports.distributions_by_group(cycle),
        "public_groups": disclosure.distributions_by_group(cycle)[:-1] if public else None,
        "bands_of": list(table.by_band),
        "public_fund_merged": public_fund_merged,
        "strategic_chart": report_charts.achievements_src(
            [(o.code, value) for o, value in strategic]),
        "area_chart": report_charts.achievements_src(
            [(unit.code, value) for unit, value in result.unit_areas]),
        "fund": reports.fund(cycle),
        "sg": None if public else reports.secretary_general_evaluation(cycle),
        "public": public,
        "generated_at": utcnow(),
        "band_label": reports.band_label, "evaluation_band": reports.evaluation_band,
        "outcome_label": reports.outcome_label,
        "group_label": reports.group_label,
    }


def html(cycle, public: bool = False) -> str:
    """The Report of `cycle` as the HTML its PDF is written from, in Italian whatever the
    reader's language: the part that reads the database (see `render`)."""
    with force_locale("it"):
        return render_template("reports/report_pdf.html", **report_context(cycle, public))


def write(document: str) -> bytes:
    """The PDF of the Report's HTML: seconds of WeasyPrint that read nothing from the
    database, so the drafting job runs them with no transaction open. Archival and
    accessible: PDF/A-3a and PDF/UA-1 (app.services.reports.accessible_pdf)."""
    return accessible_pdf.write(document, archival=True)


def render(cycle, public: bool = False) -> bytes:
    """The Report of `cycle` as PDF bytes, drawn from the cycle's live data. Needs an
    application context, not a request: the workflow attaches it at the OIV validation
    step. public=True leaves out the Secretary General's individual evaluation (the
    transparency page's version)."""
    return write(html(cycle, public))


def filename(cycle) -> str:
    return f"relazione-performance-{cycle.year}.pdf"
