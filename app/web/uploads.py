"""The upload-and-import pages the import screens share. import_page runs the import in
the request: the file is validated whole by the service; a clean file is committed, a
file with any bad row changes nothing and comes back with its per-row errors (422), the
first SHOWN_ERRORS of them and how many more. background_import_page stores the upload
with a background job and returns at once (app.services.jobs.imports); the page then
shows the job's progress and, at the end, the same report: what was added and changed,
or the errors with nothing saved. The upload is read only up to one byte past
IMPORT_MAX_BYTES: the service refuses a larger file (app.formats.tables)."""
from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.formats.tables import limits
from app.services.jobs import operations as job_service
from app.web.org.forms import ImportForm
from app.web.tasks.forms import ActionForm

SHOWN_ERRORS = 100


def import_page(run: Callable, success: Callable[[object], str], done_url: str,
                template: str, **context):
    """run(filename, content) -> report with .ok; success(report) -> the flash message."""
    form, report = ImportForm(), None
    if form.validate_on_submit():
        upload = form.file.data
        max_bytes, _rows = limits()
        report = run(upload.filename, upload.stream.read(max_bytes + 1))
        if report.ok:
            db.session.commit()
            flash(success(report), "success")
            return redirect(done_url)
        db.session.rollback()
        flash(_("The file was rejected: nothing has been saved. Correct the rows below and "
                "try again."), "danger")
    status = 422 if report is not None and not report.ok else 200
    errors = report.errors if report is not None else []
    return render_template(template, form=form, report=report, errors_shown=errors[:SHOWN_ERRORS],
                           errors_hidden=max(0, len(errors) - SHOWN_ERRORS), **context), status


def background_import_page(record: Callable, status, success: Callable[[object], str],
                           template: str, **context):
    """record(filename, content) -> the job; status: the page's last import
    (app.services.jobs.imports.ImportStatus) or None; success(report) -> the message of
    a completed import."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        max_bytes, _rows = limits()
        record(upload.filename, upload.stream.read(max_bytes + 1))
        db.session.commit()
        flash(_("The file has been received: it is checked and imported in the background. "
                "This page shows the progress and then the outcome."), "success")
        return redirect(request.path)
    report = status.report if status is not None and status.rejected else None
    errors = report.errors if report is not None else []
    operator = job_service.is_operator(current_user)
    running = [(job, job_service.failed_items(job) if operator else [])
               for job in (status.running if status is not None else [])]
    return render_template(template, form=form, report=report, import_status=status,
                           import_done=success(status.report) if status and status.done else None,
                           errors_shown=errors[:SHOWN_ERRORS],
                           errors_hidden=max(0, len(errors) - SHOWN_ERRORS),
                           background_jobs=running, job_operator=operator,
                           job_action_form=ActionForm(), **context)
