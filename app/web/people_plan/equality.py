"""The positive actions plan's page: objectives and numbered actions, the equality
committee's opinions, and each action's state in the cycle's monitoring rounds, which
the support unit records while a round is open."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.services.org import listing
from app.services.people_plan import adoption, equality
from app.services.people_plan.common import (
    PeoplePlanError,
    can_read,
    ensure_editor,
    status_text,
)
from app.web import people_fields
from app.web.people_plan.forms import ActionForm, ObjectiveForm, VersionedForm
from app.web.people_plan.helpers import done, invalid, plan_of_year, refused

bp = Blueprint("equality", __name__, url_prefix="/people/<int:year>/positive-actions")
PAGE = "equality.page"


@bp.before_request
@login_required
def _signed_in():
    """Every page needs a signed-in user; each view checks the role."""


def _plan(year: int, *, required: bool = True):
    return plan_of_year(year, equality.plan_of, required=required)


def _action_form(plan) -> ActionForm:
    form = ActionForm(version=plan.version)
    form.objective_id.choices = [(o.id, f"{o.number}. {o.title}") for o in plan.objectives]
    people_fields.keep_people_field(form, "owner_id", "owner_email", listing.listed_people(),
                                    none_label="—")
    return form


@bp.get("/")
def page(year: int):
    cycle, plan = _plan(year, required=False)
    if plan is None or not can_read(current_user, plan):
        return render_template("people_plan/equality.html", cycle=cycle, plan=None,
                               action_form=VersionedForm(version=0))
    editor = current_user.has_role("Admin", "SupportUnit")
    return render_template(
        "people_plan/equality.html", cycle=cycle, plan=plan, editor=editor,
        editing=editor and plan.is_draft, status_text=status_text(plan),
        in_adoption=adoption.running_instance(plan) is not None,
        opinions=equality.opinions(plan), monitoring=equality.states_by_round(plan),
        open_round=equality.open_round(cycle), actions=equality.actions(plan),
        objective_form=ObjectiveForm(version=plan.version), new_action_form=_action_form(plan),
        action_form=VersionedForm(version=plan.version),
        outcome_label=lambda v: str(equality.OUTCOME_LABELS.get(v, v)),
        state_labels={k: str(v) for k, v in equality.STATE_LABELS.items()})


@bp.post("/open")
def open_plan(year: int):
    ensure_editor(current_user)
    cycle, _row = _plan(year, required=False)
    if not VersionedForm().validate_on_submit():
        abort(400)
    equality.open_plan(current_user, cycle)
    return done(PAGE, year, _("The positive actions plan is open."))


@bp.post("/objectives")
def add_objective(year: int):
    ensure_editor(current_user)
    _cycle, plan = _plan(year)
    form = ObjectiveForm()
    if not form.validate_on_submit():
        return invalid(PAGE, year, form)
    try:
        equality.add_objective(current_user, plan, form.version_number(), form.title.data,
                               form.description.data)
    except PeoplePlanError as exc:
        return refused(PAGE, year, exc)
    return done(PAGE, year, _("The objective is added."))


@bp.post("/actions")
def add_action(year: int):
    ensure_editor(current_user)
    _cycle, plan = _plan(year)
    form = _action_form(plan)
    if (not form.validate_on_submit() or (owner := people_fields.picked_person(
            form, "owner_id", "owner_email")) is people_fields.NO_PERSON):
        return invalid(PAGE, year, form)
    fields = {name: form[name].data for name in equality.ActionData.__dataclass_fields__
              if name != "owner_id"}
    try:
        equality.add_action(current_user, plan, form.version_number(),
                            equality.ActionData(**fields, owner_id=owner))
    except PeoplePlanError as exc:
        return refused(PAGE, year, exc)
    return done(PAGE, year, _("The action is added."))


@bp.post("/monitoring")
def record_states(year: int):
    """One state (and a note) per action, in the round open now."""
    ensure_editor(current_user)
    cycle, plan = _plan(year)
    if not VersionedForm().validate_on_submit():
        abort(400)
    round_ = equality.open_round(cycle)
    if round_ is None:
        return refused(PAGE, year, _("No monitoring round is open."))
    states = [(a.id, request.form.get(f"state_{a.id}", ""), request.form.get(f"note_{a.id}"))
              for a in equality.actions(plan)]
    try:
        equality.record_states(current_user, plan, round_, states)
    except PeoplePlanError as exc:
        return refused(PAGE, year, exc)
    return done(PAGE, year, _("The actions' states are recorded in the round."))


@bp.post("/submit")
def submit(year: int):
    ensure_editor(current_user)
    _cycle, plan = _plan(year)
    form = VersionedForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        adoption.submit(current_user, plan, form.version_number(), equality.plan_problems(plan))
    except PeoplePlanError as exc:
        return refused(PAGE, year, exc)
    return done(PAGE, year, _("The plan is submitted: the equality committee's opinion "
                              "comes first, then the Board's deliberation."))
