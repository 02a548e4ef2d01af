"""Forms of the people plans' pages. Numbers are typed the Italian way (1.234,56)."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.services.people_plan import rules
from app.services.people_plan.staffing import CHANNEL_LABELS, POOL_LABELS
from app.services.people_plan.training import TEACHING_LABELS, TOPIC_LABELS
from forms.fields import ItalianDecimalField, optional_int, options


class VersionedForm(FlaskForm):
    """Every edit of a plan names the version of the plan it was read from."""

    version = HiddenField(validators=[DataRequired()])

    def version_number(self) -> int:
        return int(self.version.data)


class CategoryForm(VersionedForm):
    code = StringField(_l("Category"), validators=[DataRequired(), Length(max=10)],
                       description=_l("DIR, D3, D1, C, B3, B1, A or your own code; an existing "
                                      "code changes its row."))
    monthly_base = ItalianDecimalField(_l("Monthly base of the entry grade (EUR)"),
                                       validators=[InputRequired()])
    charges_rate = ItalianDecimalField(_l("Employer's charges (%)"), validators=[InputRequired()])
    irap_rate = ItalianDecimalField(_l("IRAP (%)"), validators=[InputRequired()])
    ceiling_headcount = IntegerField(_l("Ceiling (posts)"), validators=[InputRequired(), NumberRange(0)])
    ceiling_cost = ItalianDecimalField(_l("Ceiling (cost, EUR)"), validators=[InputRequired()])
    in_service_headcount = IntegerField(_l("In service (people)"),
                                        validators=[InputRequired(), NumberRange(0)])
    in_service_cost = ItalianDecimalField(_l("In service (cost, EUR)"), validators=[InputRequired()])


class BudgetForm(VersionedForm):
    leavers_count = IntegerField(_l("Leavers of last year (people)"),
                                 validators=[InputRequired(), NumberRange(0)])
    leavers_usable = ItalianDecimalField(_l("Their cost in the usable pool (EUR)"),
                                         validators=[InputRequired()])
    carried_usable = ItalianDecimalField(_l("Carried into the usable pool (EUR)"),
                                         validators=[InputRequired()])
    leavers_reserved = ItalianDecimalField(_l("Their cost reserved to protected categories (EUR)"),
                                           validators=[InputRequired()])
    carried_reserved = ItalianDecimalField(_l("Carried into the reserved pool (EUR)"),
                                           validators=[InputRequired()])


def _channel_field(position: int, default: str | None) -> SelectField:
    return SelectField(_l("Channel %(n)s", n=position), coerce=lambda v: v or None,
                       default=default, validators=[Optional()], choices=options(
                           [("", _l("(none)"))] + list(CHANNEL_LABELS.items())))


class HireForm(VersionedForm):
    category_id = SelectField(_l("Category"), coerce=optional_int, validators=[InputRequired()])
    year = SelectField(_l("Year"), coerce=optional_int, validators=[InputRequired()])
    profile = StringField(_l("Profile"), validators=[DataRequired(), Length(max=200)],
                          description=_l("For example: administrative assistant"))
    count = IntegerField(_l("Posts"), default=1, validators=[InputRequired(), NumberRange(1, 1000)])
    time_percent = ItalianDecimalField(_l("Share of full time (%)"), default=Decimal(100),
                                       validators=[InputRequired()])
    pool = SelectField(_l("Pool"), choices=options(POOL_LABELS.items()), default=rules.USABLE)
    channel_1 = _channel_field(1, rules.CHANNELS[0])
    channel_2 = _channel_field(2, rules.CHANNELS[1])
    channel_3 = _channel_field(3, rules.CHANNELS[2])
    channel_4 = _channel_field(4, rules.CHANNELS[3])
    channel_5 = _channel_field(5, rules.CHANNELS[4])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])

    def channels(self) -> list[str]:
        return [f.data for f in (self.channel_1, self.channel_2, self.channel_3, self.channel_4,
                                 self.channel_5) if f.data]


class EntryForm(VersionedForm):
    area = StringField(_l("Objective or strategic area"), validators=[DataRequired(), Length(max=300)])
    action = StringField(_l("Training action"), validators=[DataRequired(), Length(max=300)])
    beneficiaries = StringField(_l("Beneficiaries"), validators=[DataRequired(), Length(max=300)])
    timing = StringField(_l("Timing"), validators=[DataRequired(), Length(max=200)],
                         description=_l("For example: 10-15 sessions by July"))
    teaching = SelectField(_l("Teaching"), choices=options(TEACHING_LABELS.items()))
    contents = TextAreaField(_l("Contents"), validators=[Optional(), Length(max=4000)])
    topic = SelectField(_l("Topic the indicators count"), coerce=lambda v: v or None,
                        choices=options([("", _l("(none)"))] + list(TOPIC_LABELS.items())))
    every_years = IntegerField(_l("Mandatory: again every how many years"),
                               validators=[Optional(), NumberRange(1, 50)])
    within_days = IntegerField(_l("Mandatory: within how many days of hiring"),
                               validators=[Optional(), NumberRange(1, 3650)])
    categories = StringField(_l("Only for the categories"), validators=[Optional(), Length(max=100)],
                             description=_l("Codes separated by commas; empty: all the staff"))


class AttendanceForm(FlaskForm):
    entry_id = SelectField(_l("Training action"), coerce=optional_int, validators=[InputRequired()])
    user_ids = SelectMultipleField(_l("People who attended"), coerce=int,
                                   validators=[DataRequired()])
    emails = TextAreaField(  # instead of user_ids above listing.PEOPLE_LIST_LIMIT
        _l("E-mails of the people who attended"), validators=[DataRequired(), Length(max=100000)],
        description=_l("One per line, or separated by commas."))
    attended_on = DateField(_l("Day of the attendance"), validators=[InputRequired()])
    hours = ItalianDecimalField(_l("Hours (optional)"))


class ObjectiveForm(VersionedForm):
    title = StringField(_l("Objective"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])


class ActionForm(VersionedForm):
    objective_id = SelectField(_l("Objective"), coerce=optional_int, validators=[InputRequired()])
    title = StringField(_l("Action"), validators=[DataRequired(), Length(max=500)])
    actors = StringField(_l("Actors involved"), validators=[DataRequired(), Length(max=1000)])
    beneficiaries = StringField(_l("Beneficiaries"), validators=[DataRequired(), Length(max=1000)])
    deadline = DateField(_l("Deadline (optional)"), validators=[Optional()])
    indicator = StringField(_l("Indicator (optional)"), validators=[Optional(), Length(max=1000)])
    owner_id = SelectField(_l("Owner (optional)"), coerce=optional_int, validators=[Optional()])
    owner_email = EmailField(  # instead of owner_id above listing.PEOPLE_LIST_LIMIT
        _l("Owner's e-mail (optional)"), validators=[Optional(), Length(max=320)])
    budget = ItalianDecimalField(_l("Budget (EUR, optional)"))
