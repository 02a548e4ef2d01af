"""What the people plans' views share: finding a year's plan, and answering an edit with
a flash and a redirect to the plan's page."""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.web.account.me import cycle_or_404


def plan_of_year(year: int, plan_of, *, required: bool = True):
    """The cycle of `year` and its plan (`plan_of(cycle)`); 404 without the cycle, or
    without the plan when it is required."""
    cycle = cycle_or_404(year)
    plan = plan_of(cycle)
    if plan is None and required:
        abort(404)
    return cycle, plan


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
