"""Individual objectives screens: who has which objectives in a cycle, the sheet of one
person (edited by their evaluator), and the import of everyone's objectives."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.models.org import User
from app.models.privacy import AccessKind
from app.services.evaluation import operations as evaluation_service
from app.services.plan import import_jobs, individual, individual_import, people_list
from app.services.plan.access import ensure_plan_editor
from app.services.plan.errors import PlanError
from app.services.privacy import access_log
from app.web.pagination import (
    int_arg,
    page_number,
    page_size,
    query_args,
    search_text,
    unit_filter,
    unit_search_text,
)
from app.web.plan.forms import IndividualForm
from app.web.plan.views import cycle_or_404, flash_errors
from app.web.uploads import background_import_page

bp = Blueprint("plan_people", __name__, url_prefix="/plan")
BLANK_ROWS = 2


@bp.before_request
@login_required
def _signed_in():
    """Every page needs a signed-in user; each view checks the rest."""


@bp.get("/<int:year>/people")
def people(year: int):
    cycle = cycle_or_404(year)
    text, unit_id, unit_text = search_text(), int_arg("unit"), unit_search_text()
    page = people_list.people_page(current_user, cycle, text, unit_id, page_number(),
                                   page_size(), unit_text=unit_text)
    return render_template(
        "plan/people.html", cycle=cycle, people=page, text=text, unit_id=unit_id,
        **unit_filter(None, unit_id, unit_text),
        args=query_args(year=year, q=text, unit=unit_id, unit_q=unit_text,
                        per_page=int_arg("per_page")))


def _objective_choices(cycle) -> list[tuple[int, str]]:
    plan = cycle.plan
    operational = [o for o in (plan.objectives if plan else []) if not o.is_strategic]
    return [(0, _("(none)"))] + [(o.id, f"{o.code} · {o.title}") for o in operational]


@bp.route("/<int:year>/people/<int:user_id>", methods=["GET", "POST"])
def person(year: int, user_id: int):
    cycle = cycle_or_404(year)
    subject = db.get_or_404(User, user_id)
    if not individual.can_view(current_user, cycle, subject):
        abort(403)
    can_edit = individual.can_assign(current_user, cycle, subject)
    if request.method == "GET" and access_log.record(
            current_user, [subject], AccessKind.OBJECTIVES, request.path, cycle):
        db.session.commit()
    current = individual.objectives_of(cycle, subject)
    if request.method == "POST" and not can_edit:
        abort(403)
    form = IndividualForm()
    if request.method == "GET":
        form = IndividualForm(data={"items": [
            {"title": o.title, "actions": o.actions, "behaviours": o.behaviours,
             "measures": o.measures, "weight": o.weight, "objective_id": o.objective_id or 0}
            for o in current] + [{} for _blank in range(BLANK_ROWS if can_edit else 0)]})
    choices = _objective_choices(cycle)
    for entry in form.items:
        entry.objective_id.choices = choices
    if can_edit and form.validate_on_submit():
        items = [
            individual.IndividualObjectiveData(
                title=e.title.data, weight=e.weight.data, actions=e.actions.data,
                behaviours=e.behaviours.data, measures=e.measures.data,
                objective_id=e.objective_id.data or None)
            for e in form.items if (e.title.data or "").strip() or e.weight.raw
        ]
        try:
            individual.set_individual_objectives(current_user, cycle, subject, items)
            db.session.commit()
        except PlanError as exc:
            db.session.rollback()
            flash_errors(exc)
        else:
            flash(_("Objectives saved."), "success")
            return redirect(url_for("plan_people.person", year=year, user_id=subject.id))
    elif request.method == "POST":
        flash(_("Check the highlighted fields."), "danger")
    return render_template("plan/person.html", cycle=cycle, subject=subject, form=form,
                           objectives=current, can_edit=can_edit,
                           sheet=evaluation_service.sheet_of(cycle, subject))


@bp.route("/<int:year>/people/import", methods=["GET", "POST"])
def import_people(year: int):
    cycle = cycle_or_404(year)
    ensure_plan_editor(current_user)
    return background_import_page(
        lambda name, content: import_jobs.record(import_jobs.INDIVIDUAL_JOB, current_user,
                                                 cycle, name, content),
        import_jobs.status(import_jobs.INDIVIDUAL_JOB, cycle),
        lambda report: _("Imported %(objectives)d objectives for %(people)d people.",
                         objectives=report.created, people=report.updated),
        "plan/people_import.html", cycle=cycle, columns=list(individual_import.COLUMNS))
