"""The upload-and-import page every import screen shares: the file is validated whole by
the service; a clean file is committed, a file with any bad row changes nothing and comes
back with its per-row errors (422), the first SHOWN_ERRORS of them and how many more.
The upload is read only up to one byte past IMPORT_MAX_BYTES: the service refuses a
larger file at once (app.formats.tables)."""
from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template
from flask_babel import gettext as _

from app.extensions import db
from app.formats.tables import limits
from app.web.org.forms import ImportForm

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
