"""The job kinds, registered by the services that own them (see the package docstring)."""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Callable[..., None]
    prepare: Callable[..., Any]


_KINDS: dict[str, JobKind] = {}


def _nothing(job) -> None:
    return None


def job_kind(name: str, prepare: Callable[..., Any] = _nothing):
    """Decorator: make the function the handler of one item of the jobs of this kind."""

    def decorate(function: Callable[..., None]) -> Callable[..., None]:
        existing = _KINDS.get(name)
        if existing is not None and existing.run.__qualname__ != function.__qualname__:
            raise ValueError(f"job kind {name!r} is already handled by {existing.run.__qualname__}")
        _KINDS[name] = JobKind(name, function, prepare)
        return function

    return decorate


@cache
def _discover() -> None:
    import app.services as package

    for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        if module.name.endswith("_jobs"):
            importlib.import_module(module.name)


def kind(name: str) -> JobKind:
    _discover()
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"no handler for jobs of kind {name!r}") from None
