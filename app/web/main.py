"""The home page: what needs the signed-in person now, where the cycle stands, and the
summary of their role (app.services.reports.home decides what each role sees)."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.engine import clock
from app.services.reports import figures
from app.services.reports.home import home_of
from app.web.account.me import administration_id

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home():
    cycle = figures.pick_cycle(administration_id(), None)
    return render_template("home.html", user=current_user,
                           home=home_of(current_user, cycle, administration_id()),
                           now=clock.now(), step_label=figures.step_label)
