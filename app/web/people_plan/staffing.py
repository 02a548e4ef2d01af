"""The staffing plan's page, its edits and its downloads. Every signed-in person reads an
adopted plan; a draft only the roles that prepare and judge it; the support unit and
the Admin edit a draft (app.services.people_plan.common)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.services.people_plan import adoption, staffing, staffing_reports
from app.services.people_plan.common import (
    PeoplePlanError,
    can_read,
    ensure_editor,
    ensure_reader,
    status_text,
)
from app.web.people_plan.forms import BudgetForm, CategoryForm, HireForm, VersionedForm
from app.web.people_plan.helpers import done, invalid, plan_of_year, refused
from app.web.reports.downloads import XLSX, download

bp = Blueprint("staffing", __name__, url_prefix="/people/<int:year>/staffing")


@bp.before_request
@login_required
def _signed_in():
    """Every page needs a signed-in user; each view checks the role."""


def _plan(year: int, *, required: bool = True):
    return plan_of_year(year, staffing.plan_of, required=required)


def _hire_form(plan) -> HireForm:
    form = HireForm(version=plan.version)
    form.category_id.choices = [(c.id, c.code) for c in plan.categories]
    form.year.choices = [(y, str(y)) for y in range(plan.first_year, plan.last_year + 1)]
    return form


@bp.get("/")
def page(year: int):
    """A person who may not read the draft sees that the plan is not adopted yet."""
    cycle, plan = _plan(year, required=False)
    if plan is None or not can_read(current_user, plan):
        return render_template("people_plan/staffing.html", cycle=cycle, plan=None,
                               action_form=VersionedForm(version=0))
    editing = plan.is_draft and current_user.has_role("Admin", "SupportUnit")
    return render_template(
        "people_plan/staffing.html", cycle=cycle, plan=plan, editing=editing,
        table=staffing.table(plan), pools=staffing.pools(plan),
        hires=staffing.hires_by_pool(plan), status_text=status_text(plan),
        in_adoption=adoption.running_instance(plan) is not None,
        category_form=CategoryForm(version=plan.version),
        budget_form=BudgetForm(obj=plan, version=plan.version),
        hire_form=_hire_form(plan), action_form=VersionedForm(version=plan.version),
        **staffing_reports.labels())


def _done(year: int, message: str):
    return done("staffing.page", year, message)


def _refused(year: int, error: Exception | str):
    return refused("staffing.page", year, error)


def _invalid(year: int, form):
    return invalid("staffing.page", year, form)


@bp.post("/open")
def open_plan(year: int):
    ensure_editor(current_user)
    cycle, _plan_row = _plan(year, required=False)
    if not VersionedForm().validate_on_submit():
        abort(400)
    staffing.open_plan(current_user, cycle)
    return _done(year, _("The staffing plan is open."))


@bp.post("/category")
def save_category(year: int):
    ensure_editor(current_user)
    _cycle, plan = _plan(year)
    form = CategoryForm()
    if not form.validate_on_submit():
        return _invalid(year, form)
    data = staffing.CategoryData(**{name: form[name].data for name in staffing.CategoryData.__dataclass_fields__})
    try:
        staffing.save_category(current_user, plan, form.version_number(), data)
    except PeoplePlanError as exc:
        return _refused(year, exc)
    return _done(year, _("Category %(code)s saved.", code=data.code.upper()))


@bp.post("/in-service")
def fill_in_service(year: int):
    """The staff in service from the people register, as of today."""
    ensure_editor(current_user)
    _cycle, plan = _plan(year)
    form = VersionedForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        left_out = staffing.fill_in_service(current_user, plan, form.version_number(), date.today())
    except PeoplePlanError as exc:
        return _refused(year, exc)
    message = _("The staff in service is taken from the people register.")
    if left_out:
        message += " " + _("Left out, as the plan has no such category: %(list)s.", list=", ".join(
            f"{code} ({count})" for code, count in sorted(left_out.items())))
    return _done(year, message)


@bp.post("/category/<int:category_id>/remove")
def remove_category(year: int, category_id: int):
    ensure_editor(current_user)
    _cycle, plan = _plan(year)
    form = VersionedForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        staffing.remove_category(current_user, plan, form.version_number(), category_id)
    except PeoplePlanError as exc:
        return _refused(year, exc)
    return _done(year, _("The category is removed."))


@bp.post("/budget")
def save_budget(year: int):
    ensure_editor(current_user)
    _cycle, plan = _plan(year)
    form = BudgetForm()
    if not form.validate_on_submit():
        return _invalid(year, form)
    data = staffing.BudgetData(**{name: form[name].data for name in staffing.BudgetData.__dataclass_fields__})
    try:
        staffing.save_budget(current_user, plan, form.version_number(), data)
    except PeoplePlanError as exc:
        return _refused(year, exc)
    return _done(year, _("The hiring budget is saved."))


@bp.post("/hires")
def add_hire(year: int):
    ensure_editor(current_user)
    _cycle, plan = _plan(year)
    form = _hire_form(plan)
    if not form.validate_on_submit():
        return _invalid(year, form)
    try:
        staffing.add_hire(current_user, plan, form.version_number(), staffing.HireData(
            category_id=form.category_id.data, year=form.year.data, count=form.count.data,
            time_percent=form.time_percent.data, pool=form.pool.data, profile=form.profile.data,
            channels=form.channels(), note=form.note.data))
    except PeoplePlanError as exc:
        return _refused(year, exc)
    return _done(year, _("The hires are planned."))


@bp.post("/hires/<int:hire_id>/remove")
def remove_hire(year: int, hire_id: int):
    ensure_editor(current_user)
    _cycle, plan = _plan(year)
    form = VersionedForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        staffing.remove_hire(current_user, plan, form.version_number(), hire_id)
    except PeoplePlanError as exc:
        return _refused(year, exc)
    return _done(year, _("The hire is removed."))


@bp.post("/submit")
def submit(year: int):
    ensure_editor(current_user)
    _cycle, plan = _plan(year)
    form = VersionedForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        adoption.submit(current_user, plan, form.version_number(), staffing.plan_problems(plan))
    except PeoplePlanError as exc:
        return _refused(year, exc)
    return _done(year, _("The plan is submitted to the Board for adoption."))


@bp.get("/staffing.pdf")
def pdf(year: int):
    _cycle, plan = _plan(year)
    ensure_reader(current_user, plan)
    return download(staffing_reports.pdf(plan), "application/pdf",
                    f"piano-fabbisogni-{plan.first_year}-{plan.last_year}.pdf")


@bp.get("/staffing.xlsx")
def xlsx(year: int):
    _cycle, plan = _plan(year)
    ensure_reader(current_user, plan)
    return download(staffing_reports.workbook(plan), XLSX,
                    f"piano-fabbisogni-{plan.first_year}-{plan.last_year}.xlsx")
