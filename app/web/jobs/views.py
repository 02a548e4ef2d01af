"""Retrying a failed item of a background job (SupportUnit, Admin), and what the pages
that show the jobs' progress pass to templates/jobs/_progress.html."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.models.jobs import JobItem
from app.services.jobs import operations as job_service
from app.web.account.auth import safe_next
from app.web.tasks.forms import ActionForm

bp = Blueprint("jobs", __name__)


def progress_context(cycle_id: int | None) -> dict:
    """The jobs of the cycle still running or with failed items, with those items for
    the people who may retry them."""
    if cycle_id is None:
        return {"background_jobs": []}
    operator = job_service.is_operator(current_user)
    jobs = [(job, job_service.failed_items(job) if operator else [])
            for job in job_service.jobs_to_show(cycle_id)]
    return {"background_jobs": jobs, "job_operator": operator, "job_action_form": ActionForm()}


@bp.post("/jobs/items/<int:item_id>/retry")
@login_required
def retry_item(item_id: int):
    item = db.session.get(JobItem, item_id)
    if item is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        job_service.retry_item(current_user, item)
        db.session.commit()
    except job_service.JobError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        abort(409)
    flash(_("%(item)s is back in the queue: the worker will try again.", item=item.label), "success")
    return redirect(safe_next(request.form.get("next")) if request.form.get("next")
                    else url_for("dashboard.cycle_dashboard"))
