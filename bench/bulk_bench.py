"""Bulk steps benchmark: the organisation import and the reward distribution at N people;
prints figures, asserts nothing.

    python bench/bulk_bench.py --people 25000 [--database postgresql]

On the demo administration it imports a file of N new people (the validation job, then
the apply job, each chunk timed in its own transaction), imports it again (N updates), gives each of them
a final score, and times the reward job: recording it, then each pool's item as the
worker does it (one transaction per pool). Runs on a temporary SQLite file, or under
scripts/with-postgres with `--database postgresql`."""
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
    """Every pending job item as the worker does it; for each job, its chunks' seconds
    as their audit events state them (one transaction each): how many, in all, the
    longest."""
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
        times.setdefault(int(job_id), []).append(after["seconds"])
    print(f"{label}: {wall:.2f} s of work")
    for job_id, seconds in times.items():
        job = db.session.get(Job, job_id)
        assert job.status == JobStatus.DONE.value, (job.kind, job.status)
        print(f"  {job.kind:28} {len(seconds):4} chunks, {sum(seconds):7.2f} s in all, "
              f"the longest {max(seconds):.3f} s")


def org_import(support, content: bytes, label: str) -> None:
    """The upload's validation job, then its apply job, as the worker does them."""
    from app.services.org import import_jobs

    import_jobs.record(support, "people.csv", content)
    db.session.commit()
    _work(label)
    report = import_jobs.status().report
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=25000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
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
            org_import(support, content, "org import, the same file again")
            rewards_job(support, cycle)


if __name__ == "__main__":
    main()
