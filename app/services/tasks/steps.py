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
form class's `decision_fields` into the task data: create_app hands the lookup to
``use_decision_fields``, since services never import forms.

The same modules register, with ``@context("form_key", ...)``, the *context loader* of a
form key:

    loader(task) -> dict

It reads (never writes) what the task form shows and checks: the cycle, the person,
their objectives, the rows and choices, and plain callables for the checks that need
the database (the live score, for example). Whoever builds a task form (the task page,
the live score, the demo driver) passes ``context_for(task)`` to it; see forms.registry."""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from functools import cache

StepHandler = Callable[..., dict | None]
ContextLoader = Callable[..., dict]
_HANDLERS: dict[str, StepHandler] = {}
_LOADERS: dict[str, ContextLoader] = {}


def _no_decision_fields(form_key: str) -> tuple[str, ...]:
    return ()


_decision_fields: Callable[[str], Iterable[str]] = _no_decision_fields


def _register(registry: dict[str, Callable], what: str, form_key: str, function: Callable) -> None:
    existing = registry.get(form_key)
    if existing is not None and existing.__qualname__ != function.__qualname__:
        raise ValueError(f"form key {form_key!r} already has the {what} "
                         f"{existing.__module__}.{existing.__qualname__}")
    registry[form_key] = function


def step(form_key: str):
    """Decorator: make the function the handler of the tasks using this form key."""

    def decorate(function: StepHandler) -> StepHandler:
        _register(_HANDLERS, "step handler", form_key, function)
        return function

    return decorate


def context(*form_keys: str):
    """Decorator: make the function the context loader of the forms of these keys."""

    def decorate(function: ContextLoader) -> ContextLoader:
        for form_key in form_keys:
            _register(_LOADERS, "context loader", form_key, function)
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


def loader_for(form_key: str) -> ContextLoader | None:
    _discover()
    return _LOADERS.get(form_key)


def context_for(task) -> dict:
    """What the task's form needs to show and check; empty for a form that needs nothing."""
    loader = loader_for(task.form_key)
    return dict(loader(task)) if loader is not None else {}


def use_decision_fields(lookup: Callable[[str], Iterable[str]]) -> None:
    """Set how the decision fields of a form key are found (forms.registry.decision_fields,
    passed by create_app)."""
    global _decision_fields
    _decision_fields = lookup


def decisions(actor, task, form_data: dict) -> dict:
    """What the step puts into the task data: the handler's answer, or by default the
    form's decision fields."""
    handler = handler_for(task.form_key)
    if handler is not None:
        return dict(handler(actor, task, form_data) or {})
    return {name: form_data[name] for name in _decision_fields(task.form_key) if name in form_data}
