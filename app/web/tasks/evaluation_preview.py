"""The live score of the rating and review forms: the page posts the ratings being
entered and gets back the score and band computed by app.scoring (through
app.services.evaluation.operations.compute, the `score` callable of the forms' context),
so the browser never duplicates the rules."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify
from flask_login import current_user, login_required

from app.services.reports.figures import band_label
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
    if not task_service.may_complete(current_user, task):
        abort(403)
    form = build(task.form_key, context_for(task))
    try:
        score, band, values = form.score()
    except ValueError as exc:
        # Ratings still incomplete are the usual state of a form being filled in, not a
        # failed request: the answer says why there is no score yet (an HTTP error
        # status would be logged as an error by the browser at every change).
        return jsonify(score=None, band=None, error=str(exc))
    return jsonify(score=f"{score:.2f}", band=band, band_label=band_label(band),
                   values={str(k): v for k, v in values.items()})
