"""The objective assignment: the evaluator writes the person's objectives (weights adding
up to 100), the person acknowledges them or asks for changes. The context comes from
app.services.cycle.assignment_steps."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from app.formats.tables import parse_decimal
from forms.fields import optional_int, options
from forms.registry import register

MIN_ROWS = 5


class ObjectiveRow(Form):
    title = StringField(_l("Objective"), validators=[Length(max=500)])
    actions = TextAreaField(_l("What to achieve"), validators=[Length(max=4000)])
    behaviours = TextAreaField(_l("Behaviours expected"), validators=[Length(max=4000)])
    measures = StringField(_l("How it is measured"), validators=[Length(max=4000)])
    weight = StringField(_l("Weight (%)"), validators=[Length(max=20)])
    objective_id = SelectField(_l("Operational objective"), coerce=optional_int,
                               validate_choice=False)


@register("objective_assignment")
class ObjectiveAssignmentForm(FlaskForm):
    """Repeated rows: title, what, how, measures, weight and an optional operational
    objective. Blank rows are ignored; the weights of the others must add up to 100."""

    title = _l("Assign the individual objectives")

    rows = FieldList(FormField(ObjectiveRow), label=_l("Objectives"), min_entries=MIN_ROWS)

    def prepare(self, context: dict) -> None:
        """context: person, cycle, sheet, changes_requested, objectives (the person's so
        far), operational_objectives ((id, label) pairs), objective_errors(rows)."""
        self.context = context
        existing = context["objectives"]
        if not self.is_submitted():
            while self.rows.entries:
                self.rows.pop_entry()
            for objective in existing:
                self.rows.append_entry({
                    "title": objective.title, "actions": objective.actions or "",
                    "behaviours": objective.behaviours or "", "measures": objective.measures or "",
                    "weight": format(objective.weight.normalize(), "f"),
                    "objective_id": objective.objective_id})
            while len(self.rows.entries) < max(MIN_ROWS, len(existing) + 2):
                self.rows.append_entry()
        choices = [(None, _l("— none —"))] + list(context["operational_objectives"])
        for entry in self.rows.entries:
            entry.form.objective_id.choices = choices

    def _weights_are_numbers(self) -> bool:
        """A weight, where one is written, must be a number (a blank row has none)."""
        numbers = True
        for entry in self.rows.entries:
            weight = entry.form.weight
            if (weight.data or "").strip():
                try:
                    parse_decimal(weight.data)
                except ValueError as exc:
                    weight.errors.append(str(exc))
                    numbers = False
        return numbers

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self._weights_are_numbers():
            return False
        problems = self.context["objective_errors"](self.rows.data)
        self.form_errors.extend(problems)
        return valid and not problems


DECISIONS = options([("acknowledge", _l("I acknowledge my objectives")),
                     ("changes", _l("I ask my evaluator to change them"))])


@register("objective_acknowledgement")
class ObjectiveAcknowledgementForm(FlaskForm):
    """Acknowledge the objectives (optional comment) or ask for changes (reason needed)."""

    title = _l("Acknowledge your objectives")

    decision = RadioField(_l("Your answer"), choices=DECISIONS, validators=[InputRequired()])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=4000)],
                            description=_l("Required when you ask for changes."))

    def prepare(self, context: dict) -> None:
        """context: person, cycle, objectives, sheet."""
        self.context = context

    def validate_comment(self, field) -> None:
        if self.decision.data == "changes" and not (field.data or "").strip():
            raise ValidationError(_l("Say what should change in your objectives."))
