"""The registry of task forms: a BPMN user task names its form with the `formKey`
property, and this module maps the key to a Flask-WTF form class.

Forms validate and present; they never query the database nor call services. Contract
for a form class (see forms/generic.py for examples):

- decorate it with ``@register("my_key")`` in any module of the ``forms`` package; every
  module of the package is imported on the first lookup, so nothing else needs editing;
- ``title`` (optional): the heading of the task page; the BPMN task name otherwise;
- ``decision_fields`` (optional): names of fields copied into the task data when no step
  handler owns the form key (see app.services.tasks.steps); task data holds only ids and
  decisions, so free text never belongs there;
- ``prepare(self, context)`` (optional): called right after construction, on display and
  on submission, with the dict the form key's context loader returned (an empty dict
  when the key has none; the loaders are registered with ``@context`` beside the step
  handlers, see app.services.tasks.steps). It fills choices, rows and defaults from that
  data, and keeps whatever the template needs (``self.context``). Checks that need the
  database call the plain callables the context carries, never a service.

Build a task form with ``build(key, context, **constructor_kwargs)``, which does both
steps; callers get the context from ``app.services.tasks.steps.context_for(task)``.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from flask_wtf import FlaskForm

_FORMS: dict[str, type[FlaskForm]] = {}


class UnknownFormKey(KeyError):
    """No form class is registered under this key."""


def register(key: str):
    """Class decorator: make the form available to user tasks as ``formKey=key``."""

    def decorate(cls: type[FlaskForm]) -> type[FlaskForm]:
        if not (isinstance(cls, type) and issubclass(cls, FlaskForm)):
            raise TypeError(f"form {key!r} must be a FlaskForm subclass")
        existing = _FORMS.get(key)
        if existing is not None and existing.__qualname__ != cls.__qualname__:
            raise ValueError(f"form key {key!r} is already registered by {existing.__qualname__}")
        cls.form_key = key
        _FORMS[key] = cls
        return cls

    return decorate


@cache
def _discover() -> None:
    """Import every module of the forms package once, so their decorators run."""
    import forms

    for module in pkgutil.iter_modules(forms.__path__):
        if module.name != "registry":
            importlib.import_module(f"forms.{module.name}")


def build(key: str, context: dict | None = None, **kwargs) -> FlaskForm:
    """The form of the key (kwargs go to its constructor: formdata, meta...), prepared
    with the context its loader gave."""
    form = form_class(key)(**kwargs)
    if hasattr(form, "prepare"):
        form.prepare(context or {})
    return form


def form_class(key: str) -> type[FlaskForm]:
    _discover()
    try:
        return _FORMS[key]
    except KeyError:
        raise UnknownFormKey(key) from None


def is_registered(key: str) -> bool:
    _discover()
    return key in _FORMS


def keys() -> list[str]:
    _discover()
    return sorted(_FORMS)


def decision_fields(key: str) -> tuple[str, ...]:
    return tuple(getattr(form_class(key), "decision_fields", ()))
