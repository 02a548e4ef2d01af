"""Administration screens for SupportUnit and Admin: users, roles, org chart, evaluator
links, organisation import."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.models.org import ASSIGNABLE_ROLES, OrgUnit, Role, User
from app.services.account import signin
from app.services.org import import_jobs as org_import_jobs
from app.services.org import listing
from app.services.org.errors import OrgError
from app.services.org.operations import set_evaluator
from app.services.org.passwords import set_password
from app.services.org.people import save_user, set_roles
from app.services.org.permissions import ORG_ADMINS, can_manage, require_role
from app.services.org.units import default_administration_id, save_unit
from app.services.privacy import access_log
from app.web.labels import access_kind_label
from app.web.org.forms import EvaluatorForm, PasswordForm, RolesForm, UnitForm, UserForm
from app.web.pagination import (
    int_arg,
    page_number,
    page_size,
    query_args,
    search_text,
    unit_filter,
    unit_search_text,
)
from app.web.unit_fields import NO_UNIT, picked_unit, unit_picker
from app.web.uploads import background_import_page

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _only_org_admins():
    require_role(current_user, *ORG_ADMINS)


def _person(field) -> User | None:
    """The active person whose e-mail the field holds (None when empty); an unknown
    e-mail is the field's error."""
    if not field.data:
        return None
    person = listing.active_person(field.data)
    if person is None:
        field.errors = [*field.errors, _("No active person has this e-mail.")]
    return person


@bp.get("/access-log.csv")
def access_log_csv():
    """The whole personal-data access log, for the Admin only (it is personal data too)."""
    require_role(current_user, Role.ADMIN)
    header = [_("When (UTC)"), _("Viewer e-mail"), _("Viewer"), _("Subject e-mail"),
              _("Subject"), _("What"), _("Cycle"), _("Page")]
    return Response(access_log.to_csv(access_log.all_rows(), header, access_kind_label),
                    mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="accessi-dati-personali.csv"'})


@bp.get("/users")
def users():
    role, status = request.args.get("role") or None, request.args.get("status") or None
    filters = listing.UserFilters(
        text=search_text(), unit_id=int_arg("unit"),
        role=role if role in {r.value for r in ASSIGNABLE_ROLES} else None,
        status=status if status in listing.STATUSES else None, unit_text=unit_search_text())
    return render_template(
        "org/users.html", users=listing.users_page(filters, page_number(), page_size()),
        filters=filters, roles=[r.value for r in ASSIGNABLE_ROLES],
        **unit_filter(None, filters.unit_id, filters.unit_text),
        args=query_args(q=filters.text, unit=filters.unit_id, unit_q=filters.unit_text,
                        role=filters.role, status=filters.status,
                        per_page=int_arg("per_page")))


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int | None = None):
    user = db.session.get(User, user_id) if user_id else None
    if user_id and user is None:
        abort(404)
    form = UserForm(obj=user)
    unit_picker(form, "unit_id", "unit_code", user.unit_id if user else None,
                none_label=_("(no unit)"))
    roles_form = RolesForm(prefix="roles")
    roles_form.roles.choices = [(r.value, str(r.value)) for r in ASSIGNABLE_ROLES]
    if request.method == "GET" and user is not None:
        roles_form.roles.data = sorted(user.roles)
    if form.validate_on_submit() and \
            (unit_id := picked_unit(form, "unit_id", "unit_code")) is not NO_UNIT:
        try:
            saved = save_user(current_user, form.to_data(unit_id), user)
            db.session.commit()
        except OrgError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            flash(_("User saved."), "success")
            return redirect(url_for("admin.user_edit", user_id=saved.id))
    return render_template(
        "org/user_edit.html", form=form, roles_form=roles_form, user=user,
        password_form=PasswordForm(prefix="password"),
        can_manage=user is None or can_manage(current_user, user),
    )


