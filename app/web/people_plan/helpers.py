"""What the people plans' views share: answering an edit with a flash and a redirect to
the plan's page."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from app.extensions import db


def done(endpoint: str, year: int, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, year=year))


def refused(endpoint: str, year: int, error: Exception | str):
    db.session.rollback()
    flash(str(error), "danger")
    return redirect(url_for(endpoint, year=year))


def invalid(endpoint: str, year: int, form):
    messages = [f"{form[name].label.text}: {' '.join(map(str, errors))}"
                for name, errors in form.errors.items() if name in form]
    return refused(endpoint, year, " ".join(messages) or _("The form is not valid."))
