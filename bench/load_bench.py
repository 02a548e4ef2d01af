"""Load benchmark: many people at once on the production set-up, in the middle of the evaluations.

    python bench/load_bench.py [--people 25000] [--users 200] [--duration 5m]

On PostgreSQL (it runs itself under scripts/with-postgres when DATABASE_URL names no
PostgreSQL database) it builds the data set: the demo administration grown to --people
people to evaluate and a cycle driven through the services by bench/cycle_bench.py up
to the individual evaluations, every self-assessment done; half of the evaluations are
then rated, so evaluators still have ratings to give and employees have evaluations to
acknowledge. Then gunicorn with --workers workers (APP_ENV=production) and one
`flask jobs work` serve --users locust users (bench/locustfile.py: evaluators rating,
employees reading their page and acknowledging, the support unit on the dashboard) for
--duration. It prints p50 / p95 per route against the targets (pages 300 ms, completions
500 ms), over the whole run and again after the last sign-in (without the first seconds
when every user signs in at once), a timeline per 15 seconds (where the queue that the
sign-ins leave ends), the errors apart from the deliberate 409s of double submits, the
time inside the app per route from the servers' request log, and then the consistency
checks: every completed task advanced its instance, the inbox rows agree
with the instances' READY tasks, and `flask audit verify` passes. Exits 1 when a check
fails or a request failed unexpectedly (missed targets are printed, not fatal: they
depend on the machine)."""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import consistency
import cycle_bench
from servers import Installation, on_postgresql
from sqlalchemy import select, update

from app.demo import cycle as demo_cycle
from app.extensions import db
from app.models.engine import HumanTask, TaskStatus
from app.models.org import Role, User
from app.models.plan import Cycle
from app.services.org.passwords import hash_password
from app.services.org.permissions import headed_units
from bench.drivers import complete as complete_each

TARGETS_MS = {"page": 300, "completion": 500}
RATE, ACKNOWLEDGE = "rate_evaluation", "acknowledge_evaluation"


def _open(bpmn_id: str, cycle: Cycle) -> list[HumanTask]:
    return list(db.session.scalars(select(HumanTask).where(
        HumanTask.cycle_id == cycle.id, HumanTask.status == TaskStatus.OPEN.value,
        HumanTask.bpmn_id == bpmn_id, HumanTask.assignee_id.is_not(None)).order_by(HumanTask.id)))


def build(people: int, audit_key: str, url: str, processes: int = 1) -> Cycle:
    """The cycle in the middle of the evaluations (see the module docstring), its tasks
    completed by `processes` driving processes beside as many jobs workers."""
    rows, _per_item = cycle_bench.run_cycle(url, people, demo_cycle.at_step(RATE), audit_key,
                                            drivers=processes, workers=processes)
    print("\n".join(rows))
    cycle = db.session.scalars(select(Cycle).order_by(Cycle.year.desc()).limit(1)).one()
    rng, scenario = Random(13), demo_cycle.Scenario(review_share=0)
    rated = [task.id for task in _open(RATE, cycle)[::2]]
    # Each in an empty session, as a request has (a session holding every task would
    # make each commit slower than the one before).
    complete_each(rated, rng, scenario)
    cycle = db.session.get(Cycle, cycle.id)
    print(f"Rated before the run: {len(rated)} evaluations")
    # The people grown for the load have no password: they sign in with the demo's.
    db.session.execute(update(User).where(User.password_hash.is_(None))
                       .values(password_hash=hash_password(cycle_bench.PASSWORD)))
    db.session.commit()
    return cycle


def settle() -> float:
    """VACUUM (ANALYZE) after building the data set, as after any bulk load: the planner
    gets fresh statistics and index-only scans a visibility map, instead of autovacuum
    doing it in the middle of the measured minutes. Seconds it took."""
    begin = time.perf_counter()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM (ANALYZE)")
    return time.perf_counter() - begin


