"""The training plan's page: its entries, the attendance the support unit records, the
due dates it schedules, and the figures per unit (read as app.services.people_plan
.common says: an adopted plan by everyone, a draft by the roles that judge it)."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.models.training import TrainingEntry
from app.services.org import listing
from app.services.people_plan import adoption, training
from app.services.people_plan.common import (
    PeoplePlanError,
    can_read,
    ensure_editor,
    status_text,
)
from app.web import people_fields
from app.web.people_plan.forms import AttendanceForm, EntryForm, VersionedForm
from app.web.people_plan.helpers import done, invalid, plan_of_year, refused

bp = Blueprint("training", __name__, url_prefix="/people/<int:year>/training")
PAGE = "training.page"


@bp.before_request
@login_required
def _signed_in():
    """Every page needs a signed-in user; each view checks the role."""


def _plan(year: int, *, required: bool = True):
    return plan_of_year(year, training.plan_of, required=required)


def _attendance_form(plan) -> AttendanceForm:
    form = AttendanceForm()
    form.entry_id.choices = [(e.id, e.action) for e in plan.entries]
    people_fields.keep_people_field(form, "user_ids", "emails", listing.listed_people())
    return form


@bp.get("/")
def page(year: int):
    cycle, plan = _plan(year, required=False)
    if plan is None or not can_read(current_user, plan):
        return render_template("people_plan/training.html", cycle=cycle, plan=None,
                               action_form=VersionedForm(version=0))
    editor = current_user.has_role("Admin", "SupportUnit")
    return render_template(
        "people_plan/training.html", cycle=cycle, plan=plan, editor=editor,
        editing=editor and plan.is_draft, status_text=status_text(plan),
        in_adoption=adoption.running_instance(plan) is not None,
        figures=training.figures_by_unit(plan),
        anticorruption=training.trained_per_sector(cycle, "anticorruption"),
        entry_form=EntryForm(version=plan.version), attendance_form=_attendance_form(plan),
        action_form=VersionedForm(version=plan.version),
        teaching_label=lambda v: str(training.TEACHING_LABELS.get(v, v)),
        topic_label=lambda v: str(training.TOPIC_LABELS.get(v, v)) if v else "")


@bp.post("/open")
def open_plan(year: int):
    ensure_editor(current_user)
    cycle, _row = _plan(year, required=False)
    if not VersionedForm().validate_on_submit():
        abort(400)
    training.open_plan(current_user, cycle)
    return done(PAGE, year, _("The training plan is open."))


@bp.post("/entries")
def add_entry(year: int):
    ensure_editor(current_user)
    _cycle, plan = _plan(year)
    form = EntryForm()
    if not form.validate_on_submit():
        return invalid(PAGE, year, form)
    try:
        training.add_entry(current_user, plan, form.version_number(), training.EntryData(
            **{name: form[name].data for name in training.EntryData.__dataclass_fields__}))
    except PeoplePlanError as exc:
        return refused(PAGE, year, exc)
    return done(PAGE, year, _("The entry is added."))


@bp.post("/attendance")
def record_attendance(year: int):
    ensure_editor(current_user)
    _cycle, plan = _plan(year)
    form = _attendance_form(plan)
    if (not form.validate_on_submit() or (people := people_fields.picked_people(
            form, "user_ids", "emails")) is people_fields.NO_PERSON):
        return invalid(PAGE, year, form)
    entry = db.session.get(TrainingEntry, form.entry_id.data)
    if entry is None or entry.plan_id != plan.id:
        abort(404)
    try:
        count = training.record_attendance(current_user, entry, people,
                                           form.attended_on.data, form.hours.data)
    except PeoplePlanError as exc:
        return refused(PAGE, year, exc)
    return done(PAGE, year, _("Attendance recorded for %(count)s people.", count=count))


@bp.post("/dues")
def schedule_dues(year: int):
    ensure_editor(current_user)
    _cycle, plan = _plan(year)
    if not VersionedForm().validate_on_submit():
        abort(400)
    created = training.schedule_dues(current_user, plan)
    return done(PAGE, year, _("%(count)s due dates scheduled: the reminders start in the "
                              "background.", count=len(created)))


@bp.post("/submit")
def submit(year: int):
    ensure_editor(current_user)
    _cycle, plan = _plan(year)
    form = VersionedForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        adoption.submit(current_user, plan, form.version_number(), training.plan_problems(plan))
    except PeoplePlanError as exc:
        return refused(PAGE, year, exc)
    return done(PAGE, year, _("The plan is submitted to the Board for adoption."))
