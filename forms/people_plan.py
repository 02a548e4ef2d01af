"""Task forms of the adoption of a people plan (workflows/people_plan_adoption.bpmn).
Their context loaders and step handlers are in app.services.people_plan.adoption_steps:
the context holds the `plan`, its `cycle`, the Board's last `remark` when it sent the
plan back, and `plan_problems()`, what keeps the plan from adoption."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, DateField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from app.formats.italian import day
from forms.cycle import CycleTaskForm, DeliberationForm
from forms.fields import ItalianDecimalField, options
from forms.registry import register

# The outcomes of the equality committee's opinion (app.models.equality.OpinionOutcome).
OPINION_OUTCOMES = options([("favourable", _l("favourable")),
                            ("with_remarks", _l("favourable with remarks")),
                            ("unfavourable", _l("unfavourable"))])


@register("people_plan_deliberation")
class PeoplePlanDeliberationForm(DeliberationForm):
    title = _l("Record the Board's deliberation on the plan")

    def prepare(self, context: dict) -> None:
        """The Board decides having read the equality committee's opinion, if any."""
        super().prepare(context)
        opinion = context.get("opinion")
        if opinion is not None:
            label = {c.value: c.label for c in OPINION_OUTCOMES}[opinion.outcome]
            self.approved.description = str(_l(
                "The equality committee's opinion of %(date)s: %(outcome)s. %(text)s",
                date=day(opinion.date), outcome=label, text=opinion.text))


@register("people_plan_resubmit")
class PeoplePlanResubmitForm(CycleTaskForm):
    title = _l("Resubmit the plan to the Board")
    note = TextAreaField(_l("Note"), validators=[Length(max=4000)])
    confirm = BooleanField(_l("The plan is corrected: submit it again"),
                           validators=[DataRequired()])

    def validate_confirm(self, field):
        problems = self.context["plan_problems"]()
        if problems:
            raise ValidationError(" ".join(str(p) for p in problems))


@register("people_plan_cug_opinion")
class CugOpinionForm(CycleTaskForm):
    """The committee's opinion as the support unit files it: the Board reads it beside
    the plan, whatever its outcome (the opinion is mandatory, not binding)."""

    title = _l("Record the equality committee's opinion")
    date = DateField(_l("Date of the opinion"), validators=[InputRequired()])
    outcome = RadioField(_l("Outcome"), choices=OPINION_OUTCOMES, validators=[InputRequired()])
    text = TextAreaField(_l("Text of the opinion"), validators=[DataRequired(), Length(max=8000)])
    attachment = FileField(_l("The committee's act (PDF, optional)"),
                           validators=[FileAllowed(["pdf"], _l("Attach a PDF file."))])


@register("training_attendance")
class TrainingAttendanceForm(FlaskForm):
    """The person's declaration that they attended the mandatory training; the context
    gives the `due` date and its `entry` (app.services.people_plan.training_steps)."""

    title = _l("Record your attendance of the mandatory training")
    attended_on = DateField(_l("Day you attended"), validators=[InputRequired()])
    hours = ItalianDecimalField(_l("Hours (optional)"))
    confirm = BooleanField(_l("I declare that I attended this training"),
                           validators=[DataRequired()])

    def prepare(self, context: dict) -> None:
        entry, due = context["entry"], context["due"]
        self.attended_on.description = str(_l(
            "%(action)s (%(area)s), due by %(date)s", action=entry.action, area=entry.area,
            date=day(due.due_on)))