def write_plan(cycle: Cycle, path: Path) -> dict[str, int]:
    """Who the locust users sign in as and what each may complete (bench/locustfile.py)."""
    rng, scenario = Random(2024), demo_cycle.Scenario(review_share=0)

    def people(tasks: list[HumanTask]) -> list[dict]:
        todo = defaultdict(list)
        for task in tasks:
            todo[task.assignee_id].append(
                {"id": task.id, "inputs": demo_cycle.inputs(task, rng, scenario)})
        users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(todo)))}
        # the team's page is for those heading a unit (the Secretary General rates too)
        return [{"email": users[person].email, "tasks": items,
                 "team": users[person].has_role(Role.MANAGER, Role.SUPERVISOR)
                 and bool(headed_units(users[person]))}
                for person, items in sorted(todo.items(), key=lambda pair: -len(pair[1]))]

    ratings, acknowledgements = _open(RATE, cycle), _open(ACKNOWLEDGE, cycle)
    waiting = db.session.scalars(select(User.email).where(
        User.id.in_([t.subject_id for t in ratings])).order_by(User.id))
    plan = {"year": cycle.year, "password": cycle_bench.PASSWORD,
            "evaluators": people(ratings),
            "employees": people(acknowledgements) + [{"email": e} for e in waiting],
            "support": [{"email": e} for e in db.session.scalars(select(User.email).where(
                User.role_rows.any(role=Role.SUPPORT_UNIT.value)).order_by(User.id))]}
    path.write_text(json.dumps(plan), encoding="utf-8")
    return {"ratings": len(ratings), "acknowledgements": len(acknowledgements)}


def run_locust(installation: Installation, host: str, plan: Path, args) -> Path:
    prefix = installation.folder / "locust"
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
               "--headless", "-u", str(args.users), "-r", str(args.spawn_rate),
               "-t", args.duration, "--host", host, "--csv", str(prefix), "--only-summary",
               "--loglevel", "WARNING", "--stop-timeout", "10", "--exit-code-on-error", "0"]
    with installation.log("locust") as log:
        result = subprocess.run(command, cwd=ROOT, env={**installation.env(), "LOAD_PLAN": str(plan),
                                                        "LOAD_TIMES": f"{prefix}_requests.csv"},
                                stdout=log, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        sys.exit("locust stopped:\n" + (installation.folder / "locust.log").read_text()[-3000:])
    return prefix


def _kind(method: str, name: str) -> str:
    if "[sign in]" in name:
        return "sign-in"  # the password hash is slow on purpose: no target
    return "page" if method == "GET" else "completion"


def report(prefix: Path) -> tuple[int, int]:
    """Print the figures per route; (unexpected errors, deliberate 409s)."""
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = rows.pop()  # locust's last row: "Aggregated"
    print(f"Requests: {total['Request Count']}, {float(total['Requests/s']):.1f} per second; "
          f"p50 {float(total['50%']):.0f} ms, p95 {float(total['95%']):.0f} ms over all")
    print(f"{'route':<46} {'kind':<10} {'count':>6} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7}  target")
    for row in sorted(rows, key=lambda r: r["Name"]):
        kind = _kind(row["Type"], row["Name"])
        p95, target = float(row["95%"]), TARGETS_MS.get(kind)
        verdict = "-" if target is None else ("met" if p95 < target else f"MISSED ({target} ms)")
        print(f"{row['Type'] + ' ' + row['Name']:<46} {kind:<10} {row['Request Count']:>6} "
              f"{row['Failure Count']:>6} {float(row['50%']):7.0f} {p95:7.0f}  {verdict}")
    deliberate = sum(int(r["Request Count"]) - int(r["Failure Count"]) for r in rows
                     if "409 expected" in r["Name"])
    with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
        failures = list(csv.DictReader(handle))
    for failure in failures:
        print(f"  error: {failure['Method']} {failure['Name']}: {failure['Error']} "
              f"x{failure['Occurrences']}")
    errors = sum(int(f["Occurrences"]) for f in failures)
    print(f"Errors: {errors} unexpected; deliberate 409s (double submits answered 409): {deliberate}")
    return errors, deliberate


def _children_cpu() -> float:
    """CPU seconds (user and system) of the child processes that have ended so far,
    with the processes they waited for: gunicorn's workers count in gunicorn's."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # the fields after the command's name


def _postmaster() -> int | None:
    """The local PostgreSQL server's process id (the parent of this session's backend),
    or None when the server runs elsewhere or /proc is not there."""
    with db.engine.connect() as connection:
        backend = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    fields = _proc_stat(backend)
    return int(fields[1]) if fields else None


def _server_cpu(postmaster: int | None) -> float | None:
    """CPU seconds of the PostgreSQL server so far: the postmaster's, its ended
    children's (which it waited for), and its live backends' and helpers'."""
    if postmaster is None or (own := _proc_stat(postmaster)) is None:
        return None
    ticks = sum(int(v) for v in own[11:15])
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _proc_stat(int(entry))) and int(fields[1]) == postmaster:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / _TICK


def _machine_idle() -> tuple[float, float] | None:
    """Seconds since boot the machine's cores have been idle (or waiting for the disk),
    and those a virtual machine's host ran something else on them (steal)."""
    try:
        ticks = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    return (int(ticks[3]) + int(ticks[4])) / _TICK, int(ticks[7]) / _TICK


