"""The worker loop behind `flask jobs work`: chunks until the queue is empty."""
from __future__ import annotations

from dataclasses import dataclass, field

from app.services.jobs import queue

# A chunk rolled back by the database (a lock wait, a concurrent save) is tried again
# this many times in a row before the run gives up and leaves it to the next one.
TRANSIENT_RETRIES = 3


@dataclass
class WorkReport:
    chunks: int = 0
    done: int = 0
    failed: int = 0
    finished_jobs: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def work(chunk: int | None = None, max_chunks: int | None = None) -> WorkReport:
    """Run chunks of `chunk` items (default: each kind's own) until nothing is pending
    (or `max_chunks` ran)."""
    report, transient = WorkReport(), 0
    while max_chunks is None or report.chunks < max_chunks:
        try:
            result = queue.run_chunk(chunk)
        except queue.TRANSIENT as exc:
            transient += 1
            report.errors.append(f"chunk rolled back: {exc}")
            if transient >= TRANSIENT_RETRIES:
                break
            continue
        if result is None:
            break
        transient = 0
        report.chunks += 1
        report.done += result.done
        report.failed += result.failed
        report.finished_jobs += result.finished_jobs
    return report
