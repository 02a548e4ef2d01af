"""A unit on a form, at any size: a drop-down list of every unit up to
unit_search.UNIT_LIST_LIMIT of them, and above that a field for the unit's code (a
ministry's 2,740 units made every such form carry a list of hundreds of kilobytes). A
form declares both fields; unit_picker keeps one, picked_unit reads the unit named."""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from app.services.org import unit_search

NO_UNIT = object()  # picked_unit's answer when the code names no unit


def unit_picker(form, listed: str, coded: str, current_id: int | None, *,
                none_label: str | None = None, none_value=0, leave_out: int | None = None,
                label=lambda u: f"{u.code} · {u.name}") -> None:
    """Keep the drop-down list `listed` (every unit but `leave_out`, after a
    `none_label` choice worth `none_value` when the unit is optional) or, above
    UNIT_LIST_LIMIT units, the code field `coded`; on a GET either shows `current_id`."""
    choices = unit_search.choices()
    if choices is None:
        del form[listed]
        if request.method == "GET" and not form[coded].data:
            form[coded].data = unit_search.code_of(current_id)
        return
    del form[coded]
    form[listed].choices = ([(none_value, none_label)] if none_label is not None else []) + [
        (u.id, label(u)) for u in choices if u.id != leave_out]
    if request.method == "GET":
        form[listed].data = current_id if current_id is not None else none_value


def picked_unit(form, listed: str, coded: str, *, required: bool = False):
    """The unit's id from the field unit_picker kept (None: no unit), or NO_UNIT after
    putting the reason on the code field: a code no unit has, or none given for a
    `required` unit."""
    if listed in form:
        return form[listed].data or None
    field = form[coded]
    code = (field.data or "").strip()
    if not code:
        if required:
            field.errors = [*field.errors, _("Enter the unit's code.")]
            return NO_UNIT
        return None
    unit_id = unit_search.unit_by_code(code)
    if unit_id is None:
        field.errors = [*field.errors, _("No unit has this code.")]
        return NO_UNIT
    return unit_id

