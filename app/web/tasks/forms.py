"""Forms of the task pages that are not task forms: the buttons (CSRF only) and handing a
task over to someone else."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length


class ActionForm(FlaskForm):
    """Claim and release buttons: a CSRF token and nothing else."""


class HandOverForm(FlaskForm):
    user_id = SelectField(_l("Person"), coerce=int, validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
