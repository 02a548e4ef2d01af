"""Cluster benchmark: two app servers and two jobs workers on one PostgreSQL run a whole cycle.

    python bench/cluster_bench.py [--people 200] [--ports 8001 8002]

The way an installation grows past one machine, on one machine: two gunicorn servers
(different ports, --server-workers each, APP_ENV=production with one SECRET_KEY and
AUDIT_KEY) and two `flask jobs work` processes on one PostgreSQL database (it runs itself
under scripts/with-postgres when DATABASE_URL names no PostgreSQL database). The demo
administration grown to --people people goes through a whole cycle, every task completed
over HTTP as its person would: signed in through the sign-in form, pooled tasks claimed,
the form posted with the session's CSRF token (bench/http_forms.py), each task on one
server chosen round-robin, so a person signed in on one server goes on on the
other. --threads people work at the same time; the workers do the bulk steps meanwhile.

At the end it checks that nothing was lost or done twice: the master process completed,
every person has exactly one objective assignment, one individual evaluation and one
evaluation row, every background job item was done once (one attempt, one committed
chunk), no task was completed twice, the inbox agrees with the workflow states, and
`flask audit verify` passes. It prints the figures per server and per worker."""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import consistency
import cycle_bench
import requests
from http_forms import hidden_fields, post_fields
from servers import Installation, on_postgresql
from sqlalchemy import func, select, update

from app.demo import cycle as demo_cycle
from app.engine import assignment
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.engine import InstanceStatus, ProcessInstance
from app.models.evaluation import Evaluation
from app.models.jobs import Job, JobItem
from app.models.org import User
from app.models.plan import Cycle
from app.services.cycle import children
from app.services.org.passwords import hash_password

# A 409 (a save lost the race for the same instance: the areas' year-end figures all go to
# the master) is answered as a person would: reload the page and send again.
ATTEMPTS = 10


@dataclass
class Work:
    """One task to complete over HTTP: who, where, with what."""

    task_id: int
    form_key: str
    email: str
    claim: bool
    server: str
    inputs: dict


@dataclass
class Figures:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    retries: int = 0
    sign_ins: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class People:
    """One browser session per person, signed in on the first server it goes to, with
    the CSRF token of the inbox it lands on: Flask-WTF's token is the session's, good
    for every form of that session on either server, so the task pages need not be read."""

    def __init__(self, figures: Figures):
        self.sessions: dict[str, tuple[requests.Session, str]] = {}
        self.figures = figures

    def session(self, email: str, server: str) -> tuple[requests.Session, str]:
        if email not in self.sessions:
            browser = requests.Session()
            page = browser.get(f"{server}/login")
            answer = browser.post(f"{server}/login", allow_redirects=False, data={
                **hidden_fields(page.text, marker=None), "email": email,
                "password": cycle_bench.PASSWORD})
            if answer.status_code != 302:
                raise RuntimeError(f"{email} could not sign in: HTTP {answer.status_code}")
            with self.figures.lock:
                self.figures.sign_ins += 1
            token = hidden_fields(browser.get(f"{server}/tasks").text, marker=None)["csrf_token"]
            self.sessions[email] = browser, token
        return self.sessions[email]


def complete(people: People, work: Work, figures: Figures) -> None:
    browser, token = people.session(work.email, work.server)
    url = f"{work.server}/tasks/{work.task_id}"
    if work.claim:
        browser.post(f"{url}/claim", data={"csrf_token": token}, allow_redirects=False)
    data, files = post_fields(work.inputs)
    data["csrf_token"] = token
    for _attempt in range(ATTEMPTS):
        begin = time.perf_counter()
        answer = browser.post(url, data=data, files=files or None, allow_redirects=False)
        took = time.perf_counter() - begin
        with figures.lock:
            if answer.status_code == 302:
                figures.times[work.server].append(took)
                return
            if answer.status_code != 409:
                figures.errors.append(f"task {work.task_id} ({work.form_key}) on {work.server}: "
                                      f"HTTP {answer.status_code}")
                return
            figures.retries += 1
    with figures.lock:
        figures.errors.append(f"task {work.task_id} ({work.form_key}): still 409 after "
                              f"{ATTEMPTS} attempts")


def drive(cycle_id: int, master_id: int, servers: list[str], workers,
          threads: int) -> tuple[Figures, int]:
    """Complete the cycle's open tasks over HTTP, batch after batch, until the master
    ends; the workers do the jobs in between. Returns the figures and the batches."""
    figures, rng, scenario = Figures(), Random(2023), demo_cycle.Scenario()
    people, turn, batches = People(figures), count(), 0
    with ThreadPoolExecutor(threads) as pool:
        while True:
            db.session.expire_all()
            if db.session.get(ProcessInstance, master_id).status != InstanceStatus.RUNNING.value:
                return figures, batches
            waiting = demo_cycle.open_tasks(db.session.get(Cycle, cycle_id))
            if not waiting:
                sys.exit("the cycle waits with no open task")
            by_person = defaultdict(list)
            for task in waiting:
                actor = task.holder_id or assignment.candidate_ids(task.role, task.org_unit_id)[0]
                email = db.session.get(User, actor).email
                by_person[email].append(Work(task.id, task.form_key, email, task.holder_id is None,
                                             servers[next(turn) % len(servers)],
                                             demo_cycle.inputs(task, rng, scenario)))
            db.session.rollback()  # hold no lock while the servers write
            # one person's tasks one after the other, different people side by side
            list(pool.map(lambda items: [complete(people, w, figures) for w in items],
                          by_person.values()))
            if figures.errors:
                sys.exit("a task could not be completed: " + "; ".join(figures.errors[:5]))
            batches += 1
            cycle_bench.wait_for_jobs(*workers)


