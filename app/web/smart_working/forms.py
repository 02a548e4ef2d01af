"""The page forms of smart working: the request (or renewal) of an agreement, its
withdrawal, and the administration's policy."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from forms.fields import ItalianDecimalField, options

WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"))


def _part_choices():
    return options([("", _l("In the office")), ("day", _l("Whole day")),
                    ("morning", _l("Morning")), ("afternoon", _l("Afternoon"))])


class RequestForm(FlaskForm):
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day"), validators=[DataRequired()])
    day_0 = SelectField(WEEKDAYS[0], choices=_part_choices(), default="")
    day_1 = SelectField(WEEKDAYS[1], choices=_part_choices(), default="")
    day_2 = SelectField(WEEKDAYS[2], choices=_part_choices(), default="")
    day_3 = SelectField(WEEKDAYS[3], choices=_part_choices(), default="")
    day_4 = SelectField(WEEKDAYS[4], choices=_part_choices(), default="")
    place = RadioField(_l("Place"), validators=[InputRequired()], default="home",
                       choices=options([("home", _l("At home")),
                                        ("other", _l("Another place, given below"))]))
    place_detail = StringField(_l("The other place"), validators=[Length(max=300)])
    equipment = RadioField(_l("Equipment"), validators=[InputRequired()], default="administration",
                           choices=options([("administration", _l("The administration's")),
                                            ("own", _l("My own"))]))
    own_equipment_safe = BooleanField(_l("My own equipment meets the administration's "
                                         "security rules"))
    exception_reason = TextAreaField(
        _l("Reason for an exception to the limits"), validators=[Length(max=4000)],
        description=_l("Only if you ask for more days than the limits allow: the Secretary "
                       "General decides."))

    def pattern(self) -> dict[int, str]:
        fields = (self.day_0, self.day_1, self.day_2, self.day_3, self.day_4)
        return {n: f.data for n, f in enumerate(fields) if f.data}

    def weekday_fields(self):
        return (self.day_0, self.day_1, self.day_2, self.day_3, self.day_4)


def _scale():
    return options([(str(n), str(n)) for n in range(6)])


class RemotabilityForm(FlaskForm):
    """The four conditions (0 = not suited to remote work, 5 = fully suited) and the
    people working on the sub-process."""

    contact = SelectField(_l("Contact with users"), choices=_scale(), coerce=int)
    scheduling = SelectField(_l("How far the work can be scheduled"), choices=_scale(), coerce=int)
    collegiality = SelectField(_l("Independence from collegial work"), choices=_scale(), coerce=int)
    interdependence = SelectField(_l("Independence from other activities"), choices=_scale(),
                                  coerce=int)
    note = TextAreaField(_l("Note"), validators=[Length(max=4000)])
    people = SelectMultipleField(_l("People working on it"), coerce=int, validate_choice=True)
    emails = TextAreaField(  # instead of people above listing.PEOPLE_LIST_LIMIT
        _l("E-mails of the people working on it"), validators=[Length(max=100000)],
        description=_l("One per line, or separated by commas."))


class WithdrawForm(FlaskForm):
    version = HiddenField()
    effective = DateField(_l("Last day of the agreement"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=4000)])


class PolicyForm(FlaskForm):
    period = SelectField(_l("The limits count per"), choices=options([
        ("month", _l("Month")), ("week", _l("Week"))]))
    max_days = IntegerField(_l("Whole days at most"),
                            validators=[InputRequired(), NumberRange(min=0, max=31)])
    max_half_days = IntegerField(_l("Half-days at most"),
                                 validators=[InputRequired(), NumberRange(min=0, max=62)])
    report_due_days = IntegerField(_l("The monthly report is due this many days after the month"),
                                   validators=[InputRequired(), NumberRange(min=1, max=31)])
    score_rule = SelectField(_l("A sub-process's remotability score is"), choices=options([
        ("minimum", _l("the lowest of its four conditions")),
        ("mean", _l("the mean of its four conditions"))]))
    threshold = ItalianDecimalField(_l("Remotable from the score"), validators=[InputRequired()])
