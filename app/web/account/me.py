"""The employee's own pages: objectives with the acknowledgement, the evaluation with its
breakdown per objective and the review request while the window is open, the bonus in
its parts, past cycles, who consulted the person's data, and the person's preferences
(reminders, one message per task or a daily digest). Only ever the signed-in person's own data."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo

from app.extensions import db
from app.models.evaluation import EvaluationStatus
from app.models.types import utcnow
from app.notify import DIGEST_THRESHOLD
from app.services.account import preferences
from app.services.account.password import change_own_password
from app.services.evaluation import explanations
from app.services.evaluation import operations as evaluation_service
from app.services.org.errors import OrgError
from app.services.org.units import default_administration_id
from app.services.plan.individual import objectives_shown
from app.services.privacy import access_log
from app.services.reports import figures as reports

bp = Blueprint("me", __name__, url_prefix="/me")


@bp.before_request
@login_required
def _signed_in():
    """Every page here is about the signed-in person."""


def administration_id() -> int:
    unit = current_user.unit
    return unit.administration_id if unit is not None else default_administration_id()


def cycle_or_404(year: int | None):
    """The cycle of `year` (404 when the administration has none), or without a year
    the most recent cycle (None when there is none yet)."""
    return cycle_and_cycles(year)["cycle"]


def cycle_and_cycles(year: int | None) -> dict:
    """cycle_or_404 as "cycle", with every cycle of the administration as "cycles" (the
    year menu of a page), read once."""
    cycles = reports.cycles(administration_id())
    cycle = reports.cycle_of_year(cycles, year)
    if cycle is None and year is not None:
        abort(404)
    return {"cycle": cycle, "cycles": cycles}


def can_request_review(evaluation) -> bool:
    return (evaluation is not None and evaluation.status == EvaluationStatus.RATED.value
            and (evaluation.review_window_ends_at is None
                 or utcnow() <= evaluation.review_window_ends_at))


def _ratings_by_stage(evaluation) -> dict[str, list]:
    stages: dict[str, list] = {}
    for rating in evaluation.ratings if evaluation else []:
        stages.setdefault(rating.stage, []).append(rating)
    return stages


@bp.get("/")
@bp.get("/<int:year>")
def overview(year: int | None = None):
    context = cycle_and_cycles(year)
    cycle = context["cycle"]
    if cycle is not None:
        evaluation = evaluation_service.evaluation_shown(cycle, current_user)
        allocations = reports.allocations(cycle, current_user)
        context.update(
            objectives=objectives_shown(cycle, current_user),
            sheet=evaluation_service.sheet_of(cycle, current_user),
            evaluation=evaluation, stages=_ratings_by_stage(evaluation),
            review_open=can_request_review(evaluation),
            allocations=allocations,
            explanations=explanations.of_person(cycle, evaluation, allocations),
        )
    return render_template("account/me/overview.html", **context)


@bp.post("/<int:year>/review")
def ask_review(year: int):
    cycle = cycle_or_404(year)
    evaluation = evaluation_service.evaluation_of(cycle, current_user)
    if evaluation is None:
        abort(404)
    try:
        evaluation_service.request_review(current_user, evaluation, request.form.get("reason", ""))
    except evaluation_service.EvaluationError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    else:
        db.session.commit()
        flash(_("Your request for review has been sent."), "success")
    return redirect(url_for("me.overview", year=year) + "#evaluation")


@bp.get("/history")
def history():
    rows = []
    for cycle in reports.cycles(administration_id()):
        evaluation = evaluation_service.evaluation_shown(cycle, current_user)
        paid = reports.allocations(cycle, current_user)
        rows.append((cycle, evaluation, sum((a.total for a in paid), start=0) if paid else None))
    return render_template("account/me/history.html", rows=rows)


@bp.get("/accesses")
def accesses():
    """Who opened my evaluation, objectives or bonus (GDPR art. 15)."""
    return render_template("account/me/accesses.html", rows=access_log.about(current_user))


@bp.route("/preferences", methods=["GET", "POST"])
def preferences_page():
    """Reminders can be turned off; assignments and escalations cannot."""
    if request.method == "POST":
        changed = preferences.set_reminders_opt_out(
            current_user, request.form.get("reminders") != "on")
        try:
            changed |= preferences.set_mail_mode(current_user, request.form.get("mail_mode"))
        except ValueError:
            abort(400)
        db.session.commit()
        if changed:
            flash(_("Your preferences have been saved."), "success")
        return redirect(url_for("me.preferences_page"))
    return render_template("account/me/preferences.html", digest_threshold=DIGEST_THRESHOLD)


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired()],
                        description=_l("At least 12 characters; not a common password; "
                                       "not containing your name or e-mail address."))
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two new passwords do not match."))])


@bp.route("/password", methods=["GET", "POST"])
def password_page():
    """After the change every other session of the person ends; this one goes on."""
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_own_password(user, form.current.data, form.new.data)
        except OrgError as exc:
            db.session.rollback()
            form.new.errors.append(str(exc))
            status = 400
        else:
            db.session.commit()
            login_user(user)  # the session under the new version
            flash(_("Your password has been changed. Other sessions have been signed out."),
                  "success")
            return redirect(url_for("me.overview"))
    elif request.method == "POST":
        status = 400
    return render_template("account/me/password.html", form=form), status
