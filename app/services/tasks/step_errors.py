"""Domain refusals inside a step handler (the services' ValueError subclasses, such as
PlanError and EvaluationError, and parse errors of values) turned into the task service's
TaskError, so that the task page shows the message and nothing is saved."""
from __future__ import annotations

from contextlib import contextmanager

from app.services.tasks.operations import TaskError


@contextmanager
def refused():
    try:
        yield
    except TaskError:
        raise
    except ValueError as exc:
        raise TaskError(str(exc)) from exc
