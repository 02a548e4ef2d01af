"""/people/: the people plans of the most recent cycle (the navigation's entry)."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for
from flask_login import login_required

from app.web.account.me import cycle_or_404

bp = Blueprint("people_plans", __name__)


@bp.get("/people/")
@login_required
def index():
    cycle = cycle_or_404(None)
    if cycle is None:
        abort(404)
    return redirect(url_for("staffing.page", year=cycle.year))
