"""Cycle benchmark: a whole performance cycle for N people; prints figures, asserts nothing.

    python bench/cycle_bench.py --people N [--database postgresql] [--drivers D] [--workers W]

The demo administration is grown to N people to evaluate (app.demo.population: areas,
sectors, supervisors, part-time staff, people who joined or left during the year), the
workflows are deployed, and a cycle runs from start to publication: every task is
completed by its person through the form and the service the task page uses
(app.demo.cycle.complete), by D processes at once (`--drivers`), and the bulk steps are
done by W real `flask jobs work` processes beside them (`--workers`, as many as the
drivers unless given). Per phase (a batch of open tasks of one step, or the background
job a step recorded) it prints the wall time, completions per second, p50 / p95 and the
longest completion (for a job: its longest transaction), then the peak RSS of each
process and the database size.

Baseline: the same child diagrams driven by raw SpiffWorkflow in memory (parsed once;
per instance: create, run to its first wait, serialize, deserialize), against the
product's background job starting them (the time of its chunks' transactions per item,
however many workers share them); the ratio is product time / raw time per item.

Runs on DATABASE_URL, or on a temporary SQLite file when unset; `--database postgresql`
runs itself under scripts/with-postgres (a throwaway server).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade
from sqlalchemy import func, select, text

from app import create_app, engine
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.engine import InstanceStatus, ProcessInstance
from app.models.jobs import Job, JobStatus
from app.models.plan import Cycle
from bench.database import bench_database
from bench.drivers import ENGINE_PARTS, Drivers, EngineClock
from config import DEVELOPMENT_AUDIT_KEY, Config

PASSWORD = "bench"
CHILD_DIAGRAMS = {"objective_assignment": "objective_assignment.bpmn",
                  "individual_evaluation": "individual_evaluation.bpmn",
                  "monitoring": "monitoring.bpmn"}


class BenchConfig(Config):
    TESTING = True
    MAIL_SERVER = ""
    AUDIT_KEY = DEVELOPMENT_AUDIT_KEY


# Every completion's time.
COMPLETIONS: list[float] = []


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _row(name: str, count: int, wall: float, times: list[float]) -> str:
    rate = count / wall if wall else 0.0
    if not times:
        return f"{name[:46]:46} {count:6d} {wall:8.2f} {rate:8.1f}"
    return (f"{name[:46]:46} {count:6d} {wall:8.2f} {rate:8.1f} {1000 * statistics.median(times):7.1f} "
            f"{1000 * _percentile(times, 0.95):7.1f} {1000 * max(times):8.1f}")


def _worker(url: str, log, audit_key: str = DEVELOPMENT_AUDIT_KEY) -> subprocess.Popen:
    env = dict(os.environ, FLASK_APP="app", APP_ENV="development", DATABASE_URL=url,
               AUDIT_KEY=audit_key, PYTHONPATH=str(ROOT))
    # On PostgreSQL a recorded job wakes the worker (NOTIFY): its polls of an empty queue
    # can be as rare as in production, and leave the CPU to the drivers.
    interval = "0.1" if url.startswith("sqlite") else "2"
    return subprocess.Popen([sys.executable, "-m", "flask", "jobs", "work", "--interval", interval],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_for_jobs(*workers: subprocess.Popen) -> list[Job]:
    """Until no job is queued or running; the jobs that finished meanwhile."""
    while True:
        active = db.session.scalar(select(func.count(Job.id)).where(
            Job.status.in_((JobStatus.QUEUED.value, JobStatus.RUNNING.value))))
        db.session.rollback()  # hold no lock while the worker writes
        if not active:
            break
        if any(worker.poll() is not None for worker in workers):
            sys.exit("a jobs worker stopped")
        time.sleep(0.05)
    failed = db.session.scalars(select(Job).where(Job.status == JobStatus.FAILED.value)).all()
    if failed:
        sys.exit(f"background job {failed[0].id} has failed items")
    return list(db.session.scalars(select(Job).where(Job.status == JobStatus.DONE.value)))


def _chunk_times(job: Job) -> list[float]:
    """How long each transaction of the job took, as its chunks' audit events state (a
    kind rendering outside the transaction also states its reading transaction)."""
    times = []
    for after in db.session.scalars(select(AuditEvent.after).where(
            AuditEvent.action == "job.chunk", AuditEvent.object_type == "Job",
            AuditEvent.object_id == str(job.id)).order_by(AuditEvent.id)):
        times += [after[name] for name in ("gather_seconds", "seconds") if name in after]
    return times


class _Rows(list):
    """The phase rows, printed as they come when `echo` (a long run shows its progress
    and leaves its figures so far if stopped)."""

    def __init__(self, echo: bool):
        super().__init__()
        self.echo = echo

    def append(self, row: str) -> None:
        super().append(row)
        if self.echo:
            print(row, flush=True)


def run_cycle(url: str, people: int, leave_open=None, audit_key: str = DEVELOPMENT_AUDIT_KEY,
              drivers: int = 1, echo: bool = False, workers: int = 1
              ) -> tuple[list[str], dict[str, float]]:
    """Drive the cycle; the phase rows and the product's seconds per started child.
    With `leave_open` (app.demo.cycle.at_step), the tasks it accepts stay open and the
    drive stops once only such tasks are open: bench/load_bench.py stops in the middle
    of the evaluations so. The AUDIT_KEY of the jobs worker is the caller's. `drivers`
    processes share each batch of tasks (bench/drivers.py); `workers` jobs workers
    share each job's chunks."""
    with tempfile.TemporaryFile(mode="w+") as log:
        return _drive(url, log, start_grown_cycle(people), leave_open, audit_key,
                      Drivers(url, drivers, audit_key), _Rows(echo), workers)


