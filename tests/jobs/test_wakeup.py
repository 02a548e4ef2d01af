"""A recorded job wakes the workers at once on PostgreSQL (NOTIFY at commit, which they
LISTEN to), so that they may poll an empty queue rarely; nothing is sent by a
transaction rolled back. On SQLite the worker polls at its interval."""
from __future__ import annotations

import time

import psycopg
import pytest
from sqlalchemy import column, select, table

from app.extensions import db
from app.models.jobs import Job, JobStatus
from app.services.cycle import children
from app.services.jobs import wakeup
from tests.jobs.test_worker_processes import jobs_worker

INTERVAL = 30  # far longer than the test may wait: only a notification can wake it


def _listener(app):
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    connection = psycopg.connect(url, autocommit=True)
    connection.execute(f"LISTEN {wakeup.CHANNEL}")
    return connection


def _received(connection) -> int:
    return len(list(connection.notifies(timeout=0.5)))


def test_a_recorded_job_notifies_at_commit_and_not_on_rollback(app, cycle, master, people, is_postgres):
    if not is_postgres:
        pytest.skip("notifications are PostgreSQL's")
    listener = _listener(app)
    try:
        children.start_assignments(people.support, cycle, master)
        db.session.rollback()
        assert _received(listener) == 0
        children.start_assignments(people.support, cycle, master)
        assert _received(listener) == 0  # not before the commit
        db.session.commit()
        assert _received(listener) == 1
    finally:
        listener.close()


def test_a_sleeping_worker_takes_a_new_job_at_once(app, cycle, master, people, is_postgres):
    if not is_postgres:
        pytest.skip("notifications are PostgreSQL's; on SQLite the worker polls")
    db.session.commit()
    daemon = jobs_worker(app, "--interval", str(INTERVAL), once=False)
    try:
        activity = table("pg_stat_activity", column("query"))
        _until(lambda: db.session.execute(select(activity.c.query).where(
            activity.c.query == f"LISTEN {wakeup.CHANNEL}")).first() is not None, 30)
        children.start_assignments(people.support, cycle, master)
        db.session.commit()
        began = time.monotonic()
        _until(lambda: db.session.scalars(select(Job.status)).one() == JobStatus.DONE.value, 20)
        assert time.monotonic() - began < INTERVAL / 2
    finally:
        daemon.terminate()
        daemon.communicate()


def test_on_sqlite_the_worker_polls_at_its_interval(app, is_postgres):
    if is_postgres:
        pytest.skip("the SQLite fallback")
    waiter = wakeup.Waiter(0.2)
    began = time.monotonic()
    waiter.wait()
    assert 0.2 <= time.monotonic() - began < 2
    wakeup.notify()  # nothing to send on SQLite, and nothing fails


def _until(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        db.session.rollback()
        db.session.expire_all()
        if condition():
            return
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.1)
