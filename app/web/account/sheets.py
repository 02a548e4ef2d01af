"""A person's objective sheet and evaluation sheet as PDF downloads. The service says
who may download (app.services.evaluation.sheets); the view logs the opening of another
person's sheet as an access to their personal data, like the pages showing it."""
from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user, login_required

from app.extensions import db
from app.models.org import User
from app.models.privacy import AccessKind
from app.services.evaluation import sheets
from app.services.privacy import access_log
from app.web.account.me import cycle_or_404
from app.web.reports.downloads import download

bp = Blueprint("sheets", __name__, url_prefix="/sheets")


@bp.before_request
@login_required
def _signed_in():
    """Every sheet is personal data."""


def _slug(person: User) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in person.full_name.lower())


@bp.get("/<int:year>/<int:user_id>/objectives.pdf")
def objectives(year: int, user_id: int):
    cycle, person = cycle_or_404(year), db.get_or_404(User, user_id)
    pdf = sheets.objective_sheet(current_user, cycle, person)
    if access_log.record(current_user, [person], AccessKind.OBJECTIVES, request.path, cycle):
        db.session.commit()
    return download(pdf, "application/pdf", f"obiettivi-{year}-{_slug(person)}.pdf")


@bp.get("/<int:year>/<int:user_id>/evaluation.pdf")
def evaluation(year: int, user_id: int):
    cycle, person = cycle_or_404(year), db.get_or_404(User, user_id)
    pdf = sheets.evaluation_sheet(current_user, cycle, person)
    if access_log.record(current_user, [person], AccessKind.EVALUATION, request.path, cycle):
        db.session.commit()
    return download(pdf, "application/pdf", f"valutazione-{year}-{_slug(person)}.pdf")
