"""The objective assignment: the evaluator writes the person's objectives (weights adding
up to 100), the person acknowledges them or asks for changes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from app.extensions import db
from app.formats.tables import parse_decimal
from app.models.org import User
from app.models.plan import Cycle
from app.services.evaluation.operations import sheet_of
from app.services.plan.individual import IndividualObjectiveData, objectives_of, set_errors
from forms.registry import register

MIN_ROWS = 5


def task_subject(task) -> tuple[Cycle, User]:
    """The cycle and the person a child process of the cycle is about."""
    instance = task.instance
    return db.session.get(Cycle, instance.cycle_id), db.session.get(User, instance.subject_id)


def optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class ObjectiveRow(Form):
    title = StringField(_l("Objective"), validators=[Length(max=500)])
    actions = TextAreaField(_l("What to achieve"), validators=[Length(max=4000)])
    behaviours = TextAreaField(_l("Behaviours expected"), validators=[Length(max=4000)])
    measures = StringField(_l("How it is measured"), validators=[Length(max=4000)])
    weight = StringField(_l("Weight (%)"), validators=[Length(max=20)])
    objective_id = SelectField(_l("Operational objective"), coerce=optional_int,
                               validate_choice=False)


def objective_items(rows) -> tuple[list[IndividualObjectiveData], dict[int, str]]:
    """The objectives of the non-blank rows, and the rows whose weight is not a number."""
    items, bad_weights = [], {}
    for index, row in enumerate(rows):
        if _blank(row):
            continue
        weight = None
        if (row.get("weight") or "").strip():
            try:
                weight = parse_decimal(row["weight"])
            except ValueError as exc:
                bad_weights[index] = str(exc)
        items.append(IndividualObjectiveData(
            title=row.get("title") or "", weight=weight, actions=row.get("actions"),
            behaviours=row.get("behaviours"), measures=row.get("measures"),
            objective_id=row.get("objective_id")))
    return items, bad_weights


def _blank(row: dict) -> bool:
    return not any((row.get(name) or "").strip() for name in
                   ("title", "actions", "behaviours", "measures", "weight")) \
        and row.get("objective_id") is None


@register("objective_assignment")
class ObjectiveAssignmentForm(FlaskForm):
    """Repeated rows: title, what, how, measures, weight and an optional operational
    objective. Blank rows are ignored; the weights of the others must add up to 100."""

    title = _l("Assign the individual objectives")

    rows = FieldList(FormField(ObjectiveRow), min_entries=MIN_ROWS)

    def prepare(self, task) -> None:
        self.cycle, self.person = task_subject(task)
        existing = objectives_of(self.cycle, self.person)
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
        operational = sorted((o for o in (self.cycle.plan.objectives if self.cycle.plan else ())
                              if not o.is_strategic), key=lambda o: o.code)
        choices = [(None, _l("— none —"))] + [(o.id, f"{o.code} {o.title}") for o in operational]
        for entry in self.rows.entries:
            entry.form.objective_id.choices = choices
        sheet = sheet_of(self.cycle, self.person)
        self.context = {
            "person": self.person, "cycle": self.cycle, "sheet": sheet,
            "changes_requested": sheet.employee_comment if sheet is not None
            and sheet.status == "assigned" else None,
        }

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        items, bad_weights = objective_items(self.rows.data)
        for index, message in bad_weights.items():
            self.rows.entries[index].form.weight.errors.append(message)
        problems = [] if bad_weights else set_errors(self.cycle, items)
        self.form_errors.extend(problems)
        return valid and not bad_weights and not problems


DECISIONS = [("acknowledge", _l("I acknowledge my objectives")),
             ("changes", _l("I ask my evaluator to change them"))]


@register("objective_acknowledgement")
class ObjectiveAcknowledgementForm(FlaskForm):
    """Acknowledge the objectives (optional comment) or ask for changes (reason needed)."""

    title = _l("Acknowledge your objectives")

    decision = RadioField(_l("Your answer"), choices=DECISIONS, validators=[InputRequired()])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=4000)],
                            description=_l("Required when you ask for changes."))

    def prepare(self, task) -> None:
        self.cycle, self.person = task_subject(task)
        self.context = {"person": self.person, "cycle": self.cycle,
                        "objectives": objectives_of(self.cycle, self.person),
                        "sheet": sheet_of(self.cycle, self.person)}

    def validate_comment(self, field) -> None:
        if self.decision.data == "changes" and not (field.data or "").strip():
            raise ValidationError(_l("Say what should change in your objectives."))
