"""What each task form shows, so an administrator can choose a formKey in the workflow
designer (app.web.designer lists it)."""
from __future__ import annotations

from dataclasses import dataclass

from wtforms.fields.choices import SelectChoice

from forms.registry import form_class, keys

_UNLISTED = ("CSRFTokenField", "SubmitField", "HiddenField")


@dataclass(frozen=True)
class FieldDescription:
    name: str
    label: str
    kind: str
    required: bool
    choices: list[str]
    description: str


@dataclass(frozen=True)
class FormDescription:
    key: str
    title: str
    doc: str
    fields: list[FieldDescription]


def describe(key: str) -> FormDescription:
    """The fields of the key's form as an empty, unprepared instance shows them."""
    cls = form_class(key)
    instance = cls(meta={"csrf": False}, formdata=None)
    fields = []
    for f in instance:
        if f.type in _UNLISTED:
            continue
        choices = [str(tuple(choice)[1]) for choice in (getattr(f, "choices", None) or [])
                   if isinstance(choice, tuple | SelectChoice) and len(tuple(choice)) >= 2]
        fields.append(FieldDescription(f.name, str(f.label.text), f.type, bool(f.flags.required),
                                       choices, str(f.description or "")))
    return FormDescription(key, str(getattr(cls, "title", "") or ""), (cls.__doc__ or "").strip(),
                           fields)


def catalogue() -> list[FormDescription]:
    return [describe(key) for key in keys()]
