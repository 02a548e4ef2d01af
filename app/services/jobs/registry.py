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
    # Does a chunk's items together, `batch(job, keys, shared)`, when paying once for
    # what they share is cheaper; `run` still does one item (see queue._run_batch).
    batch: Callable[..., None] | None = None
    chunk: int = 10  # items per transaction, unless the worker is told otherwise


_KINDS: dict[str, JobKind] = {}


def _nothing(job) -> None:
    return None


def job_kind(name: str, prepare: Callable[..., Any] = _nothing,
             batch: Callable[..., None] | None = None, chunk: int = 10):
    """Decorator: make the function the handler of one item of the jobs of this kind
    (and `batch`, if given, the handler of a chunk's items together); `chunk` items
    go in one transaction."""

    def decorate(function: Callable[..., None]) -> Callable[..., None]:
        existing = _KINDS.get(name)
        if existing is not None and existing.run.__qualname__ != function.__qualname__:
            raise ValueError(f"job kind {name!r} is already handled by {existing.run.__qualname__}")
        _KINDS[name] = JobKind(name, function, prepare, batch, chunk)
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


def chunk_size(name: str) -> int:
    """The kind's items per transaction (the default for a kind nobody handles, whose
    items fail with that reason)."""
    try:
        return kind(name).chunk
    except LookupError:
        return JobKind.chunk
