"""Real worker processes (`flask jobs work`) on the test database: one killed with
SIGKILL in the middle of a job and started again, and two running side by side. In both
every person gets exactly one child and every item is done in exactly one attempt."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from app.demo import population
from app.extensions import db
from app.models.engine import ProcessInstance
from app.models.jobs import ItemStatus, Job, JobItem, JobStatus
from app.services.cycle import children

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 240


def jobs_worker(app, *args, once: bool = True) -> subprocess.Popen:
    """`flask jobs work` on the test database: with `once` until the queue is empty,
    otherwise as a daemon runs it."""
    env = dict(os.environ, FLASK_APP="app", APP_ENV="development",
               DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               AUDIT_KEY=app.config["AUDIT_KEY"], PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "flask", "jobs", "work",
                             *(["--once"] if once else []), *args],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _job() -> Job:
    db.session.rollback()
    db.session.expire_all()
    return db.session.scalars(select(Job)).one()


def _queue_assignments(cycle, master, people) -> int:
    population.grow(PEOPLE, cycle)
    total = children.start_assignments(people.support, cycle, master)
    db.session.commit()
    return total


def _assert_each_person_once(master, total: int) -> None:
    job = _job()  # its items: the people listed, then one per person
    assert (job.status, job.done, job.failed) == (JobStatus.DONE.value, total + 1, 0)
    per_person = db.session.execute(
        select(ProcessInstance.subject_id, func.count(ProcessInstance.id))
        .where(ProcessInstance.parent_id == master.id).group_by(ProcessInstance.subject_id)).all()
    assert len(per_person) == total and {n for _s, n in per_person} == {1}
    attempts = set(db.session.scalars(select(JobItem.attempts)))
    assert attempts == {1}


def test_a_worker_killed_mid_job_leaves_no_person_skipped_or_done_twice(app, cycle, master, people):
    total = _queue_assignments(cycle, master, people)
    worker = jobs_worker(app, "--chunk", "10")
    deadline = time.monotonic() + 120
    while _job().done < 30:
        assert worker.poll() is None and time.monotonic() < deadline, worker.stderr.read()
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    job = _job()
    assert job.status == JobStatus.RUNNING.value and 30 <= job.done < total
    restarted = jobs_worker(app, "--chunk", "10")
    _out, err = restarted.communicate(timeout=300)
    assert restarted.returncode == 0, err
    _assert_each_person_once(master, total)
    assert db.session.scalar(select(func.count(JobItem.id)).where(
        JobItem.status == ItemStatus.DONE.value)) == total + 1


def _wait_until(condition, worker: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert worker.poll() is None and time.monotonic() < deadline, worker.stderr.read()
        time.sleep(0.05)


def _done_by(worker: subprocess.Popen) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(JobItem.id)).where(
        JobItem.claim_token.like(f"{worker.pid}-%"), JobItem.status == ItemStatus.DONE.value))


def test_two_workers_never_take_the_same_item(app, cycle, master, people, is_postgres):
    total = _queue_assignments(cycle, master, people)
    first = jobs_worker(app, "--chunk", "5")
    if is_postgres:
        # The first worker is frozen in the middle of the job, perhaps inside a chunk with
        # its items locked: the second takes other items (SKIP LOCKED) and has done some
        # before the first goes on, so both take part, side by side.
        _wait_until(lambda: _job().done >= 10, first)
        first.send_signal(signal.SIGSTOP)
        second = jobs_worker(app, "--chunk", "5")
        deadline = time.monotonic() + 120
        while _done_by(second) < 5:
            assert second.poll() is None and time.monotonic() < deadline, second.stderr.read()
            # Frozen inside a chunk, the first also holds the audit chain's lock, which
            # the second then waits for: let the first run on a moment to commit it.
            time.sleep(1)
            first.send_signal(signal.SIGCONT)
            time.sleep(0.1)
            first.send_signal(signal.SIGSTOP)
        first.send_signal(signal.SIGCONT)
    else:  # SQLite: one write lock, the two workers take turns
        second = jobs_worker(app, "--chunk", "5")
    workers = [first, second]
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    _assert_each_person_once(master, total)
    processes = {token.split("-")[0] for token in db.session.scalars(select(JobItem.claim_token))}
    assert processes <= {str(w.pid) for w in workers}
    if is_postgres:
        assert processes == {str(w.pid) for w in workers}  # both took part
