"""Waking the workers when there is work, rather than having them poll an empty queue
often: on PostgreSQL a transaction that records a job (or puts an item back in the
queue) sends NOTIFY on a channel that every `flask jobs work` LISTENs to, delivered when
it commits; a worker waits for it, or for its polling interval at most. On SQLite,
which has no notifications, the worker polls at its interval.

The poll stays as the fallback (a notification lost with a broken connection, an item
whose lease ended): the interval can be long, and a job still starts at once."""
from __future__ import annotations

import time

import psycopg
from sqlalchemy import text

from app.extensions import db

CHANNEL = "perf_jobs"


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def notify() -> None:
    """Wake the workers when the current transaction commits (nothing if it rolls back;
    several in one transaction are one)."""
    if _postgresql():
        db.session.execute(text(f"NOTIFY {CHANNEL}"))


class Waiter:
    """The worker's pause between runs: until a notification or `interval` seconds.
    Listens on its own connection, outside the pool's transactions, from listen() on:
    a job recorded while the worker runs wakes its next wait at once."""

    def __init__(self, interval: float):
        self.interval = interval
        self._connection = None

    def listen(self) -> None:
        """Start listening, before the first look at the queue (else a job recorded in
        between would wait for the next poll)."""
        if _postgresql():
            try:
                self._listening()
            except psycopg.Error:
                self.close()  # wait() polls, and tries again

    def wait(self) -> None:
        if not _postgresql():
            time.sleep(self.interval)
            return
        try:
            connection = self._listening()
            for _notice in connection.notifies(timeout=self.interval, stop_after=1):
                pass
            # Several jobs recorded meanwhile are one reason to look at the queue.
            for _notice in connection.notifies(timeout=0):
                pass
        except psycopg.Error:  # a database restart: poll, and listen again next time
            self.close()
            time.sleep(self.interval)

    def _listening(self):
        if self._connection is None:
            url = db.engine.url.set(drivername="postgresql")
            self._connection = psycopg.connect(
                url.render_as_string(hide_password=False), autocommit=True)
            self._connection.execute(f"LISTEN {CHANNEL}")
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None