def _once_each(cycle: Cycle) -> list[str]:
    """Sentences for each person without exactly one assignment, evaluation and row."""
    people = {u.id for u in children.people_to_evaluate(cycle)}
    findings = []
    for process in (children.ASSIGNMENT, children.EVALUATION):
        per_person = Counter(dict(db.session.execute(
            select(ProcessInstance.subject_id, func.count(ProcessInstance.id))
            .where(ProcessInstance.cycle_id == cycle.id, ProcessInstance.process_id == process)
            .group_by(ProcessInstance.subject_id)).all()))
        findings += [f"person {p}: {per_person[p]} {process} instances" for p in people
                     if per_person[p] != 1]
    rows = Counter(db.session.scalars(select(Evaluation.user_id).where(Evaluation.cycle_id == cycle.id)))
    findings += [f"person {p}: {rows[p]} evaluation rows" for p in people if rows[p] != 1]
    return findings


def _jobs_once(cycle: Cycle) -> list[str]:
    """Every item of the cycle's jobs done in one attempt, in exactly one committed chunk."""
    findings = []
    for job in db.session.scalars(select(Job).where(Job.cycle_id == cycle.id)):
        items = {i.key: i for i in db.session.scalars(select(JobItem).where(JobItem.job_id == job.id))}
        chunks = Counter(key for after in db.session.scalars(select(AuditEvent.after).where(
            AuditEvent.action == "job.chunk", AuditEvent.object_type == "Job",
            AuditEvent.object_id == str(job.id))) for key in after["keys"])
        findings += [f"job {job.id} item {key}: {item.status}, {item.attempts} attempts, "
                     f"in {chunks[key]} chunks" for key, item in items.items()
                     if (item.status, item.attempts, chunks[key]) != ("done", 1, 1)]
    return findings


def _tasks_once() -> list[str]:
    twice = db.session.execute(select(AuditEvent.task_id, func.count(AuditEvent.id)).where(
        AuditEvent.action == "task.complete").group_by(AuditEvent.task_id)
        .having(func.count(AuditEvent.id) > 1)).all()
    return [f"task {guid} completed {n} times" for guid, n in twice]


def check(installation: Installation, cycle_id: int, master_id: int) -> bool:
    _instances, not_advanced, mismatched = consistency.inbox_findings()
    verified, line = installation.audit_verify()
    cycle = db.session.get(Cycle, cycle_id)
    status = db.session.get(ProcessInstance, master_id).status
    return consistency.report([
        ("the master process completed", [] if status == "completed" else [f"master is {status}"]),
        ("one assignment, one evaluation and one evaluation row per person", _once_each(cycle)),
        ("every job item done once (one attempt, one committed chunk)", _jobs_once(cycle)),
        ("no task completed twice", _tasks_once()),
        ("every completed task advanced its instance", not_advanced),
        ("open inbox rows equal the READY tasks of each running instance", mismatched),
        (f"flask audit verify: {line}", [] if verified else [line]),
    ])


def _print_figures(figures: Figures, batches: int, wall: float, cycle_id: int) -> None:
    total = sum(len(t) for t in figures.times.values())
    print(f"Cycle completed over HTTP in {wall:.0f} s: {total} tasks in {batches} batches, "
          f"{total / wall:.1f} per second; {figures.sign_ins} sign-ins, "
          f"{figures.retries} retries after a 409")
    for server, times in sorted(figures.times.items()):
        ordered = sorted(times)
        print(f"  {server}: {len(times)} completions, p50 {1000 * statistics.median(ordered):.0f} ms, "
              f"p95 {1000 * ordered[int(0.95 * (len(ordered) - 1))]:.0f} ms")
    by_worker = Counter(token.split("-")[0] for token in db.session.scalars(
        select(JobItem.claim_token).join(Job).where(Job.cycle_id == cycle_id)))
    print("  job items per worker process: " + ", ".join(
        f"pid {pid}: {n}" for pid, n in sorted(by_worker.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--ports", type=int, nargs=2, default=[8001, 8002])
    parser.add_argument("--server-workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--threads", type=int, default=4, help="people working at the same time")
    args = parser.parse_args()
    on_postgresql(__file__, sys.argv[1:])
    installation = Installation(os.environ["DATABASE_URL"])
    app = cycle_bench.prepare(installation.url, installation.audit_key)
    with app.app_context():
        cycle, master = cycle_bench.start_grown_cycle(args.people)
        cycle_id, master_id = cycle.id, master.id
        db.session.execute(update(User).where(User.password_hash.is_(None))
                           .values(password_hash=hash_password(cycle_bench.PASSWORD)))
        db.session.commit()
        try:
            for port in args.ports:
                installation.app_server(port, args.server_workers)
            workers = [installation.jobs_worker(f"jobs-worker-{n}") for n in (1, 2)]
            for port in args.ports:
                installation.wait_until_serving(port)
            print(f"Two servers (ports {args.ports[0]}, {args.ports[1]}, gunicorn -w "
                  f"{args.server_workers} each) and two jobs workers on one PostgreSQL")
            begin = time.perf_counter()
            figures, batches = drive(cycle_id, master_id,
                                     [f"http://127.0.0.1:{p}" for p in args.ports], workers,
                                     args.threads)
            wall = time.perf_counter() - begin
        finally:
            installation.stop()
        _print_figures(figures, batches, wall, cycle_id)
        print("Checks:")
        passed = check(installation, cycle_id, master_id)
    print(f"Cluster bench: {'PASS' if passed else 'FAIL'} (logs in {installation.folder})")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
