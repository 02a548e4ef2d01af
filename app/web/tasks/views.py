"""The task inbox and the task page: views parse and authorize, app.services.tasks.operations acts.

Also registers, application-wide, the navigation badge and the answer to a stale save:
HTTP 409 "reload and retry" (an optimistic-lock failure, or PostgreSQL breaking a
deadlock or a serialization conflict)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from app import engine, task_names
from app.engine import clock
from app.extensions import db
from app.models.org import User
from app.models.plan import Cycle
from app.models.privacy import AccessKind
from app.services.evaluation.grid import held_count as rating_tasks_held
from app.services.org import listing
from app.services.org import units as org_units
from app.services.org.permissions import units_in_scope
from app.services.privacy import access_log
from app.services.tasks import inbox
from app.services.tasks import operations as task_service
from app.services.tasks import subjects as task_subjects
from app.services.tasks.steps import context_for
from app.web import people_fields
from app.web.jobs.views import progress_context
from app.web.pagination import unit_filter, unit_search_text
from app.web.tasks.forms import ActionForm, HandOverForm
from forms.registry import UnknownFormKey, build

bp = Blueprint("tasks", __name__)

_RETRYABLE = {"40001", "40P01"}  # serialization failure, deadlock detected


@bp.app_context_processor
def _navigation_badge():
    def task_badge() -> int:
        return inbox.badge_count(current_user) if current_user.is_authenticated else 0

    return {"task_badge": task_badge}


def _conflict_page():
    db.session.rollback()
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return jsonify(error=409), 409
    return render_template("errors/409.html"), 409


@bp.app_errorhandler(StaleDataError)
def _stale(_error):
    return _conflict_page()


@bp.app_errorhandler(OperationalError)
def _operational(error):
    if getattr(error.orig, "sqlstate", None) in _RETRYABLE:
        return _conflict_page()
    raise error


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.get("/tasks")
@login_required
def inbox_page():
    counts = inbox.counts(current_user)
    # Without a choice: my tasks, or the ones open for my roles when only those wait.
    view = request.args.get("view") or (
        "pool" if counts["mine"] == 0 and counts["pool"] > 0 else "mine")
    if view not in inbox.VIEWS:
        abort(404)
    filters = inbox.Filters(
        cycle_id=_int_arg("cycle"), unit_id=_int_arg("unit"),
        task_type=request.args.get("type") or None, overdue=request.args.get("overdue") == "1",
        unit_text=unit_search_text(),
    )
    page = inbox.page(view, current_user, filters, _int_arg("page") or 1)
    scope = units_in_scope(current_user)
    if scope is not None:
        scope = scope | {u.org_unit_id for u in page.items if u.org_unit_id is not None}
    return render_template(
        "tasks/inbox.html", view=view, page=page, filters=filters,
        counts=counts, now=clock.now(),
        types=inbox.task_types(view, current_user, filters),
        cycles=db.session.execute(select(Cycle).order_by(Cycle.year.desc())).scalars().all(),
        **unit_filter(scope, filters.unit_id, filters.unit_text), action_form=ActionForm(),
        rating_tasks=rating_tasks_held(current_user),
    )


def _task_form(task):
    try:
        return build(task.form_key, context_for(task))
    except UnknownFormKey:
        abort(500, description=f"form '{task.form_key}' is not registered")


def _receivers(delegating: bool, line: set[int] | None):
    """The statement of who the task may go to: for a task evaluating its subject, the
    subject's line of superiors (`line`, task_subjects.evaluators, so its rightful
    evaluator can take it back); otherwise anyone for a reassignment by Admin, else the
    people of the actor's units (listing keeps the active ones)."""
    stmt = select(User)
    if line is not None:
        stmt = stmt.where(User.id.in_(line))
    elif not _anyone(delegating):
        scope = units_in_scope(current_user)
        if scope is not None:
            stmt = stmt.where(User.unit_id.in_(scope))
    return stmt


def _people(task, delegating: bool, line: set[int] | None) -> list[User] | None:
    """The people of a hand-over form's list, never its holder nor its subject; None when
    too many may receive it to list them (the form then asks for the e-mail)."""
    found = listing.listed_people(_receivers(delegating, line))
    return None if found is None else [
        u for u in found if u.id != task.holder_id and not task_subjects.about_self(u, task)]


def _anyone(delegating: bool) -> bool:
    """Whether a task that evaluates nobody may go to anyone active: an Admin reassigning."""
    return not delegating and current_user.has_role("Admin")


def _render_task(task, form, status: int = 200):
    """The task's page. Its reassign and delegate forms have pages of their own
    (hand_over): the people they offer cost the most of drawing the page, and most
    visits are to complete the task."""
    return render_template(
        "tasks/task.html", task=task, form=form, now=clock.now(),
        unit_path=org_units.path_of(task.org_unit_id),
        instructions=engine.instructions(task.instance.definition, task.bpmn_id,
                                         task_names.language()),
        form_title=getattr(form, "title", None) or task_names.display_name(task),
        may_complete=task_service.may_complete(current_user, task),
        may_claim=task_service.may_claim(current_user, task),
        may_unclaim=task_service.may_unclaim(current_user, task),
        may_reassign=task_service.may_reassign(current_user, task),
        may_delegate=task_service.may_delegate(current_user, task),
        action_form=ActionForm(),
        **progress_context(task.cycle_id),
    ), status


# The processes whose tasks show one person's data, and which data.
_SUBJECT_DATA = {"individual_evaluation": AccessKind.EVALUATION,
                 "objective_assignment": AccessKind.OBJECTIVES}


