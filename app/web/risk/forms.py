"""Forms of the risk section's pages (the task forms are in forms/risk.py)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forms.fields import optional_int, options


class ItemForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    process_id = SelectField(_l("Process"), coerce=int, validators=[InputRequired()])
    phase_id = SelectField(_l("Phase"), coerce=optional_int, validators=[Optional()])
    event = TextAreaField(_l("Risk event"), validators=[DataRequired(), Length(max=4000)])
    factors = TextAreaField(_l("Enabling factors"), validators=[Length(max=4000)])
    analysis = TextAreaField(_l("Analysis"), validators=[Length(max=8000)])
    probability = IntegerField(_l("Probability"), validators=[InputRequired()])
    impact = IntegerField(_l("Impact"), validators=[InputRequired()])
    judgement = TextAreaField(_l("Judgement"), validators=[Length(max=4000)])


KINDS = (("general", _l("general")), ("specific", _l("specific")))


class MeasureForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Measure"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=options(KINDS), validators=[InputRequired()])
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])
    owner_unit_id = SelectField(_l("Owner unit"), coerce=optional_int, validators=[Optional()])
    owner_unit_code = StringField(_l("Code of the owner unit"),  # app.web.unit_fields
                                  validators=[Optional(), Length(max=40)])
    deadline = DateField(_l("Deadline"), validators=[Optional()])
    indicator = StringField(_l("Indicator"), validators=[Length(max=300)])
    target = StringField(_l("Target"), validators=[Length(max=200)])
    objective_id = SelectField(_l("Performance objective (tagged \"A\")"), coerce=optional_int,
                               validators=[Optional()])
    item_ids = SelectMultipleField(_l("Risks treated"), coerce=int, validators=[Optional()])


class SettingsForm(FlaskForm):
    probability_max = IntegerField(_l("Probability: highest value"),
                                   validators=[InputRequired(), NumberRange(2, 10)])
    impact_max = IntegerField(_l("Impact: highest value"),
                              validators=[InputRequired(), NumberRange(2, 10)])
    four_bands = StringField(_l("Bands of the current method"),
                             validators=[DataRequired(), Length(max=200)],
                             description=_l("The upper bounds of low, medium, medium-high and "
                                            "high, separated by semicolons (inclusive): 4; 9; 15; 25"))
    three_bands = StringField(_l("Bands of the older method"),
                              validators=[DataRequired(), Length(max=200)],
                              description=_l("The upper bounds of low, medium and high, "
                                             "separated by semicolons (inclusive): 10; 17; 25"))


METHODS = (("sample", _l("by sample")), ("every_case", _l("every case")))
PERIODICITIES = (("yearly", _l("yearly")), ("half_yearly", _l("half-yearly")),
                 ("quarterly", _l("quarterly")), ("monthly", _l("monthly")), ("none", "-"))


class CheckForm(FlaskForm):
    process_name = StringField(_l("Process"), validators=[DataRequired(), Length(max=300)])
    measure_code = StringField(_l("Measure code"), validators=[DataRequired(), Length(max=40)])
    method = SelectField(_l("Method"), choices=options(METHODS), validators=[InputRequired()])
    periodicity = SelectField(_l("Periodicity"), choices=options(PERIODICITIES),
                              validators=[InputRequired()])


class ProcessForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Process"), validators=[DataRequired(), Length(max=300)])
    unit_id = SelectField(_l("Unit"), coerce=int, validators=[InputRequired()])
    unit_code = StringField(_l("Unit code"), validators=[Optional(), Length(max=40)])
    area_id = SelectField(_l("Risk area"), coerce=int, validators=[InputRequired()])
    phases = TextAreaField(_l("Phases"), validators=[Length(max=8000)],
                           description=_l("One phase per line; its activities after a colon, "
                                          "separated by commas."))


class StartForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])


class TagsForm(FlaskForm):
    objective_id = SelectField(_l("Objective"), coerce=int, validators=[InputRequired()])
    tags = SelectMultipleField(_l("Tags"), choices=options([
        ("A", _l("A: anti-corruption")), ("S", _l("S: simplification")),
        ("C", _l("C: accessibility"))]), validators=[Optional()])


FREQUENCIES = (("timely", _l("timely (checked monthly)")), ("quarterly", _l("quarterly")),
               ("half_yearly", _l("half-yearly")), ("yearly", _l("yearly")))


class ObligationForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)])
    section = StringField(_l("Section"), validators=[DataRequired(), Length(max=200)])
    title = StringField(_l("Obligation"), validators=[DataRequired(), Length(max=400)])
    legal_reference = StringField(_l("Legal reference"), validators=[Length(max=200)])
    preparer_unit_id = SelectField(_l("Prepared by"), coerce=optional_int, validators=[Optional()])
    publisher_unit_id = SelectField(_l("Published by"), coerce=optional_int,
                                    validators=[Optional()])
    preparer_unit_code = StringField(_l("Prepared by (unit code)"),
                                     validators=[Optional(), Length(max=40)])
    publisher_unit_code = StringField(_l("Published by (unit code)"),
                                      validators=[Optional(), Length(max=40)])
    frequency = SelectField(_l("Update"), choices=options(FREQUENCIES),
                            validators=[InputRequired()])


SCALES = (("zero_to_three", _l("0 to 3")), ("yes_no", _l("yes or no")))


class AttestationOpenForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    scale = SelectField(_l("Scale"), choices=options(SCALES), validators=[InputRequired()])
    due = DateField(_l("Due date"), validators=[InputRequired()])
    obligation_ids = SelectMultipleField(_l("Obligations selected for the OIV"), coerce=int,
                                         validators=[DataRequired()])


class AreaForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=10)])
    name = StringField(_l("Risk area"), validators=[DataRequired(), Length(max=200)])
    method = SelectField(_l("Band method"), choices=options([
        ("four_bands", _l("current method (4 bands)")),
        ("three_bands", _l("older method (3 bands)"))]), validators=[InputRequired()])