def start_grown_cycle(people: int):
    """The demo administration grown to `people` to evaluate, and the next year's cycle
    started by the support unit: (cycle, master instance), committed."""
    from app.demo import population
    from app.models.org import Administration, Role, User
    from app.services.cycle import operations as cycle_service

    administration = db.session.scalars(select(Administration)).one()
    support = db.session.scalars(select(User).where(
        User.role_rows.any(role=Role.SUPPORT_UNIT.value)).order_by(User.id).limit(1)).one()
    source = cycle_service.latest_plan_cycle(administration.id, 9999)
    evaluated = population.grow(people, source)
    db.session.commit()
    print(f"People to evaluate: {evaluated}")
    started = cycle_service.start(support, administration.id, source.year + 1, copy_from=source)
    db.session.commit()
    return started


def _drive(url: str, log, started_cycle, leave_open, audit_key, drivers: Drivers,
           rows: list[str], workers: int = 1) -> tuple[list[str], dict[str, float]]:
    from app.demo import cycle as demo_cycle

    pool = [_worker(url, log, audit_key) for _ in range(workers)]
    per_item, seen_jobs = {}, set()
    rng, scenario = Random(2023), demo_cycle.Scenario()
    try:
        cycle_id, master_id = started_cycle[0].id, started_cycle[1].id
        db.session.commit()
        while True:
            db.session.expire_all()
            if db.session.get(ProcessInstance, master_id).status != InstanceStatus.RUNNING.value:
                break
            waiting = demo_cycle.open_tasks(db.session.get(Cycle, cycle_id))
            batch = [t for t in waiting if leave_open is None or not leave_open(t)]
            if waiting and not batch:
                break
            if not batch:
                sys.exit("the cycle waits with no open task")
            title = Counter(t.title for t in batch).most_common(1)[0][0]
            wall = time.perf_counter()
            times = drivers.complete([t.id for t in batch], rng, scenario)
            COMPLETIONS.extend(times)
            rows.append(_row(title, len(batch), time.perf_counter() - wall, times))
            wall = time.perf_counter()
            for job in wait_for_jobs(*pool):
                if job.id in seen_jobs:
                    continue
                seen_jobs.add(job.id)
                took = (job.finished_at - job.started_at).total_seconds()
                chunks = _chunk_times(job)
                rows.append(_row(f"  job {job.kind}", job.total, took, chunks))
                process = {"cycle.start_assignments": "objective_assignment",
                           "cycle.start_evaluations": "individual_evaluation",
                           "cycle.start_monitoring": "monitoring"}.get(job.kind)
                if process and job.total:  # the chunks' own time, however many workers
                    per_item[process] = (sum(chunks) or took) / job.total
            if seen_jobs and time.perf_counter() - wall > 0.5:
                rows.append(_row("  (waiting for the jobs to end)", 0, time.perf_counter() - wall, []))
    finally:
        workers_rss = [_peak_rss_mb(w.pid) if w.poll() is None else 0.0 for w in pool]
        drivers_rss = drivers.peak_rss_mb()
        drivers.close()
        for worker in pool:
            worker.terminate()
            worker.wait()
    log.seek(0)
    reasons = Counter(line.split("(Background")[0][:160] for line in log.read().splitlines()
                      if "chunk rolled back" in line)
    rows.append(f"jobs workers: {sum(reasons.values())} chunks rolled back by lock waits and "
                f"done again; completions done again after a conflict: {drivers.retries}")
    rows += [f"  {n} x {reason}" for reason, n in reasons.most_common(5)]
    rows.append(f"peak RSS: this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
                + "".join(f", jobs worker {n} {rss:.0f} MB" for n, rss in enumerate(workers_rss, 1))
                + "".join(f", driver {n} {rss:.0f} MB" for n, rss in enumerate(drivers_rss, 1)))
    return rows, per_item


