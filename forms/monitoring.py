"""The July monitoring of an area: for each indicator of the area's objectives (its
sectors' included) the value so far, the year-end forecast, and a risk flag with a note."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length

from app.extensions import db
from app.formats.values import format_value, parse_value
from app.models.org import OrgUnit
from app.models.plan import Cycle, Indicator, Objective
from app.services.cycle.children import area_unit_ids
from forms.assignment import optional_int
from forms.registry import register


class IndicatorRow(Form):
    indicator_id = HiddenField(filters=[optional_int])
    value = StringField(_l("Value so far"), validators=[Length(max=40)])
    forecast = StringField(_l("Year-end forecast"), validators=[Length(max=40)])
    at_risk = BooleanField(_l("At risk"))
    note = TextAreaField(_l("Note"), validators=[Length(max=4000)])


def area_indicators(task) -> list[Indicator]:
    """The indicators of the plan owned by the task's area or a unit below it."""
    cycle = db.session.get(Cycle, task.instance.cycle_id)
    area = db.session.get(OrgUnit, task.instance.org_unit_id)
    if cycle.plan is None or area is None:
        return []
    return list(db.session.execute(
        select(Indicator).join(Objective, Indicator.objective_id == Objective.id)
        .where(Objective.plan_id == cycle.plan.id,
               Objective.owner_unit_id.in_(area_unit_ids(area)))
        .order_by(Indicator.code)).scalars())


@register("monitoring")
class MonitoringForm(FlaskForm):
    """One row per indicator. Values are written as people write them (85%, 1.234,5,
    30/11/2022, sì); an empty value means "not available yet"."""

    title = _l("July monitoring")

    rows = FieldList(FormField(IndicatorRow))

    def prepare(self, task) -> None:
        self.indicators = area_indicators(task)
        if not self.is_submitted():
            while self.rows.entries:
                self.rows.pop_entry()
            for indicator in self.indicators:
                self.rows.append_entry({
                    "indicator_id": indicator.id,
                    "value": format_value(indicator.monitoring_value),
                    "forecast": format_value(indicator.monitoring_forecast),
                    "at_risk": indicator.at_risk, "note": indicator.monitoring_note or ""})
        self.context = {"area": db.session.get(OrgUnit, task.instance.org_unit_id),
                        "rows": list(zip(self.rows.entries, self.indicators))}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        submitted = [entry.form.indicator_id.data for entry in self.rows.entries]
        if submitted != [i.id for i in self.indicators]:
            self.form_errors.append(_l("The indicators of the area have changed: reload the page."))
            return False
        for entry, indicator in zip(self.rows.entries, self.indicators):
            row = entry.form
            for field in (row.value, row.forecast):
                try:
                    parse_value(field.data or "", indicator.unit)
                except ValueError as exc:
                    field.errors.append(str(exc))
                    valid = False
            if row.at_risk.data and not (row.note.data or "").strip():
                row.note.errors.append(_l("Say why the indicator is at risk."))
                valid = False
        return valid
