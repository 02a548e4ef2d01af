"""Step handlers: the service that owns a user task, looked up by the task's form key.

When someone submits a task form, app.services.tasks.operations.complete calls, inside the
transaction that completes the task:

    handler(actor, task, form_data) -> dict | None

- actor: the User completing the task (already authorized);
- task: the app.models.engine.HumanTask (task.instance gives the business key, cycle,
  unit, and subject of the instance);
- form_data: the validated form's data (field name -> value, CSRF token removed).

The handler writes the domain tables (and their audit events) and returns the decisions
that go into the task data for the gateways that follow: ids and decisions only, never
documents or free text. Register one with ``@step("form_key")`` in a module of
a package of app.services whose name ends in ``_steps`` (cycle/master_steps.py, for
example): those modules are imported on the first lookup, and only those, so a step handler is an adapter
from form data to the domain services it calls. A form key without a handler puts the
form class's `decision_fields` into the task data."""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from functools import cache

StepHandler = Callable[..., dict | None]
_HANDLERS: dict[str, StepHandler] = {}


def step(form_key: str):
    """Decorator: make the function the handler of the tasks using this form key."""

    def decorate(function: StepHandler) -> StepHandler:
        existing = _HANDLERS.get(form_key)
        if existing is not None and existing.__qualname__ != function.__qualname__:
            raise ValueError(f"form key {form_key!r} already has the step handler "
                             f"{existing.__module__}.{existing.__qualname__}")
        _HANDLERS[form_key] = function
        return function

    return decorate


@cache
def _discover() -> None:
    import app.services as package

    for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        if module.name.endswith("_steps"):
            importlib.import_module(module.name)


def handler_for(form_key: str) -> StepHandler | None:
    _discover()
    return _HANDLERS.get(form_key)


def decisions(actor, task, form_data: dict) -> dict:
    """What the step puts into the task data: the handler's answer, or by default the
    form's decision fields."""
    from forms.registry import decision_fields

    handler = handler_for(task.form_key)
    if handler is not None:
        return dict(handler(actor, task, form_data) or {})
    return {name: form_data[name] for name in decision_fields(task.form_key) if name in form_data}