def raw_baseline(instances: int) -> dict[str, float]:
    """Seconds per instance, raw SpiffWorkflow in memory: parse once, then per instance
    create, run to the first wait, serialize, deserialize."""
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
    from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
    from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    data = {"cycle_id": 1, "employee_id": 2, "unit_id": 3, "evaluator_id": 4,
            "assignment_due": "2099-01-31", "acknowledgement_reminder": "P7D", "reminders": 0,
            "evaluation_due": "2099-06-30", "self_assessment_within": "P14D",
            "monitoring_due": "2099-07-31"}
    result = {}
    for process_id, filename in CHILD_DIAGRAMS.items():
        parser = SpiffBpmnParser()
        parser.add_bpmn_file(str(ROOT / "workflows" / filename))
        spec, subprocesses = parser.get_spec(process_id), parser.get_subprocess_specs(process_id)
        begin = time.perf_counter()
        for _ in range(instances):
            workflow = BpmnWorkflow(spec, subprocesses)
            workflow.get_next_task(spec_name="Start").data.update(data)
            workflow.do_engine_steps()
            serializer.deserialize_json(serializer.serialize_json(workflow))
        result[process_id] = (time.perf_counter() - begin) / instances
    return result


# The decisions that take the children's usual path (no change asked, no review).
RAW_DECISIONS = {"changes_requested": False, "not_evaluable": False, "review_requested": False,
                 "review_by_board": False, "review_window_ends": "2099-07-31T00:00:00+00:00"}


def raw_completions(instances: int) -> float:
    """Seconds per task completion, raw SpiffWorkflow in memory: per completion of a
    child's manual task, deserialize the state, run the task and the engine steps
    after it, serialize again (what the product does around its own work)."""
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
    from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
    from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
    from SpiffWorkflow.util.task import TaskState

    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    data = {"cycle_id": 1, "employee_id": 2, "unit_id": 3, "evaluator_id": 4,
            "assignment_due": "2099-01-31", "acknowledgement_reminder": "P7D", "reminders": 0,
            "evaluation_due": "2099-06-30", "self_assessment_within": "P14D",
            "monitoring_due": "2099-07-31"}
    spent, completions = 0.0, 0
    for process_id, filename in CHILD_DIAGRAMS.items():
        parser = SpiffBpmnParser()
        parser.add_bpmn_file(str(ROOT / "workflows" / filename))
        spec, subprocesses = parser.get_spec(process_id), parser.get_subprocess_specs(process_id)
        for _ in range(instances):
            workflow = BpmnWorkflow(spec, subprocesses)
            workflow.get_next_task(spec_name="Start").data.update(data)
            workflow.do_engine_steps()
            state = serializer.serialize_json(workflow)
            while True:
                begin = time.perf_counter()
                workflow = serializer.deserialize_json(state)
                ready = workflow.get_tasks(state=TaskState.READY, manual=True)
                if not ready:
                    break
                ready[0].data.update(RAW_DECISIONS)
                ready[0].run()
                workflow.do_engine_steps()
                state = serializer.serialize_json(workflow)
                spent += time.perf_counter() - begin
                completions += 1
    return spent / completions


