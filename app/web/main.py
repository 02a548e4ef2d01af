"""The home page: what the signed-in person can do."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home():
    return render_template("home.html", user=current_user)
