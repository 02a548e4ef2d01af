"""Downloads of a cycle: the Report (rendered in the background, from its page) and the
integrated plan (PIAO) as PDF and the Excel workbooks. The plan with its results, the Report and the PIAO are aggregates
(organisation-wide roles and the Board); the
evaluations workbook holds personal data (SupportUnit and Admin only); the payouts
workbook holds individual amounts (SupportUnit, Admin and the Secretary General, who
approves them). The OIV never gets individual amounts."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.models.evaluation import Evaluation, RewardAllocation, RewardPool
from app.models.org import Role
from app.models.privacy import AccessKind
from app.services.jobs import operations as job_service
from app.services.org.permissions import require_role
from app.services.privacy import access_log
from app.services.reports import excel as report_excel
from app.services.reports import figures as reports
from app.services.reports import piao, renderings
from app.web.account.me import cycle_or_404
from app.web.tasks.forms import ActionForm

bp = Blueprint("reports", __name__, url_prefix="/reports")

AGGREGATE_READERS = renderings.READERS  # the organisation-wide roles and the Board
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POOL_STATUS_LABELS = {"computed": _l("computed, to be approved"),
                      "approved": _l("approved by the Secretary General"),
                      "confirmed": _l("confirmed by the Board")}
REPORT_STATUS_LABELS = {"draft": _l("draft"), "approved": _l("approved by the Board"),
                        "sent_back": _l("sent back by the Board"),
                        "refused": _l("refused by the OIV"),
                        "validated": _l("validated by the OIV")}


@bp.app_context_processor
def _report_helpers():
    return {"step_label": reports.step_label, "band_label": reports.band_label,
            "evaluation_band": reports.evaluation_band, "outcome_label": reports.outcome_label,
            "group_label": lambda g: str(reports.GROUP_LABELS.get(g, g)),
            "pool_status_label": lambda s: str(POOL_STATUS_LABELS.get(s, s or "")),
            "report_status_label": lambda s: str(REPORT_STATUS_LABELS.get(s, s or ""))}


@bp.before_request
@login_required
def _signed_in():
    """Every download needs a signed-in user; each view checks the role."""


def _log_everyone(cycle, what: AccessKind) -> None:
    """A workbook of every person's evaluation or bonus is an access to each of them."""
    if what is AccessKind.EVALUATION:
        query = select(Evaluation.user_id).where(Evaluation.cycle_id == cycle.id)
    else:
        query = (select(RewardAllocation.user_id).join(RewardPool)
                 .where(RewardPool.cycle_id == cycle.id))
    access_log.record(current_user, db.session.execute(query).scalars(), what,
                      request.path, cycle)
    db.session.commit()


def download(data: bytes, mimetype: str, name: str) -> Response:
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/<int:year>/report")
def report_page(year: int):
    """The Report as last rendered, the rendering under way with its progress, and the
    button that renders it again from the current data."""
    require_role(current_user, *renderings.READERS)
    cycle = cycle_or_404(year)
    job = renderings.running(cycle)
    operator = job_service.is_operator(current_user)
    progress = [(job, job_service.failed_items(job) if operator else [])] if job else []
    return render_template("reports/report.html", cycle=cycle, running=job,
                           latest=renderings.latest(cycle), background_jobs=progress,
                           job_operator=operator, job_action_form=ActionForm())


@bp.post("/<int:year>/report")
def render_report(year: int):
    require_role(current_user, *renderings.READERS)
    if not ActionForm().validate_on_submit():
        abort(400)
    renderings.request_rendering(current_user, cycle_or_404(year))
    db.session.commit()
    flash(_("The Report is being drawn from the current data: this page shows when it is ready."),
          "success")
    return redirect(url_for("reports.report_page", year=year))


@bp.get("/<int:year>/report.pdf")
def report_pdf(year: int):
    """The Report as last rendered; with none yet, the page that renders it."""
    require_role(current_user, *renderings.READERS)
    latest = renderings.latest(cycle_or_404(year))
    if latest is None:
        return redirect(url_for("reports.report_page", year=year))
    _job, document = latest
    return download(document.content, document.media_type, document.name)


@bp.get("/<int:year>/piao.pdf")
def piao_pdf(year: int):
    """The integrated plan with every section as it stands, drafts included: for the
    roles that prepare, adopt and check it."""
    require_role(current_user, *piao.READERS)
    cycle = cycle_or_404(year)
    return download(piao.render(cycle), "application/pdf", piao.filename(cycle))


@bp.get("/<int:year>/plan.xlsx")
def plan_xlsx(year: int):
    require_role(current_user, *AGGREGATE_READERS)
    return download(report_excel.plan_with_results(cycle_or_404(year)), XLSX,
                    f"piano-risultati-{year}.xlsx")


@bp.get("/<int:year>/evaluations.xlsx")
def evaluations_xlsx(year: int):
    require_role(current_user, Role.SUPPORT_UNIT, Role.ADMIN)
    cycle = cycle_or_404(year)
    data = report_excel.evaluations(cycle)
    _log_everyone(cycle, AccessKind.EVALUATION)
    return download(data, XLSX, f"valutazioni-{year}.xlsx")


@bp.get("/<int:year>/payouts.xlsx")
def payouts_xlsx(year: int):
    require_role(current_user, Role.SUPPORT_UNIT, Role.ADMIN, Role.SECRETARY_GENERAL)
    cycle = cycle_or_404(year)
    data = report_excel.payouts(cycle)
    _log_everyone(cycle, AccessKind.BONUS)
    return download(data, XLSX, f"premi-{year}.xlsx")