@dataclass
class CpuMeter:
    """What the run's parts had used when start() was called, to subtract later."""

    postmaster: int | None = None
    children: float = 0.0
    server: float | None = None
    idle: tuple[float, float] | None = None

    def start(self) -> CpuMeter:
        self.postmaster = _postmaster()
        self.children, self.server, self.idle = (
            _children_cpu(), _server_cpu(self.postmaster), _machine_idle())
        return self

    def server_used(self) -> float | None:
        now = _server_cpu(self.postmaster)
        return None if now is None or self.server is None else now - self.server

    def idle_since(self) -> tuple[float, float] | None:
        """(idle, stolen) seconds since start()."""
        now = _machine_idle()
        if now is None or self.idle is None:
            return None
        return now[0] - self.idle[0], now[1] - self.idle[1]


def cpu_used(prefix: Path, load: float, servers: float, database: float | None,
             idle: tuple[float, float] | None) -> None:
    """Where the machine's CPU went: locust runs on the same machine as the servers, so
    every millisecond it spends building requests and reading pages is one the servers
    lack; the cores' idle time says whether the machine was saturated, and on a virtual
    machine the time its host took them away says whether it was the same machine as
    in another run."""
    rows = _timed_requests(prefix)
    if not rows:
        return
    span = max(start + took / 1000 for start, _m, _n, took in rows) - min(r[0] for r in rows)

    def share(seconds: float) -> str:
        return f"{seconds:.0f} s ({1000 * seconds / len(rows):.1f} ms a request)"

    print(f"CPU over the run's {span:.0f} s ({os.cpu_count()} cores): locust {share(load)}; "
          f"app servers and jobs worker {share(servers)}, their start included; "
          + (f"PostgreSQL {share(database)}" if database is not None
             else "the rest went to PostgreSQL")
          + (f"; idle {idle[0]:.0f} s; taken by the host (steal) {idle[1]:.0f} s"
             if idle is not None else ""))


def _percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted values: never below the median, even of two."""
    return values[max(math.ceil(share * len(values)) - 1, 0)]


def after_sign_in(prefix: Path) -> None:
    """The same figures over the requests sent after the last sign-in answered: every
    user at work, without the first seconds when 200 people sign in at once (each
    password hash is slow on purpose, and leaves a queue behind it)."""
    rows = _timed_requests(prefix)
    signed_in = [start + took / 1000 for start, _m, name, took in rows if "[sign in]" in name]
    since = max(signed_in, default=min((r[0] for r in rows), default=0.0))
    steady = [r for r in rows if r[0] >= since]
    if not steady:
        return
    span = max(start + took / 1000 for start, _m, _n, took in steady) - since
    times = defaultdict(list)
    for _start, method, name, took in steady:
        times[(method, name)].append(took)
    every = sorted(took for _s, _m, _n, took in steady)
    print(f"After the last sign-in ({since - min(r[0] for r in rows):.0f} s into the run): "
          f"{len(steady)} requests, {len(steady) / max(span, 1e-9):.1f} per second; "
          f"p50 {statistics.median(every):.0f} ms, p95 {_percentile(every, 0.95):.0f} ms over all")
    print(f"{'route':<46} {'kind':<10} {'count':>6} {'p50 ms':>7} {'p95 ms':>7}  target")
    for (method, name), values in sorted(times.items(), key=lambda item: item[0][1]):
        values.sort()
        kind = _kind(method, name)
        p95, target = _percentile(values, 0.95), TARGETS_MS.get(kind)
        verdict = "-" if target is None else ("met" if p95 < target else f"MISSED ({target} ms)")
        print(f"{method + ' ' + name:<46} {kind:<10} {len(values):6d} "
              f"{statistics.median(values):7.0f} {p95:7.0f}  {verdict}")


def _timed_requests(prefix: Path) -> list[tuple[float, str, str, float]]:
    """Every request of the run from locustfile's LOAD_TIMES file: (start, method, name, ms)."""
    path = Path(f"{prefix}_requests.csv")
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        return [(float(r["start"]), r["method"], r["name"], float(r["ms"]))
                for r in csv.DictReader(handle)]


