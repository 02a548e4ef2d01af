"""Forms of the plan screens. Numbers are typed the Italian way (1.234,5 or 85%)."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.formats.values import DIRECTION_LABELS, TYPE_LABELS, UNIT_LABELS
from app.models.plan import CALENDAR_DEFAULTS, ObjectiveLevel
from forms.fields import ItalianDecimalField, options


class CycleForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])


class AreaForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    weight = ItalianDecimalField(_l("Weight (%)"), default=Decimal(0))


class ObjectiveForm(FlaskForm):
    level = SelectField(_l("Level"), choices=options([
        (ObjectiveLevel.STRATEGIC.value, _l("Strategic")),
        (ObjectiveLevel.OPERATIONAL.value, _l("Operational")),
    ]))
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)],
                       description=_l("For example OS01.1.1 or OP6.1.1-03"))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    parent_id = SelectField(_l("Strategic objective (for operational objectives)"), coerce=int)
    area_id = SelectField(_l("Strategic area (for strategic objectives)"), coerce=int)
    owner_unit_id = SelectField(_l("Owner unit"), coerce=int)
    owner_unit_code = StringField(_l("Code of the owner unit"),  # app.web.unit_fields
                                  validators=[Optional(), Length(max=40)])
    weight = ItalianDecimalField(_l("Weight in the parent (%)"), default=Decimal(0))
    mission_code = StringField(_l("Mission"), validators=[Optional(), Length(max=10)],
                               description=_l("For example 011"))
    programme_code = StringField(_l("Programme"), validators=[Optional(), Length(max=10)],
                                 description=_l("For example 005 or 011.005"))
    budget = ItalianDecimalField(_l("Budget resources (EUR)"))


def _choices(labels: dict) -> list[SelectChoice]:
    return options(labels.items())


class IndicatorForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=500)])
    algorithm = TextAreaField(_l("Algorithm"), validators=[Optional()])
    type = SelectField(_l("Type"), choices=_choices(TYPE_LABELS))
    unit = SelectField(_l("Unit"), choices=_choices(UNIT_LABELS))
    data_source = StringField(_l("Data source"), validators=[Optional(), Length(max=500)])
    baseline = StringField(_l("Baseline"), validators=[Optional(), Length(max=40)])
    baseline_year = IntegerField(_l("Year of the baseline"),
                                 validators=[Optional(), NumberRange(1900, 2200)])
    direction = SelectField(_l("Direction"), choices=_choices(DIRECTION_LABELS))
    target = StringField(_l("Target"), validators=[DataRequired(), Length(max=40)],
                         description=_l("A number (85 or 1.234,5), a date (30/11/2022) or si/no; "
                                        "or relative to an earlier year: '+10% sul 2022', "
                                        "'-2 sul 2022', '= valore 2022'"))
    threshold = StringField(_l("Threshold (0% achievement)"),
                            validators=[Optional(), Length(max=40)])
    weight = ItalianDecimalField(
        _l("Weight in the objective (%)"), validators=[Optional()],
        description=_l("Leave the weights of all the objective's indicators blank to count "
                       "them equally; 0 means the indicator counts for nothing."))
    method = SelectField(_l("Scoring method"))
    # Not posted or None (an entered value) both mean the blank choice; the service
    # refuses an unknown source.
    source = SelectField(_l("Value"), validate_choice=False, choices=options([
        ("", _l("Measured and entered")),
        ("operational_mean", _l("Mean of the operational objectives (strategic objectives "
                                "only; computed, unit %)"))]))
    ratio_cap = ItalianDecimalField(
        _l("Highest achievement of the ratio method (%)"), validators=[Optional()],
        description=_l("Blank: the evaluation system's cap."))
    credit_per_day_late = ItalianDecimalField(
        _l("Points lost per day late (deadlines)"), validators=[Optional()],
        description=_l("Blank: the evaluation system's rule."))
    steps = TextAreaField(
        _l("Steps"), validators=[Optional(), Length(max=2000)],
        description=_l("For the steps method, from the best step to the worst, for example "
                       "'< 80: 100 | < 85: 80 | < 90: 60' or '<= 30/06/2019: 100 | <= "
                       "31/07/2019: 80'. Below every step the achievement is 0."))
    notes = TextAreaField(_l("Notes"), validators=[Optional()])


class MonitoringForm(FlaskForm):
    monitoring_value = StringField(_l("Value at monitoring"),
                                   validators=[Optional(), Length(max=40)])
    monitoring_forecast = StringField(_l("Forecast for year-end"),
                                      validators=[Optional(), Length(max=40)])
    at_risk = BooleanField(_l("At risk"))
    monitoring_note = TextAreaField(_l("Note (risks, reasons)"), validators=[Optional()])


class ActualForm(FlaskForm):
    actual = StringField(_l("Year-end actual"), validators=[Optional(), Length(max=40)])


class NeutraliseForm(FlaskForm):
    reason = TextAreaField(_l("Why it cannot be measured"), validators=[DataRequired()])


class ConfirmForm(FlaskForm):
    """A button with CSRF protection and nothing else."""


class DeliberationForm(FlaskForm):
    number = StringField(_l("Deliberation number"), validators=[DataRequired(), Length(max=40)])
    date = DateField(_l("Deliberation date"), validators=[DataRequired()])


class RevisionForm(FlaskForm):
    reason = TextAreaField(_l("Why the plan needs a revision"), validators=[DataRequired()])


class OpinionForm(FlaskForm):
    reference = StringField(_l("Opinion reference"), validators=[DataRequired(), Length(max=100)])
    date = DateField(_l("Opinion date"), validators=[DataRequired()])
    positive = RadioField(_l("Opinion"), choices=options([("yes", _l("Positive")), ("no", _l("Negative"))]),
                          validators=[DataRequired()])


class IndividualItemForm(FlaskForm):
    class Meta:
        csrf = False

    title = StringField(_l("Objective"), validators=[Optional(), Length(max=500)])
    actions = TextAreaField(_l("Actions (what)"), validators=[Optional()])
    behaviours = TextAreaField(_l("Expected behaviours (how)"), validators=[Optional()])
    measures = TextAreaField(_l("Measures"), validators=[Optional()])
    weight = ItalianDecimalField(_l("Weight (%)"))
    objective_id = SelectField(_l("Operational objective"), coerce=int)


class IndividualForm(FlaskForm):
    items = FieldList(FormField(IndividualItemForm), min_entries=1)


CALENDAR_LABELS = {
    "strategic_objectives_due": _l("Strategic objectives approved by"),
    "plan_due": _l("Plan adopted by"),
    "assignment_due": _l("Individual objectives assigned by"),
    "monitoring_start": _l("Monitoring opens on"),
    "monitoring_due": _l("Monitoring closes on"),
    "revision_due": _l("Plan revision by"),
    "measurement_due": _l("Year-end actuals by"),
    "evaluation_due": _l("Individual evaluations by"),
    "oiv_evaluation_due": _l("OIV evaluation by"),
    "report_due": _l("Report approved and validated by"),
}


class CalendarForm(FlaskForm):
    pass


for _name in CALENDAR_DEFAULTS:
    setattr(CalendarForm, _name, DateField(CALENDAR_LABELS[_name], validators=[DataRequired()]))
