"""`flask jobs work [--once] [--chunk N]`: the worker of the background jobs."""
from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from app.extensions import db

jobs_cli = AppGroup("jobs", help="Background jobs (bulk steps).")


@jobs_cli.command("work")
@click.option("--once", is_flag=True, help="Stop when the queue is empty (otherwise keep polling).")
@click.option("--chunk", default=None, type=click.IntRange(1),
              help="Items per transaction [default: each kind's own, 10 to 50] (on SQLite "
                   "a chunk holds the only write lock: keep it small).")
@click.option("--interval", default=2.0, show_default=True, type=click.FloatRange(0.1),
              help="Seconds between polls of an empty queue (on PostgreSQL a recorded "
                   "job wakes the worker at once).")
def work(once, chunk, interval):
    """Do the pending items of the background jobs, a chunk per transaction. Safe to run
    in several processes at once, and to kill: an interrupted chunk is done again by
    the next run."""
    from app.services.jobs.wakeup import Waiter
    from app.services.jobs.worker import work as run

    waiter = Waiter(interval)
    if not once:
        waiter.listen()
    while True:
        try:
            report = run(chunk)
        except Exception as exc:  # a daemon outlives a database restart
            if once:
                raise
            db.session.rollback()
            click.echo(f"jobs worker failed: {exc}", err=True)
            time.sleep(interval)
            continue
        if report.chunks or report.errors:
            click.echo(f"items done: {report.done}, failed: {report.failed}, "
                       f"jobs finished: {len(report.finished_jobs)}")
        for error in report.errors:
            click.echo(f"error: {error}", err=True)
        if once:
            break
        waiter.wait()
