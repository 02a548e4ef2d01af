"""Bulk steps benchmark: the organisation import, the reward distribution and the plan's
imports at N people; prints figures, asserts nothing.

    python bench/bulk_bench.py --people 25000 [--objectives 300] [--database postgresql]
        [--phases reimport,rewards,plan,individual,fanouts]

On the demo administration it imports a file of N new people, then the same file again
(N updates); gives each of them a final score and distributes the rewards; imports a
plan of about 300 operational objectives with their indicators into a new cycle; and
imports one or two individual objectives for each of the N people; and records the jobs
starting every person's children (fanouts). Every job runs as
the worker runs it, and for each the seconds of its transactions are printed as its
chunks' audit events state them (the figure held against the 2-second bound). Runs on
a temporary SQLite file, or under scripts/with-postgres with `--database postgresql`."""
from __future__ import annotations

import argparse
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade
from sqlalchemy import func, insert, select

from app import create_app
from app.extensions import db
from bench.database import bench_database
from config import DEVELOPMENT_AUDIT_KEY, Config


class BenchConfig(Config):
    TESTING = True
    MAIL_SERVER = ""
    AUDIT_KEY = DEVELOPMENT_AUDIT_KEY


def _file(people: int) -> bytes:
    from app.models.org import OrgUnit, UnitKind

    sectors = db.session.scalars(select(OrgUnit.code).where(OrgUnit.kind == UnitKind.SECTOR.value)
                                 .order_by(OrgUnit.code)).all()
    lines = ["email;nome;cognome;unit;roles;category;part_time"]
    for n in range(people):
        lines.append(f"bulk{n}@bench.example;Nome{n};Cognome{n};{sectors[n % len(sectors)]};"
                     f"Employee;{'ABCD'[n % 4]};{'100' if n % 5 else '83,33'}")
    return "\n".join(lines).encode()


def _timed(label: str, function):
    begin = time.perf_counter()
    result = function()
    print(f"{label:58} {time.perf_counter() - begin:8.2f} s")
    return result


def _work(label: str) -> None:
    """Every pending job item as the worker does it; for each job, its transactions'
    seconds as its chunks' audit events state them: how many, in all, the longest."""
    from app.models.audit import AuditEvent
    from app.models.jobs import Job, JobStatus
    from app.services.jobs.worker import work

    first = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    began = time.perf_counter()
    report = work()
    wall = time.perf_counter() - began
    assert not report.errors and not report.failed, report
    times: dict[int, list[float]] = {}
    for job_id, after in db.session.execute(select(AuditEvent.object_id, AuditEvent.after).where(
            AuditEvent.id > first, AuditEvent.action == "job.chunk").order_by(AuditEvent.id)):
        # a kind working outside the transaction also states its reading transaction
        times.setdefault(int(job_id), []).extend(
            after[name] for name in ("gather_seconds", "seconds") if name in after)
    print(f"{label}: {wall:.2f} s of work")
    for job_id, seconds in times.items():
        job = db.session.get(Job, job_id)
        assert job.status == JobStatus.DONE.value, (job.kind, job.status)
        print(f"  {job.kind:28} {len(seconds):4} transactions, {sum(seconds):7.2f} s in all, "
              f"the longest {max(seconds):.3f} s")


def org_import(support, content: bytes, label: str) -> None:
    """The upload's validation job, then its apply job, as the worker does them."""
    from app.services.org import import_jobs

    import_jobs.record(support, "people.csv", content)
    db.session.commit()
    _work(label)
    report = import_jobs.status().report
    assert report.ok, report.errors[:3]