def timeline(prefix: Path, window: int = 15) -> None:
    """p50 / p95 of pages and completions per `window` seconds of the run, with the
    sign-ins sent in each: when the queue that the sign-ins leave ends, and whether the
    machine keeps up once every user is at work."""
    rows = _timed_requests(prefix)
    if not rows:
        return
    begin = min(start for start, _m, _n, _t in rows)
    slots = defaultdict(lambda: defaultdict(list))
    for start, method, name, took in rows:
        slots[int((start - begin) // window)][_kind(method, name)].append(took)
    print(f"Per {window} s of the run: requests per second; p50 / p95 ms of pages and of "
          "completions; sign-ins sent")
    for slot in sorted(slots):
        kinds = slots[slot]
        figures = []
        for kind in ("page", "completion"):
            values = sorted(kinds.get(kind, ()))
            figures.append(f"{kind}s {statistics.median(values):6.0f} / "
                           f"{_percentile(values, 0.95):6.0f}" if values else f"{kind}s {'-':>15}")
        total = sum(len(values) for values in kinds.values())
        print(f"  {slot * window:4d}-{(slot + 1) * window:<4d} s {total / window:5.1f}/s  "
              f"{'  '.join(figures)}  sign-ins {len(kinds.get('sign-in', ())):3d}")


REQUEST_LINE = re.compile(r"INFO in request_log: (GET|POST) (\S+) (\d{3}) ([\d.]+)ms")


def _route(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/<id>", re.sub(r"/20\d\d(?=/|$)", "/<year>", path))


def server_times(log: Path) -> None:
    """Time inside the application per route, from the servers' request log: what the
    figures above add to it is the wait for a free worker (and the network)."""
    times = defaultdict(list)
    for method, path, _status, took in REQUEST_LINE.findall(log.read_text(encoding="utf-8")):
        times[f"{method} {_route(path)}"].append(float(took))
    print(f"{'time inside the app (request log)':<46} {'count':>6} {'p50 ms':>7} {'p95 ms':>7}")
    for route, values in sorted(times.items()):
        values.sort()
        print(f"{route:<46} {len(values):6d} {statistics.median(values):7.0f} "
              f"{values[int(0.95 * (len(values) - 1))]:7.0f}")


def check(installation: Installation) -> bool:
    begin = time.perf_counter()
    instances, not_advanced, mismatched = consistency.inbox_findings()
    verified, line = installation.audit_verify()
    print(f"Consistency ({instances} instances read in {time.perf_counter() - begin:.0f} s):")
    return consistency.report([
        ("every completed task advanced its instance", not_advanced),
        ("open inbox rows equal the READY tasks of each running instance", mismatched),
        (f"flask audit verify: {line}", [] if verified else [line]),
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=25000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=int, default=20)
    parser.add_argument("--duration", default="5m", help="locust's run time: 20s, 5m, 1h")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--drivers", type=int, default=2,
                        help="processes completing the tasks while the data set is built")
    args = parser.parse_args()
    on_postgresql(__file__, sys.argv[1:])
    installation = Installation(os.environ["DATABASE_URL"])
    app = cycle_bench.prepare(installation.url, installation.audit_key)
    with app.app_context():
        begin = time.perf_counter()
        cycle = build(args.people, installation.audit_key, installation.url, args.drivers)
        counts = write_plan(cycle, installation.folder / "plan.json")
        print(f"Data set built in {time.perf_counter() - begin:.0f} s: {counts['ratings']} "
              f"evaluations to rate, {counts['acknowledgements']} to acknowledge; "
              f"database size {cycle_bench.database_size(installation.url)}")
        db.session.remove()
        print(f"VACUUM (ANALYZE) after the load: {settle():.0f} s")
        try:
            installation.app_server(args.port, args.workers)
            installation.jobs_worker("jobs-worker")
            installation.wait_until_serving(args.port)
            print(f"Locust: {args.users} users for {args.duration} against gunicorn "
                  f"-w {args.workers} and one jobs worker")
            meter = CpuMeter().start()
            prefix = run_locust(installation, f"http://127.0.0.1:{args.port}",
                                installation.folder / "plan.json", args)
            locust_cpu = _children_cpu() - meter.children
            database_cpu, idle = meter.server_used(), meter.idle_since()
        finally:
            installation.stop()
        errors, _deliberate = report(prefix)
        cpu_used(prefix, locust_cpu, _children_cpu() - meter.children - locust_cpu,
                 database_cpu, idle)
        after_sign_in(prefix)
        timeline(prefix)
        server_times(installation.folder / f"gunicorn-{args.port}.log")
        passed = check(installation)
    print(f"Load bench: {'PASS' if passed and not errors else 'FAIL'} (logs in {installation.folder})")
    sys.exit(0 if passed and not errors else 1)


if __name__ == "__main__":
    main()
