"""Forms of the task pages that are not task forms: the buttons (CSRF only) and handing a
task over to someone else."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from forms.fields import optional_int


class ActionForm(FlaskForm):
    """Claim and release buttons: a CSRF token and nothing else."""


class HandOverForm(FlaskForm):
    """The view keeps one of the two person fields: the list, or the e-mail when too many
    people may receive the task to list them (app.web.people_fields). The list starts
    with a choice worth nobody, so that a task never goes to whoever sorts first."""
    user_id = SelectField(_l("Person"), coerce=optional_int, validators=[DataRequired()])
    email = EmailField(_l("Person's e-mail"), validators=[DataRequired(), Length(max=320)],
                       description=_l("Too many people may receive this task to list them "
                                      "all: enter the e-mail of the one you choose."))
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