def _log_subject_access(task) -> bool:
    """Record that the viewer opened the subject's data; whether there is anything to
    commit (the caller commits once the page is drawn: committing before would expire
    what the page is about to read, and it would be read again)."""
    what = _SUBJECT_DATA.get(task.instance.process_id)
    return bool(what is not None and task.subject_id is not None and access_log.record(
        current_user, [task.subject_id], what, request.path, task.cycle_id))


@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@login_required
def task_page(task_id: int):
    task = task_service.get(task_id)
    if not task_service.may_view(current_user, task):
        abort(403)
    form = _task_form(task)
    if request.method == "POST":
        if not task.is_open:  # a second submit, or someone else was quicker: not a refusal
            return _conflict_page()
        if not task_service.may_complete(current_user, task):
            abort(403)
        if form.validate_on_submit():
            done = task_names.display_name(task)  # read before the commit expires the task
            try:
                task_service.complete(current_user, task.id, task_service.submitted_data(form))
                db.session.commit()
            except engine.ScriptLimitError as exc:
                db.session.rollback()
                task_service.record_failure(task_id, exc)
                db.session.commit()
                flash(_("The workflow could not go on: one of its scripts went over its time "
                        "or memory limit and was stopped (%(error)s). Your answers were not "
                        "saved; tell the administrator who manages the workflows.",
                        error=str(exc)), "danger")
                return _render_task(task_service.get(task_id), form, 422)
            except engine.EngineError as exc:
                db.session.rollback()
                task_service.record_failure(task_id, exc)
                db.session.commit()
                flash(_("The workflow could not go on: %(error)s", error=str(exc)), "danger")
                return _render_task(task_service.get(task_id), form, 422)
            except task_service.TaskError as exc:
                db.session.rollback()
                flash(str(exc), "danger")
                return _render_task(task_service.get(task_id), form, 422)
            flash(_("Task completed: %(title)s", title=done), "success")
            return redirect(url_for("tasks.inbox_page"))
        return _render_task(task, form, 422)
    logged = _log_subject_access(task)
    page = _render_task(task, form)
    if logged:
        db.session.commit()
    return page


@bp.post("/tasks/<int:task_id>/claim")
@login_required
def claim(task_id: int):
    if ActionForm().validate_on_submit():
        task_service.claim(current_user, task_id)
        db.session.commit()
        flash(_("You have taken the task."), "success")
    return redirect(url_for("tasks.task_page", task_id=task_id))


@bp.post("/tasks/<int:task_id>/unclaim")
@login_required
def unclaim(task_id: int):
    if ActionForm().validate_on_submit():
        task_service.unclaim(current_user, task_id)
        db.session.commit()
        flash(_("The task is back in the pool."), "success")
    return redirect(url_for("tasks.inbox_page", view="pool"))


_HAND_OVERS = {"reassign": _l("Reassign"), "delegate": _l("Delegate")}
_HAND_OVER_HELP = {
    "reassign": _l("The task goes to the person you choose, who finds it among their "
                   "tasks; whoever holds it now no longer does. The reason is kept in the "
                   "task's history."),
    "delegate": _l("You hand your task to the person you choose, who completes it in your "
                   "place. The reason is kept in the task's history."),
}


def _hand_over_page(task, form, how: str, status: int = 200):
    return render_template(
        "tasks/hand_over.html", task=task, form=form, how=how, heading=_HAND_OVERS[how],
        help_text=_HAND_OVER_HELP[how], unit_path=org_units.path_of(task.org_unit_id),
        now=clock.now()), status


def _hand_over(task_id: int, how: str, allowed, operation):
    """The reassign or delegate form (GET) and its answer (POST): the people it offers are
    the subject's line of superiors for a task evaluating its subject
    (task_subjects.evaluators), otherwise anyone for an Admin reassigning, else the
    people of the actor's units; too many to list, and the form asks for the e-mail."""
    task = task_service.get(task_id)
    if not allowed(current_user, task):
        abort(403)
    form = HandOverForm(prefix=how)
    delegating, line = how == "delegate", task_subjects.evaluators(task)
    people_fields.keep_people_field(form, "user_id", "email", _people(task, delegating, line),
                                    none_label=_("— choose a person —"))
    if request.method == "GET":
        return _hand_over_page(task, form, how)
    if not form.validate_on_submit():
        flash(_("Choose a person and give the reason."), "danger")
        return _hand_over_page(task, form, how, 422)
    if "user_id" in form:
        user_id = form.user_id.data
    else:
        user_id = people_fields.person_id(form.email.data, _receivers(delegating, line))
        if user_id is None:
            flash(_("Nobody who may receive this task has this e-mail."), "danger")
            return _hand_over_page(task, form, how, 422)
    try:
        operation(current_user, task_id, user_id, form.reason.data)
        db.session.commit()
    except task_service.TaskError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return _hand_over_page(task_service.get(task_id), form, how, 422)
    flash(_("The task has been handed over."), "success")
    return redirect(url_for("tasks.inbox_page"))


@bp.route("/tasks/<int:task_id>/reassign", methods=["GET", "POST"])
@login_required
def reassign(task_id: int):
    return _hand_over(task_id, "reassign", task_service.may_reassign, task_service.reassign)


@bp.route("/tasks/<int:task_id>/delegate", methods=["GET", "POST"])
@login_required
def delegate(task_id: int):
    return _hand_over(task_id, "delegate", task_service.may_delegate, task_service.delegate)
