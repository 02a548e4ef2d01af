"""The forms of a monitoring round: an area's monitoring (for each indicator of the
area's objectives, its sectors' included, the value so far, the year-end forecast, and a
risk flag with a note), an evaluator's check of their people's individual objectives (on
track / at risk, note), and the consolidation of an extra round. The contexts come from
app.services.cycle.monitoring_steps."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length

from app.formats.values import format_value, parse_actual
from forms.fields import optional_int, options
from forms.registry import register


class IndicatorRow(Form):
    indicator_id = HiddenField(filters=[optional_int])
    value = StringField(_l("Value so far"), validators=[Length(max=40)])
    forecast = StringField(_l("Year-end forecast"), validators=[Length(max=40)])
    at_risk = BooleanField(_l("At risk"))
    note = TextAreaField(_l("Note"), validators=[Length(max=4000)])


@register("monitoring")
class MonitoringForm(FlaskForm):
    """One row per indicator. Values are written as people write them (85%, 1.234,5,
    30/11/2022, sì); an empty value means "not available yet"."""

    title = _l("Monitoring of the area")

    rows = FieldList(FormField(IndicatorRow), label=_l("Indicators"))

    def prepare(self, context: dict) -> None:
        """context: area, indicators (app.services.cycle.monitoring_steps loads them)."""
        self.indicators = context["indicators"]
        if not self.is_submitted():
            while self.rows.entries:
                self.rows.pop_entry()
            for indicator in self.indicators:
                self.rows.append_entry({
                    "indicator_id": indicator.id,
                    "value": format_value(indicator.monitoring_value),
                    "forecast": format_value(indicator.monitoring_forecast),
                    "at_risk": indicator.at_risk, "note": indicator.monitoring_note or ""})
        self.context = {**context, "rows": list(zip(self.rows.entries, self.indicators))}

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
                    parse_actual(field.data or "", indicator.unit)
                except ValueError as exc:
                    field.errors.append(str(exc))
                    valid = False
            if row.at_risk.data and not (row.note.data or "").strip():
                row.note.errors.append(_l("Say why the indicator is at risk."))
                valid = False
        return valid


class PersonRow(Form):
    user_id = HiddenField(filters=[optional_int])
    outcome = SelectField(_l("Objectives"), choices=options([("on_track", _l("On track")),
                                                             ("at_risk", _l("At risk"))]),
                          default="on_track")
    note = TextAreaField(_l("Note"), validators=[Length(max=4000)])


@register("monitoring_individual_check")
class IndividualCheckForm(FlaskForm):
    """One row per person the evaluator evaluates: one page, however many people."""

    title = _l("Check the individual objectives")

    rows = FieldList(FormField(PersonRow), label=_l("People"))

    def prepare(self, context: dict) -> None:
        """context: round, people, checks (by person id)."""
        self.people = context["people"]
        if not self.is_submitted():
            while self.rows.entries:
                self.rows.pop_entry()
            for person in self.people:
                done = context["checks"].get(person.id)
                self.rows.append_entry({"user_id": person.id,
                                        "outcome": done.outcome if done else "on_track",
                                        "note": (done.note or "") if done else ""})
        self.context = {**context, "rows": list(zip(self.rows.entries, self.people))}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if [e.form.user_id.data for e in self.rows.entries] != [p.id for p in self.people]:
            self.form_errors.append(_l("The people to check have changed: reload the page."))
            return False
        for entry in self.rows.entries:
            row = entry.form
            if row.outcome.data == "at_risk" and not (row.note.data or "").strip():
                row.note.errors.append(_l("Say why the objectives are at risk."))
                valid = False
        return valid


@register("monitoring_round_consolidation")
class RoundConsolidationForm(FlaskForm):
    title = _l("Consolidate the extra round")

    note = TextAreaField(_l("Consolidation note"), validators=[Length(max=4000)])

    def prepare(self, context: dict) -> None:
        self.context = context