def _plan_file(cycle, year: int, objectives: int) -> bytes:
    """The demo plan as plan export writes it, its operational objectives repeated under
    new codes until there are about `objectives` of them (blank operational weights, so
    that each strategic objective's count equally), for the cycle of `year`: a plan
    with only targets, as at the start of a cycle."""
    from app.services.plan import export

    rows = export.rows(cycle.plan)
    present = len({row["operational_code"] for row in rows})
    lines = []
    for copy in range(-(-objectives // present)):
        for row in rows:
            suffix = f"-{copy}" if copy else ""
            lines.append({**row, "cycle": str(year), "operational_weight": "",
                          "operational_code": row["operational_code"] + suffix,
                          "indicator_code": row["indicator_code"] + suffix,
                          **{column: "" for column in (
                              "monitoring_value", "monitoring_forecast", "at_risk",
                              "monitoring_note", "actual", "neutralised", "neutralised_reason")}})
    header = list(rows[0])
    text = "\n".join([";".join(header)] + [";".join(line[c] for c in header) for line in lines])
    return text.encode()


def plan_import(support, cycle, objectives: int) -> None:
    """The plan's import into a new cycle's draft plan (one item: the plan is a whole)."""
    from app.models.plan import Objective
    from app.services.plan import import_jobs
    from app.services.plan.cycles import create_cycle

    target = create_cycle(support, cycle.administration_id, cycle.year + 1)
    db.session.commit()
    content = _plan_file(cycle, target.year, objectives)
    import_jobs.record(import_jobs.PLAN_JOB, support, target, "plan.csv", content)
    db.session.commit()
    _work(f"plan import, {objectives} operational objectives")
    report = import_jobs.status(import_jobs.PLAN_JOB, target).report
    assert report.ok, report.errors[:3]
    count = db.session.scalar(select(func.count(Objective.id)).where(Objective.plan_id == target.plan.id))
    print(f"  objectives in the plan: {count}")


def individual_import(support, cycle, people: int) -> None:
    """Individual objectives for each of the N imported people: two for one person in
    six, one for the others (25,000 people make 29,167 rows, under the 30,000 an upload
    may have)."""
    from app.services.plan import import_jobs

    lines = ["email;titolo;peso"]
    for n in range(people):
        if n % 6:
            lines.append(f"bulk{n}@bench.example;Obiettivo unico {n};100")
        else:
            lines += [f"bulk{n}@bench.example;Primo obiettivo {n};60",
                      f"bulk{n}@bench.example;Secondo obiettivo {n};40"]
    import_jobs.record(import_jobs.INDIVIDUAL_JOB, support, cycle, "objectives.csv",
                       "\n".join(lines).encode())
    db.session.commit()
    _work(f"individual objectives import, {len(lines) - 1} rows")
    report = import_jobs.status(import_jobs.INDIVIDUAL_JOB, cycle).report
    assert report.ok, report.errors[:3]


def rewards_job(support, cycle) -> None:
    from app.models.evaluation import Evaluation, EvaluationStatus
    from app.models.org import Role, User, UserRole
    from app.services.evaluation import rewards

    staff = db.session.scalars(select(User.id).join(UserRole).where(
        UserRole.role == Role.EMPLOYEE.value)).all()
    db.session.execute(insert(Evaluation), [
        {"cycle_id": cycle.id, "user_id": uid, "status": EvaluationStatus.FINAL.value,
         "score": Decimal(n % 7), "band": "x"} for n, uid in enumerate(staff)])
    rewards.set_pool(support, cycle, "staff", Decimal("734312.44"))
    rewards.set_pool(support, cycle, "managers", Decimal("78980.25"))
    db.session.commit()
    print(f"people in the pools: {len(staff)}")
    _timed("rewards: record the job (the step's request)",
           lambda: (rewards.compute(support, cycle), db.session.commit()))
    _work("rewards: the job, one pool per chunk")


def fanouts(support, cycle) -> None:
    """The steps that start a child process per person (or per evaluator) record their
    job in the request: timed with the commit, at N people. The monitoring round's job is
    then worked (its first chunk lists the evaluators); of the others only the first
    chunk, which lists the people into the job (their 25,000 children each are
    bench/cycle_bench.py's part)."""
    from sqlalchemy import update

    from app import engine
    from app.models.evaluation import ObjectiveSheet, SheetStatus
    from app.services.cycle import children, rounds
    from app.services.cycle.operations import PROCESS_ID, calendar_data

    engine.deploy(engine.read_directory(ROOT / "workflows"))
    master = engine.start(PROCESS_ID, business_key="bulk-bench", actor=support,
                          data={"cycle_id": cycle.id, **calendar_data(cycle)})
    # by the monitoring, everyone's objectives are acknowledged
    db.session.execute(update(ObjectiveSheet).where(ObjectiveSheet.cycle_id == cycle.id)
                       .values(status=SheetStatus.ACKNOWLEDGED.value))
    have = set(db.session.scalars(select(ObjectiveSheet.user_id).where(
        ObjectiveSheet.cycle_id == cycle.id)))
    db.session.execute(insert(ObjectiveSheet), [
        {"cycle_id": cycle.id, "user_id": person.id, "status": SheetStatus.ACKNOWLEDGED.value}
        for person in children.people_to_evaluate(cycle) if person.id not in have])
    db.session.commit()
    _timed("monitoring round: open it and record its job (the request)",
           lambda: (rounds.open_calendar_round(support, cycle, master), db.session.commit()))
    _work("monitoring round: its evaluators listed, its children started")
    for kind, label, start in (("assignments", "the step's request", children.start_assignments),
                               ("evaluations", "the step's request", children.start_evaluations)):
        _timed(f"{kind}: record the job ({label})",
               lambda start=start: (start(support, cycle, master), db.session.commit()))
        _listing(f"{kind}: the worker lists the people into the job")


def _listing(label: str) -> None:
    """The job's first chunk, the listing of its items, timed as its audit event states;
    then the job is put aside (its 25,000 children are bench/cycle_bench.py's part)."""
    from sqlalchemy import delete

    from app.models.audit import AuditEvent
    from app.models.jobs import ItemStatus, Job, JobItem, JobStatus
    from app.services.jobs import queue

    queue.run_chunk()
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "job.chunk")
                               .order_by(AuditEvent.id.desc()).limit(1)).one()
    job = db.session.get(Job, int(event.object_id))
    print(f"{label:58} {event.after['seconds']:8.2f} s, {job.total - 1} items")
    db.session.execute(delete(JobItem).where(JobItem.job_id == job.id,
                                             JobItem.status == ItemStatus.PENDING.value))
    job.status = JobStatus.DONE.value
    db.session.commit()