def database_size(url: str) -> str:
    if url.startswith("sqlite:///"):
        return f"{Path(url.removeprefix('sqlite:///')).stat().st_size / 2**20:.1f} MB (SQLite file)"
    size = db.session.scalar(text("SELECT pg_database_size(current_database())"))
    return f"{size / 2**20:.1f} MB (PostgreSQL)"


def prepare(url: str, audit_key: str = DEVELOPMENT_AUDIT_KEY):
    """The application on an empty database: migrated, with the demo administration (its
    people sign in with the password PASSWORD), its plan and the deployed workflows."""
    from app.demo import org
    from app.demo import plan as demo_plan

    BenchConfig.SQLALCHEMY_DATABASE_URI = url
    BenchConfig.AUDIT_KEY = audit_key
    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
        demo_plan.load(org.load(PASSWORD))
        engine.deploy_directory(ROOT / "workflows")
        db.session.commit()
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--drivers", type=int, default=1,
                        help="processes completing each batch of tasks at once (PostgreSQL)")
    parser.add_argument("--workers", type=int, default=None,
                        help="jobs workers sharing each job's chunks (default: as many as "
                             "--drivers; several need PostgreSQL)")
    args = parser.parse_args()
    workers = args.workers or args.drivers
    with bench_database(__file__, args, "cycle-bench") as url:
        if max(args.drivers, workers) > 1 and url.startswith("sqlite"):
            sys.exit("--drivers and --workers need PostgreSQL: SQLite takes one writer at a time")
        app = prepare(url)
        with app.app_context():
            print(f"Database: {db.engine.dialect.name}; {args.drivers} driving process(es), "
                  f"{workers} jobs worker(s)")
            begin = time.perf_counter()
            print(f"{'phase':46} {'count':>6} {'wall s':>8} {'per s':>8} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>8}")
            with EngineClock():
                _rows, per_item = run_cycle(url, args.people, drivers=args.drivers, echo=True,
                                            workers=workers)
            total = time.perf_counter() - begin
            print(f"whole cycle: {total:.1f} s; database size {database_size(url)}")
            raw = raw_baseline(max(20, min(args.people, 200)))
            print("baseline, raw SpiffWorkflow in memory, per started child (ms): product / raw = ratio")
            for process_id, seconds in raw.items():
                product = per_item.get(process_id)
                shown = f"{1000 * product:.1f} / {1000 * seconds:.2f} = {product / seconds:.0f}x" if product else "-"
                print(f"  {process_id:24} {shown}")
            if COMPLETIONS:
                raw_completion = raw_completions(max(10, min(args.people, 50)))
                spent = statistics.mean(ENGINE_PARTS)
                print("per task completion (ms): whole completion p50 / p95 "
                      f"{1000 * statistics.median(COMPLETIONS):.1f} / {1000 * _percentile(COMPLETIONS, 0.95):.1f}; "
                      f"engine's part mean {1000 * spent:.1f}; raw SpiffWorkflow {1000 * raw_completion:.2f}; "
                      f"engine / raw = {spent / raw_completion:.1f}x, whole p50 / raw = "
                      f"{statistics.median(COMPLETIONS) / raw_completion:.1f}x")


if __name__ == "__main__":
    main()
