"""Fields and coercions shared by the task forms and the application's other forms
(app.web imports them from here; forms never import app.web)."""
from __future__ import annotations

from decimal import Decimal

from wtforms import StringField
from wtforms.fields.choices import SelectChoice

from app.formats.tables import format_decimal, is_not_available, parse_decimal


class ItalianDecimalField(StringField):
    """A number typed as 1.234,56 or 99,83% (plain 1234.56 works too)."""

    raw = ""

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if self.raw and not is_not_available(self.raw):
            try:
                self.data = parse_decimal(self.raw)
            except ValueError as exc:
                self.data = None
                raise ValueError(str(exc)) from exc

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_decimal(self.data) if isinstance(self.data, Decimal) else ""


def optional_int(value):
    """Coerce a submitted id: empty means none."""
    if value in (None, "", "None"):
        return None
    return int(value)


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects WTForms wants for the choices of
    select and radio fields: tuples are deprecated since WTForms 3.3 (a warning at every
    form built) and go in 3.4."""
    return [SelectChoice(value, label) for value, label in pairs]
