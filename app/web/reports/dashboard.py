"""The cycle dashboard (SupportUnit, Secretary General, OIV, Admin): where every person
and every open workflow task stands, who is late, the organisation's achievement per
strategic objective, the areas' achievements and the distribution of individual scores,
each chart with its data table, and the publication obligations whose update is late
(linked to the grid showing them). People and late tasks come one page at a time, filtered
in the database, whatever the size of the administration. And the OIV's workspace: opinions given on plan
revisions, the July monitoring of the indicators at risk, and the Report. Aggregates
only: no individual amount is shown here."""
from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    after_this_request,
    copy_current_request_context,
    current_app,
    render_template,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.engine import clock
from app.extensions import db
from app.models.cycle import OivMonitoringReport, ReportStatus
from app.models.org import Role
from app.services.cycle import measurement
from app.services.cycle import report as cycle_report
from app.services.org.permissions import ORG_WIDE, require_role
from app.services.plan.parts import Systems, bands_of
from app.services.plan.scores import achievements
from app.services.reports import achievement_explanations, snapshots, standing
from app.services.reports import charts as report_charts
from app.services.reports import figures as reports
from app.services.transparency import grid
from app.web.account.me import cycle_and_cycles, cycle_or_404
from app.web.jobs.views import progress_context
from app.web.pagination import page_number, page_size, unit_filter
from app.web.reports.people_list import filters_from_request, pager_args

bp = Blueprint("dashboard", __name__)


@bp.before_request
@login_required
def _signed_in():
    """Signed-in users; each view checks the role."""


@bp.get("/dashboard")
@bp.get("/dashboard/<int:year>")
def cycle_dashboard(year: int | None = None):
    require_role(current_user, *ORG_WIDE)
    context = cycle_and_cycles(year)
    cycle = context["cycle"]
    if cycle is not None:
        # First: keeping freshly drawn figures commits, which reloads what was read before.
        snapshot = snapshots.figures(cycle, str(get_locale()), _figures,
                                     current_app.config["DASHBOARD_FIGURES_SECONDS"],
                                     later=_after_the_response)
        filters = filters_from_request(None)
        context.update(
            snapshot=snapshot, filters=filters, steps=standing.STEPS,
            people=standing.people_page(cycle, filters, page_number(), page_size()),
            people_args=pager_args(filters, year=cycle.year),
            **unit_filter(None, filters.unit_id, filters.unit_text),
            late_tasks=reports.late_tasks(cycle, page_number("tasks_page")),
            **progress_context(cycle.id),
        )
    return render_template("reports/dashboard/cycle.html", **context)


def _after_the_response(work: Callable[[], None]) -> None:
    """Run `work` once this request's response is sent, in an application context of its
    own (its own database session) with this request's reader and language; a failure
    is logged, and the next visit tries again."""
    app = current_app._get_current_object()
    in_this_request = copy_current_request_context(work)

    def run() -> None:
        with app.app_context():
            try:
                in_this_request()
            except Exception:  # nobody waits for it: log it, roll back
                db.session.rollback()
                app.logger.exception("The dashboard's figures could not be drawn")

    @after_this_request
    def _when_sent(response):
        response.call_on_close(run)
        return response


def _figures(cycle) -> snapshots.Parts:
    """The figures over everyone, the same for every reader in a language: the
    organisation's, the areas' and each strategic objective's achievement, the
    distribution of scores, the fund, the people per step and area, the publication
    obligations late, the open tasks per step and unit."""
    systems = Systems.of_cycle(cycle)  # once for every figure below
    result = achievements(cycle, systems=systems)
    explained = achievement_explanations.of_plan(cycle, result, systems)
    top = [o for o in cycle.plan.objectives if o.parent_id is None] if cycle.plan else []
    strategic = [(o.code, o.title, result.objective(o.id), explained.objectives.get(o.id))
                 for o in top]
    areas = [(u.code, u.name, v, explained.unit_areas.get(u.id)) for u, v in result.unit_areas]
    table = reports.score_distribution(cycle, systems=systems)
    counts = standing.step_counts(cycle, per_area=True)
    per_title, per_unit = reports.open_task_counts(cycle)
    figures = render_template(
        "reports/dashboard/_figures.html", cycle=cycle,
        result=result, strategic_rows=strategic, area_rows=areas,
        counts=counts, steps=standing.STEPS, table=table,
        areas=reports.largest(counts.per_area, size=lambda per_step: per_step.total()),
        strategic_chart=report_charts.achievements_src([(row[0], row[2]) for row in strategic]),
        area_chart=report_charts.achievements_src([(row[0], row[2]) for row in areas]),
        chart=report_charts.data_uri(report_charts.score_distribution(
            table, bands_of(cycle, systems), _("n.e."))),
        fund=reports.fund(cycle),
        late_obligations=len(grid.late(cycle.administration_id, clock.now().date())))
    tasks = render_template("reports/dashboard/_task_counts.html", per_title=per_title,
                            per_unit=reports.largest(dict(per_unit.most_common())))
    return {"figures": figures, "late": counts.late, "open_tasks": sum(per_title.values()),
            "task_counts": tasks}


def _monitoring_reports(cycle):
    return list(db.session.execute(
        select(OivMonitoringReport).where(OivMonitoringReport.cycle_id == cycle.id)
        .order_by(OivMonitoringReport.round)).scalars())


@bp.get("/oiv")
@bp.get("/oiv/<int:year>")
def oiv_workspace(year: int | None = None):
    require_role(current_user, Role.OIV, Role.ADMIN)
    context = cycle_and_cycles(year)
    cycle = context["cycle"]
    if cycle is not None and cycle.plan is not None:
        indicators = [i for o in cycle.plan.objectives for i in o.indicators]
        result = achievements(cycle)
        explained = achievement_explanations.of_plan(cycle, result)
        strategic = [(o.code, o.title, result.objective(o.id), explained.objectives.get(o.id))
                     for o in cycle.plan.objectives if o.parent_id is None]
        context.update(
            monitoring_reports=_monitoring_reports(cycle),
            oiv_evaluation=measurement.oiv_evaluation(cycle),
            report_versions=cycle_report.report_versions(cycle),
            strategic_rows=strategic,
            strategic_chart=report_charts.achievements_src([(row[0], row[2]) for row in strategic]),
            revisions=cycle.plan.revisions,
            at_risk=sorted((i for i in indicators if i.at_risk), key=lambda i: i.code),
            monitored=sum(1 for i in indicators if i.monitoring_value is not None),
            indicators=len(indicators), result=result,
            organisation_explained=achievement_explanations.organisation_lines(cycle, result),
        )
    return render_template("reports/dashboard/oiv.html", **context)


@bp.get("/oiv/<int:year>/report-<int:number>.pdf")
def report_version(year: int, number: int):
    """A stored version of the Report: as validated by the OIV once the validation is
    attached (a background job, seconds after the OIV's decision), else as drafted.
    Aggregates only, like the Report itself."""
    from app.web.reports.downloads import AGGREGATE_READERS, download

    require_role(current_user, *AGGREGATE_READERS)
    cycle = cycle_or_404(year)
    version = next((v for v in cycle_report.report_versions(cycle) if v.number == number),
                   None)
    if version is None:
        abort(404)
    validated = version.status == ReportStatus.VALIDATED.value and version.validated_pdf
    return download(version.validated_pdf if validated else version.pdf, "application/pdf",
                    f"relazione-performance-{year}-v{number}.pdf")
