"""Forms of the administration screens."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.models.org import UnitKind
from app.services.org.people import UserData
from forms.fields import options


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=100)])
    category = StringField(_l("Job category"), validators=[DataRequired(), Length(max=20)])
    unit_id = SelectField(_l("Unit"), coerce=int)
    # Above unit_search.UNIT_LIST_LIMIT units, the unit's code instead of a list of every
    # unit: the view keeps one of the two (admin.unit_picker).
    unit_code = StringField(_l("Unit code (empty: no unit)"),
                            validators=[Optional(), Length(max=40)])
    part_time_percent = DecimalField(
        _l("Part-time percentage"), default=Decimal(100), places=2,
        validators=[DataRequired(), NumberRange(min=Decimal("0.01"), max=Decimal(100))],
    )
    service_start = DateField(_l("Start of service"), validators=[Optional()])
    service_end = DateField(_l("End of service"), validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)

    def to_data(self, unit_id: int | None) -> UserData:
        return UserData(
            email=self.email.data, first_name=self.first_name.data,
            last_name=self.last_name.data, category=self.category.data.strip(),
            unit_id=unit_id, part_time_percent=self.part_time_percent.data,
            service_start=self.service_start.data, service_end=self.service_end.data,
            active=self.active.data,
        )


class PasswordForm(FlaskForm):
    """An administrator sets someone's password (the service applies the policy)."""

    new = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two new passwords do not match."))])


class RolesForm(FlaskForm):
    roles = SelectMultipleField(
        _l("Roles"), widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )


class UnitForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=options([
        (UnitKind.ADMINISTRATION.value, _l("Administration")),
        (UnitKind.AREA.value, _l("Area")),
        (UnitKind.SECTOR.value, _l("Sector")),
    ]))
    parent_id = SelectField(_l("Parent unit"), coerce=int)
    parent_code = StringField(_l("Code of the parent unit (empty: top level)"),
                              validators=[Optional(), Length(max=40)])
    # An e-mail, not a list of everyone: 25,000 options made the page take seconds.
    head_email = StringField(_l("E-mail of the head (empty: no head)"),
                             validators=[Optional(), Length(max=200)])


class EvaluatorForm(FlaskForm):
    evaluatee_email = StringField(_l("E-mail of the person evaluated"),
                                  validators=[DataRequired(), Length(max=200)])
    evaluator_email = StringField(_l("E-mail of the evaluator (empty: the default rule)"),
                                  validators=[Optional(), Length(max=200)])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=500)])


class ImportForm(FlaskForm):
    file = FileField(_l("File (CSV or XLSX)"), validators=[
        FileRequired(), FileAllowed(["csv", "xlsx"], _l("Only CSV or XLSX files."))
    ])


BPMN_MAX_BYTES = 2 * 1024 * 1024


class BpmnUploadForm(FlaskForm):
    file = FileField(_l("BPMN file"), validators=[
        FileRequired(), FileAllowed(["bpmn"], _l("Only .bpmn files.")),
        FileSize(BPMN_MAX_BYTES, message=_l("The file is larger than 2 MB.")),
    ])


class StartInstanceForm(FlaskForm):
    """An administrator tries a deployed process (choices of `cycle` set by the view)."""

    business_key = StringField(_l("Business key"), validators=[DataRequired(), Length(max=200)],
                               description=_l("What the instance is about, e.g. trial-2025-1."))
    cycle = SelectField(_l("Cycle"), coerce=int, choices=[])
