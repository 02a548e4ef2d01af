"""The task forms of transparency (workflows/transparency_update.bpmn and
oiv_attestation.bpmn); contexts and step handlers in
app.services.transparency.transparency_steps."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from forms.fields import optional_int, options
from forms.registry import register


@register("transparency_update")
class UpdateForm(FlaskForm):
    title = _l("Publish the update of the obligation")
    published_on = DateField(_l("Published on"), validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Length(max=4000)])

    def prepare(self, context: dict) -> None:
        self.context = context
        obligation = context["obligation"]
        self.published_on.description = f"{obligation.section}: {obligation.title}"


MARK_LABELS = {"published": _l("Published"), "complete": _l("Complete content"),
               "up_to_date": _l("Up to date"), "open_format": _l("Open format")}


class EntryRow(Form):
    entry_id = HiddenField(filters=[optional_int])
    published = SelectField(MARK_LABELS["published"], validators=[InputRequired()])
    complete = SelectField(MARK_LABELS["complete"], validators=[InputRequired()])
    up_to_date = SelectField(MARK_LABELS["up_to_date"], validators=[InputRequired()])
    open_format = SelectField(MARK_LABELS["open_format"], validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Length(max=4000)])


@register("oiv_attestation_fill")
class AttestationFillForm(FlaskForm):
    """One row per obligation selected: four marks (0-3, or yes/no) and a note."""

    title = _l("Fill the attestation grid")
    rows = FieldList(FormField(EntryRow), label=_l("Obligations"))

    def prepare(self, context: dict) -> None:
        entries, top = context["entries"], context["top"]
        choices = ([("0", "0"), ("1", "1"), ("2", "2"), ("3", "3")] if top == 3
                   else [("1", _l("yes")), ("0", _l("no"))])
        if not self.is_submitted():
            for entry in entries:
                self.rows.append_entry({"entry_id": entry.id, **{
                    m: str(getattr(entry, m)) if getattr(entry, m) is not None else ""
                    for m in MARK_LABELS}, "note": entry.note or ""})
        for row in self.rows.entries:
            for name in MARK_LABELS:
                getattr(row.form, name).choices = options(choices)
        by_id = {e.id: e for e in entries}
        self.context = {**context, "rows": [(r, by_id.get(r.form.entry_id.data))
                                            for r in self.rows.entries]}

    def validate_rows(self, field):
        if {r.form.entry_id.data for r in field.entries} != {e.id for e in
                                                             self.context["entries"]}:
            raise ValidationError(str(_l("Mark every obligation of the attestation, and "
                                         "only those.")))


@register("oiv_attestation_sign")
class AttestationSignForm(FlaskForm):
    title = _l("Sign off the attestation")
    statement = TextAreaField(_l("Statement of the OIV"), validators=[Length(max=8000)])
    confirm = BooleanField(_l("I sign off the attestation"), validators=[DataRequired()])

    def prepare(self, context: dict) -> None:
        self.context = context


@register("oiv_attestation_publish")
class AttestationPublishForm(FlaskForm):
    title = _l("Publish the OIV's attestation")
    confirm = BooleanField(_l("Publish it on the transparency pages"),
                           validators=[DataRequired()])

    def prepare(self, context: dict) -> None:
        self.context = context
