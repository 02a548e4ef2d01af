"""The "Monitoraggi" page of a cycle: every monitoring round with its state, the
indicators' values, forecasts and risks and the individual checks (each reader sees
what rounds.visible_results allows); the forms by which the support unit or the OIV
open an extra round, and the support unit adds a round to the cycle's calendar."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.formats.tables import parse_date
from app.services.cycle import rounds
from app.services.org.permissions import require_role
from app.services.plan.access import PLAN_EDITORS
from app.services.reports import figures as reports
from app.web.account.me import administration_id, cycle_or_404

bp = Blueprint("monitoring", __name__)


@bp.before_request
@login_required
def _signed_in():
    """Signed-in users; the service checks who sees what."""


@bp.get("/monitoraggi")
@bp.get("/monitoraggi/<int:year>")
def rounds_page(year: int | None = None):
    rounds.reader_scope(current_user)
    cycle = cycle_or_404(year)
    results = rounds.visible_results(current_user, cycle) if cycle else []
    return render_template("reports/monitoring.html", cycle=cycle, results=results,
                           cycles=reports.cycles(administration_id()),
                           can_open=current_user.has_role(*rounds.OPENERS),
                           can_plan=current_user.has_role(*PLAN_EDITORS))


def _date(name: str):
    try:
        return parse_date(request.form.get(name) or "")
    except ValueError:
        return None


def _back(year: int, error: Exception):
    db.session.rollback()
    flash(str(error), "danger")
    return redirect(url_for("monitoring.rounds_page", year=year)), 303


@bp.post("/monitoraggi/<int:year>/calendar")
def add_calendar_round(year: int):
    """Another round in the cycle's calendar (for example 30 September)."""
    require_role(current_user, *PLAN_EDITORS)
    cycle = cycle_or_404(year)
    try:
        rounds.add_calendar_round(current_user, cycle, request.form.get("label") or "",
                                  _date("opens_on"), _date("due"))
    except rounds.RoundError as exc:
        return _back(year, exc)
    db.session.commit()
    flash(_("Round added to the calendar."), "success")
    return redirect(url_for("monitoring.rounds_page", year=year))


@bp.post("/monitoraggi/<int:year>/rounds")
def open_round(year: int):
    require_role(current_user, *rounds.OPENERS)
    cycle = cycle_or_404(year)
    try:
        row = rounds.open_extra_round(current_user, cycle, request.form.get("label") or "",
                                      _date("due"))
    except rounds.RoundError as exc:
        return _back(year, exc)
    db.session.commit()
    flash(_("Round %(number)s opened.", number=row.number), "success")
    return redirect(url_for("monitoring.rounds_page", year=year))
