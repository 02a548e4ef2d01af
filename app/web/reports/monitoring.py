"""The "Monitoraggi" page of a cycle: every monitoring round with its state, the
indicators' values, forecasts and risks and the individual checks (each reader sees
what rounds.visible_results allows), and the form by which the support unit or the OIV
opens an extra round."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.formats.tables import parse_date
from app.services.cycle import rounds
from app.services.org.permissions import require_role
from app.services.reports import figures as reports
from app.web.account.me import administration_id

bp = Blueprint("monitoring", __name__)


@bp.before_request
@login_required
def _signed_in():
    """Signed-in users; the service checks who sees what."""


def _cycle(year: int):
    cycle = reports.pick_cycle(administration_id(), year)
    if cycle is None:
        abort(404)
    return cycle


@bp.get("/monitoraggi")
@bp.get("/monitoraggi/<int:year>")
def rounds_page(year: int | None = None):
    rounds.reader_scope(current_user)
    cycle = reports.pick_cycle(administration_id(), year)
    if cycle is None and year is not None:
        abort(404)
    results = rounds.visible_results(current_user, cycle) if cycle else []
    return render_template("reports/monitoring.html", cycle=cycle, results=results,
                           cycles=reports.cycles(administration_id()),
                           can_open=current_user.has_role(*rounds.OPENERS))


@bp.post("/monitoraggi/<int:year>/rounds")
def open_round(year: int):
    require_role(current_user, *rounds.OPENERS)
    cycle = _cycle(year)
    try:
        due = parse_date(request.form.get("due") or "")
    except ValueError:
        due = None
    try:
        row = rounds.open_extra_round(current_user, cycle, request.form.get("label") or "", due)
    except rounds.RoundError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("monitoring.rounds_page", year=year)), 303
    db.session.commit()
    flash(_("Round %(number)s opened.", number=row.number), "success")
    return redirect(url_for("monitoring.rounds_page", year=year))
