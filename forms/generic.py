"""Forms any workflow can use for a step that needs no domain data: approve or reject
with a reason, and acknowledge having read something."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from forms.fields import options
from forms.registry import register


def yes_no(value):
    """Coerce a submitted 'yes'/'no' to a boolean; anything else is invalid input."""
    if value is None or isinstance(value, bool):
        return value
    if value in ("yes", "True"):
        return True
    if value in ("no", "False"):
        return False
    raise ValueError("not a yes/no answer")


@register("approval")
class ApprovalForm(FlaskForm):
    """Approve, or reject with a reason. Task data receives `approved` (a boolean) for
    the gateway that follows; the reason stays in the audit trail."""

    title = _l("Approve or reject")
    decision_fields = ("approved",)

    approved = RadioField(
        _l("Decision"), coerce=yes_no, validators=[InputRequired()],
        choices=options([(True, _l("Approve")), (False, _l("Reject"))]),
    )
    reason = TextAreaField(_l("Reason"), validators=[Length(max=4000)],
                           description=_l("Required when you reject."))

    def validate_reason(self, field):
        if self.approved.data is False and not (field.data or "").strip():
            raise ValidationError(_l("Give the reason for the rejection."))


@register("acknowledgement")
class AcknowledgementForm(FlaskForm):
    """Confirm having read what the task shows, optionally with a comment."""

    title = _l("Acknowledge")
    decision_fields = ("acknowledged",)

    acknowledged = BooleanField(_l("I have read and acknowledge"), validators=[DataRequired()])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=4000)])
