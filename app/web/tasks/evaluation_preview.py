"""The live score of the rating and review forms: the page posts the ratings being
entered and gets back the score and band (saying when it is below the paying threshold) computed by app.scoring (through
app.services.evaluation.operations.compute, the `score` callable of the forms' context),
with how it is computed, so the browser never duplicates the rules."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.services.evaluation import explanations
from app.services.plan.parts import system_for_person
from app.services.reports import figures as reports
from app.services.tasks import operations as task_service
from app.services.tasks.steps import context_for
from forms.registry import build

bp = Blueprint("evaluation_preview", __name__)

PREVIEWED = ("evaluation_rating", "evaluation_review")


@bp.post("/tasks/<int:task_id>/preview-score")
@login_required
def preview(task_id: int):
    task = task_service.get(task_id)
    if task.form_key not in PREVIEWED:
        abort(404)
    if not task.is_open and task.completed_by_id == current_user.id:
        # A preview racing the form that completed the task (the last keystroke before
        # "Completa"): nothing to compute any more, and nothing wrong either.
        return jsonify(score=None, band=None, error=_("This task has been completed."))
    if not task_service.may_complete(current_user, task):
        abort(403)
    context = context_for(task)
    form = build(task.form_key, context)
    try:
        score, band, values = form.score()
    except ValueError as exc:
        # Ratings still incomplete are the usual state of a form being filled in, not a
        # failed request: the answer says why there is no score yet (an HTTP error
        # status would be logged as an error by the browser at every change).
        return jsonify(score=None, band=None, error=str(exc))
    cycle, person = form.context["cycle"], form.context["person"]
    explanation = explanations.of_ratings(cycle, person, form.objectives, form.rows.data)
    shown = reports.band_shown(band, score, system_for_person(cycle, person).bands)
    return jsonify(score=f"{score:.2f}", band=band, band_label=shown, explanation=explanation,
                   values={str(k): v for k, v in values.items()})