@bp.post("/users/<int:user_id>/password")
def user_password(user_id: int):
    """Set someone's password (the policy applies; their sessions end)."""
    user = db.get_or_404(User, user_id)
    form = PasswordForm(prefix="password")
    if form.validate_on_submit():
        try:
            set_password(current_user, user, form.new.data)
            db.session.commit()
            flash(_("Password set. The user's sessions have been signed out."), "success")
        except OrgError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
    else:
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "danger")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.post("/users/<int:user_id>/roles")
def user_roles(user_id: int):
    user = db.get_or_404(User, user_id)
    form = RolesForm(prefix="roles")
    form.roles.choices = [(r.value, r.value) for r in ASSIGNABLE_ROLES]
    if form.validate_on_submit():
        try:
            set_roles(current_user, user, set(form.roles.data))
            db.session.commit()
            flash(_("Roles saved."), "success")
        except OrgError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
    else:
        flash(_("Choose valid roles."), "danger")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.get("/org")
def org_chart():
    return render_template("org/org_chart.html", chart=listing.org_chart())


@bp.route("/units/new", methods=["GET", "POST"])
@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def unit_edit(unit_id: int | None = None):
    unit = db.session.get(OrgUnit, unit_id) if unit_id else None
    if unit_id and unit is None:
        abort(404)
    form = UnitForm(obj=unit)
    unit_picker(form, "parent_id", "parent_code", unit.parent_id if unit else None,
                none_label=_("(top level)"), leave_out=unit.id if unit else None)
    if request.method == "GET" and unit is not None:
        form.head_email.data = unit.head.email if unit.head else ""
    head, parent_id = None, None
    if form.validate_on_submit():
        head = _person(form.head_email)
        parent_id = picked_unit(form, "parent_id", "parent_code")
    if form.is_submitted() and not form.errors:  # valid, the head and the parent known
        parent = db.session.get(OrgUnit, parent_id) if parent_id else None
        administration_id = (
            unit.administration_id if unit else parent.administration_id if parent
            else default_administration_id()
        )
        try:
            saved = save_unit(
                current_user, administration_id=administration_id, code=form.code.data,
                name=form.name.data, kind=form.kind.data, parent_id=parent_id,
                head_id=head.id if head else None, unit=unit,
            )
            db.session.commit()
        except OrgError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            flash(_("Unit saved."), "success")
            return redirect(url_for("admin.unit_edit", unit_id=saved.id))
    return render_template("org/unit_edit.html", form=form, unit=unit)


@bp.route("/evaluators", methods=["GET", "POST"])
def evaluators():
    """Who evaluates whom, one page of people at a time; a person and an evaluator are
    named by e-mail (a row's link fills in the person)."""
    form = EvaluatorForm()
    person = db.session.get(User, int_arg("person") or 0)
    if request.method == "GET" and person is not None:
        form.evaluatee_email.data = person.email
    if form.validate_on_submit():
        evaluatee, evaluator = _person(form.evaluatee_email), _person(form.evaluator_email)
        if evaluatee is not None and not form.evaluator_email.errors:
            try:
                set_evaluator(current_user, evaluatee, evaluator,
                              reason=form.reason.data)
                db.session.commit()
            except OrgError as exc:
                db.session.rollback()
                flash(str(exc), "danger")
            else:
                flash(_("Evaluator saved."), "success")
                return redirect(url_for("admin.evaluators", **request.args))
    text = search_text()
    return render_template(
        "org/evaluators.html", form=form, text=text,
        chain=listing.evaluation_chain_page(text, page_number(), page_size()),
        args=query_args(q=text, per_page=int_arg("per_page")))


@bp.route("/import", methods=["GET", "POST"])
def import_org():
    return background_import_page(
        lambda name, content: org_import_jobs.record(current_user, name, content),
        org_import_jobs.status(),
        lambda report: _("Import completed: %(created)d people created, %(updated)d updated.",
                         created=report.created, updated=report.updated),
        "org/import.html")


@bp.get("/sign-in-locks")
def sign_in_locks():
    """Sign-in locks in force, for Admins only: who is being guessed, from where."""
    return render_template("org/sign_in_locks.html", locks=signin.current_locks(current_user))


@bp.post("/sign-in-locks/<int:lock_id>/clear")
def clear_sign_in_lock(lock_id: int):
    require_role(current_user, Role.ADMIN)
    if signin.clear_lock(current_user, lock_id):
        db.session.commit()
        flash(_("Lock cleared."), "success")
    return redirect(url_for("admin.sign_in_locks"))