PHASES = ("reimport", "rewards", "plan", "individual", "fanouts")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=25000)
    parser.add_argument("--objectives", type=int, default=300,
                        help="operational objectives of the imported plan")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--phases", default=",".join(PHASES),
                        help=f"which of {', '.join(PHASES)} to run (the people's import always runs)")
    args = parser.parse_args()
    phases = set(args.phases.split(","))
    if phases - set(PHASES):
        parser.error(f"unknown phases: {', '.join(sorted(phases - set(PHASES)))}")
    with bench_database(__file__, args, "bulk-bench") as url:
        BenchConfig.SQLALCHEMY_DATABASE_URI = url
        app = create_app(BenchConfig)
        with app.app_context():
            upgrade()
            from app.demo import org
            from app.demo import plan as demo_plan
            from app.models.org import Role, User

            cycle = demo_plan.load(org.load("bench"))
            db.session.commit()
            print(f"Database: {db.engine.dialect.name}, {args.people} people")
            support = db.session.scalars(select(User).where(
                User.role_rows.any(role=Role.SUPPORT_UNIT.value)).order_by(User.id).limit(1)).one()
            content = _file(args.people)
            org_import(support, content, "org import, new people")
            if "reimport" in phases:
                org_import(support, content, "org import, the same file again")
            if "rewards" in phases:
                rewards_job(support, cycle)
            if "plan" in phases:
                plan_import(support, cycle, args.objectives)
            if "individual" in phases:
                individual_import(support, cycle, args.people)
            if "fanouts" in phases:
                fanouts(support, cycle)


if __name__ == "__main__":
    main()
