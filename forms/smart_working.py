"""The task forms of a smart-working agreement (workflows/smart_working_agreement.bpmn):
the head of the unit's decision, the Secretary General's exception beyond the limits,
the employee's signature and the monthly report. The contexts (the agreement, its days
per period, the month's planned days) come from app.services.smart_working.agreement_steps."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from forms.fields import options
from forms.registry import register


def _note() -> TextAreaField:
    return TextAreaField(_l("Reason or note"), validators=[Length(max=4000)],
                         description=_l("Required when you refuse."))


class _Decision(FlaskForm):
    """A yes/no decision with a note, required for a refusal."""

    yes, no = "yes", "no"

    def prepare(self, context: dict) -> None:
        self.context = context

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.decision.data == self.no and not (self.note.data or "").strip():
            self.note.errors.append(_l("Give the reason for the refusal."))
            return False
        return valid


@register("smart_working_authorisation")
class AuthorisationForm(_Decision):
    title = _l("Smart-working request")
    decision = RadioField(_l("Decision"), validators=[InputRequired()], choices=options([
        ("yes", _l("Authorise")), ("no", _l("Refuse"))]))
    note = _note()


@register("smart_working_exception")
class ExceptionForm(_Decision):
    title = _l("Exception to the smart-working limits")
    decision = RadioField(_l("Decision"), validators=[InputRequired()], choices=options([
        ("yes", _l("Grant the exception")), ("no", _l("Refuse the exception"))]))
    note = _note()


@register("smart_working_acknowledgement")
class AcknowledgementForm(FlaskForm):
    title = _l("Smart-working agreement")
    accept = BooleanField(_l("I have read the agreement and accept its terms"),
                          validators=[DataRequired(_l("Tick the box to sign the agreement."))])

    def prepare(self, context: dict) -> None:
        self.context = context


@register("smart_working_report")
class ReportForm(FlaskForm):
    """The month's remote days as worked (at most those the agreement plans) and the work
    done; technical problems are told to the head of the unit, who may recall the person."""

    title = _l("Monthly smart-working report")
    days = IntegerField(_l("Whole days worked remotely"),
                        validators=[InputRequired(), NumberRange(min=0, max=31)])
    half_days = IntegerField(_l("Half-days worked remotely"),
                             validators=[InputRequired(), NumberRange(min=0, max=31)])
    activities = TextAreaField(_l("Work done"), validators=[DataRequired(), Length(max=8000)])
    problems = TextAreaField(_l("Technical problems, if any"), validators=[Length(max=4000)])

    def prepare(self, context: dict) -> None:
        self.context = context
        planned = context.get("planned")
        if planned is not None and not self.is_submitted():
            self.days.data, self.half_days.data = planned.days, planned.half_days
