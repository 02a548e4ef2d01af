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
    # Work done outside any transaction (rendering a PDF for seconds): `gather(job, key)`
    # reads what it needs as plain data in a short transaction, `produce(gathered)`
    # works on it with none open, and `run(job, key, produced)` writes the result in a
    # short one (see queue._run_outside). Such a kind does one item at a time.
    gather: Callable[..., Any] | None = None
    produce: Callable[..., Any] | None = None
    # `expand(job)`: the job's items, as queue.enqueue takes them, worked out by the
    # worker rather than the request that records the job (queue.EXPAND).
    expand: Callable[..., Any] | None = None

    @property
    def outside(self) -> bool:
        return self.produce is not None


_KINDS: dict[str, JobKind] = {}


def _nothing(job) -> None:
    return None


def job_kind(name: str, prepare: Callable[..., Any] = _nothing,
             batch: Callable[..., None] | None = None, chunk: int = 10,
             gather: Callable[..., Any] | None = None, produce: Callable[..., Any] | None = None,
             expand: Callable[..., Any] | None = None):
    """Decorator: make the function the handler of one item of the jobs of this kind
    (and `batch`, if given, the handler of a chunk's items together); `chunk` items
    go in one transaction. With `gather` and `produce` the function only writes what
    `produce` made outside the transaction; `expand` lists the items of a job recorded
    with an EXPAND item (see JobKind)."""
    if (gather is None) != (produce is None):
        raise ValueError(f"job kind {name!r}: gather and produce go together")

    def decorate(function: Callable[..., None]) -> Callable[..., None]:
        existing = _KINDS.get(name)
        if existing is not None and existing.run.__qualname__ != function.__qualname__:
            raise ValueError(f"job kind {name!r} is already handled by {existing.run.__qualname__}")
        _KINDS[name] = JobKind(name, function, prepare, batch, 1 if produce else chunk,
                               gather, produce, expand)
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


def chunk_size(name: str, asked: int | None = None) -> int:
    """The kind's items per transaction, or `asked` (the worker's --chunk) unless the
    kind works outside the transaction (one item at a time); the default for a kind
    nobody handles, whose items fail with that reason."""
    try:
        found = kind(name)
    except LookupError:
        return asked or JobKind.chunk
    return 1 if found.outside else asked or found.chunk
