"""The evaluator's grid (/team/evaluations?cycle=YEAR): everyone whose rating task the
signed-in person holds, one row and one form per person, each saved as a draft or
completed on its own, with the distribution of the evaluator's scores beside the
administration's. Works without JavaScript; static/js/evaluation_grid.js adds the live
score through the rating form's preview endpoint.

A row's form posts to its task: only the task's holder gets past (403), a closed task
or a draft saved meanwhile answers 409, and the completion goes through the task
service with the rating form's own validation, exactly as from the task page."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, HiddenField, IntegerField
from wtforms.validators import InputRequired

from app import engine
from app.extensions import db
from app.models.plan import Cycle
from app.models.privacy import AccessKind
from app.services.evaluation import grid
from app.services.privacy import access_log
from app.services.reports import figures as reports
from app.services.tasks import drafts
from app.services.tasks import operations as task_service
from app.services.tasks.steps import context_for
from app.web.account.me import administration_id
from forms.evaluation import HOW_CHOICES, WHAT_CHOICES, RatingRow
from forms.registry import build

bp = Blueprint("evaluation_grid", __name__)


class RowForm(FlaskForm):
    """One person's row as posted: the ratings, the draft version it started from and
    the button pressed (action: save or complete)."""

    rows = FieldList(FormField(RatingRow))
    version = IntegerField(validators=[InputRequired()])
    action = HiddenField()


def _filters() -> dict:
    """The page's query arguments, kept through posts and redirects."""
    return {key: request.args[key] for key in ("unit", "status", "page")
            if request.args.get(key, "").isalnum()}


def _number(key: str) -> int | None:
    value = request.args.get(key, "")
    return int(value) if value.isdigit() else None


def _render(cycle: Cycle, errors: dict | None = None, entered: dict | None = None,
            status: int = 200):
    page = grid.page(current_user, cycle, _number("unit"), request.args.get("status"),
                     _number("page") or 1)
    rows = [grid.row(cycle, r.task, drafts.draft_of(r.task), entered[r.task.id])
            if entered and r.task.id in entered else r for r in page.rows]
    logged = access_log.record(current_user, [r.person.id for r in rows],
                               AccessKind.EVALUATION, request.path, cycle)
    page_html = render_template(
        "reports/team/evaluations.html", cycle=cycle, page=page, rows=rows,
        cycles=reports.cycles(administration_id()), units=grid.units(current_user, cycle),
        filters=_filters(), unit_id=_number("unit"), pager_args={
            **{k: v for k, v in _filters().items() if k != "page"}, "cycle": cycle.year}, status=request.args.get("status"),
        statuses=grid.STATUSES, what_choices=WHAT_CHOICES, how_choices=HOW_CHOICES,
        errors=errors or {}, distribution=grid.distribution(current_user, cycle))
    if logged:  # after rendering: a commit would expire every row loaded for the page
        db.session.commit()
    return page_html, status


@bp.get("/team/evaluations")
@login_required
def grid_page():
    year = request.args.get("cycle", "")
    if year.isdigit():
        cycle = reports.pick_cycle(administration_id(), int(year))
    else:  # where the viewer has people to rate, else the latest cycle
        cycle = grid.held_cycle(current_user) or reports.pick_cycle(administration_id(), None)
    if cycle is None:
        abort(404)
    if not grid.is_evaluator_in(current_user, cycle):
        abort(403)
    return _render(cycle)


def _merged(rows: list[dict], previous) -> dict:
    """The posted ratings over the draft: the comments written on the task page stay."""
    before = previous.data if previous is not None else {}
    comments = {r.get("objective_id"): r.get("comment") for r in before.get("rows", [])}
    rows = [{**r, "comment": comments.get(r["objective_id"]) or ""} for r in rows]
    return {"rows": rows, "comment": before.get("comment") or ""}


def _formdata(data: dict) -> MultiDict:
    pairs = [("comment", data["comment"])]
    for n, r in enumerate(data["rows"]):
        pairs += [(f"rows-{n}-{k}", "" if r.get(k) is None else str(r[k]))
                  for k in ("objective_id", "what", "how", "comment")]
    return MultiDict(pairs)


def _complete(task, data: dict) -> list[str]:
    """Complete the task with the rating form's validation; the messages if refused."""
    form = build(task.form_key, context_for(task), formdata=_formdata(data),
                 meta={"csrf": False})
    if not form.validate():
        return [*form.form_errors, *_messages([f.errors for f in form])]
    try:
        task_service.complete(current_user, task.id, task_service.submitted_data(form))
        db.session.commit()
    except (task_service.TaskError, engine.EngineError) as exc:
        db.session.rollback()
        if isinstance(exc, engine.EngineError):
            task_service.record_failure(task.id, exc)
            db.session.commit()
        return [str(exc)]
    return []


def _messages(errors) -> list[str]:
    """The messages of a form's nested errors (FieldList and FormField nest them)."""
    if isinstance(errors, dict):
        errors = list(errors.values())
    if isinstance(errors, (list, tuple)):
        return [m for e in errors for m in _messages(e)]
    return [str(errors)]


@bp.post("/team/evaluations/tasks/<int:task_id>")
@login_required
def save_row(task_id: int):
    task = task_service.get(task_id)
    if task.form_key != grid.RATING:
        abort(404)
    drafts.require_holder(current_user, task)
    cycle = db.session.get(Cycle, task.cycle_id)
    form = RowForm()
    if not form.validate_on_submit():
        messages = _messages([f.errors for f in form]) or [
            _("The form has expired: reload the page and try again.")]
        return _render(cycle, {task.id: messages}, {task.id: form.rows.data}, 422)
    previous = drafts.check_version(task, form.version.data)
    data = _merged(form.rows.data, previous)
    name = task.subject.full_name
    if form.action.data == "complete":
        messages = _complete(task, data)
        if messages:
            return _render(cycle, {task.id: messages}, {task.id: data["rows"]}, 422)
        flash(_("Evaluation of %(name)s completed.", name=name), "success")
    else:
        drafts.save(current_user, task.id, data, form.version.data)
        db.session.commit()
        flash(_("Draft of %(name)s saved.", name=name), "success")
    return redirect(url_for("evaluation_grid.grid_page", cycle=cycle.year, **_filters())
                    + f"#row-{task.id}")
