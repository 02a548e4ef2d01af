"""Errors raised by the engine facade. Messages name the BPMN element concerned, so that a
modeler can find it; views show them as they are."""
from __future__ import annotations

from dataclasses import dataclass


class EngineError(Exception):
    """A workflow operation that cannot be carried out (nothing was saved)."""


class ScriptPolicyError(EngineError):
    """Code that the restricted environment refuses. Not a SyntaxError on purpose:
    SpiffWorkflow's error-line helper breaks on a SyntaxError without a line number."""


class ScriptLimitError(EngineError):
    """A script or expression that ran longer or took more memory than the sandbox
    allows (SCRIPT_TIME_LIMIT_MS, SCRIPT_MEMORY_LIMIT_MB); it was stopped. `kind` is
    "time", "memory" or "crash"."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Problem:
    """One reason a deployment is refused."""

    source: str
    element_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}" + (f", element '{self.element_id}'" if self.element_id else "")
        return f"{where}: {self.message}"


class DeploymentError(EngineError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class TaskNotOpen(EngineError):
    """The task was completed or withdrawn in the meantime."""
