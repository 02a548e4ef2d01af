"""The processes that complete a batch of open tasks for the cycle bench: this process
alone, or several at once (`--drivers N`), as many people at their desks do, each
completion in its own transaction with an empty session, as a request has.

A completion that meets another's row lock or a stale version is rolled back and done
again, as a person would send the form again; the retries are counted."""
from __future__ import annotations

import multiprocessing
import time
from random import Random

from app import engine
from app.extensions import db
from app.services.jobs.queue import TRANSIENT
from app.services.tasks import operations as task_service

# The engine's part of each completion in this process (see EngineClock).
ENGINE_PARTS: list[float] = []
ATTEMPTS = 5


class EngineClock:
    """engine.complete_task wrapped with a timer: the engine's part of a completion (load
    the instance, run the task, save the state, inbox rows, audit events, messages), to
    set against raw SpiffWorkflow."""

    def __enter__(self):
        self.original = engine.complete_task
        engine.complete_task = self._timed
        return self

    def _timed(self, *args, **kwargs):
        begin = time.perf_counter()
        try:
            return self.original(*args, **kwargs)
        finally:
            ENGINE_PARTS.append(time.perf_counter() - begin)

    def __exit__(self, *_exc):
        engine.complete_task = self.original


def complete(task_ids: list[int], rng: Random, scenario) -> tuple[list[float], int]:
    """Complete the tasks one after the other; each completion's seconds, and how many
    attempts were rolled back and done again."""
    from app.demo import cycle as demo_cycle

    times, retries = [], 0
    for task_id in task_ids:
        for attempt in range(ATTEMPTS):
            db.session.expunge_all()
            task = task_service.get(task_id)  # as the task page reads it
            inputs = demo_cycle.inputs(task, rng, scenario)  # the bench's, not the product's
            begin = time.perf_counter()
            try:
                demo_cycle.complete(task, inputs)
            except TRANSIENT:
                db.session.rollback()
                if attempt == ATTEMPTS - 1:
                    raise
                retries += 1
                continue
            times.append(time.perf_counter() - begin)
            break
    db.session.expunge_all()
    return times, retries


def _start(url: str, audit_key: str) -> None:
    """A driver process: the application on the bench's database, its context pushed
    for the process's life, the engine's part of each completion timed."""
    from app import create_app
    from bench.cycle_bench import BenchConfig

    BenchConfig.SQLALCHEMY_DATABASE_URI, BenchConfig.AUDIT_KEY = url, audit_key
    create_app(BenchConfig).app_context().push()
    EngineClock().__enter__()


def _complete_share(task_ids: list[int], seed: int) -> tuple[list[float], list[float], int]:
    from app.demo import cycle as demo_cycle

    ENGINE_PARTS.clear()
    times, retries = complete(task_ids, Random(seed), demo_cycle.Scenario())
    return times, list(ENGINE_PARTS), retries


class Drivers:
    """`count` processes sharing each batch of more than `count` tasks; smaller batches
    (the master's steps) are done here, where the scenario's state lives."""

    def __init__(self, url: str, count: int, audit_key: str):
        self.count, self.retries, self.seed = count, 0, 0
        self.pool = None
        if count > 1:
            context = multiprocessing.get_context("spawn")
            self.pool = context.Pool(count, initializer=_start, initargs=(url, audit_key))

    def complete(self, task_ids: list[int], rng: Random, scenario) -> list[float]:
        if self.pool is None or len(task_ids) <= self.count:
            times, retries = complete(task_ids, rng, scenario)
            self.retries += retries
            return times
        shares = [(task_ids[k::self.count], self.seed + k) for k in range(self.count)]
        self.seed += self.count
        times = []
        for share_times, engine_parts, retries in self.pool.starmap(_complete_share, shares):
            times += share_times
            ENGINE_PARTS.extend(engine_parts)
            self.retries += retries
        return times

    def peak_rss_mb(self) -> list[float]:
        from bench.cycle_bench import _peak_rss_mb

        return [] if self.pool is None else [_peak_rss_mb(p.pid) for p in self.pool._pool]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
