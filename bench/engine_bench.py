"""Engine benchmark: prints measured figures, asserts nothing.

1. Task completion: the time of app.services.tasks.operations.complete plus the commit (load the
   instance, run the task, save the state, refresh the inbox mirror, audit, notify) for
   the tasks of a small evaluation-like process (lanes Evaluator and Employee, a gateway,
   a boundary timer), one fresh session per completion as in a web request.
2. Inbox: the queries behind the first page of /tasks (the page of one view, the counts
   of the three views, the task types) with 100,000 human_task rows, for an employee, a
   manager (pooled tasks within scope) and an OIV member (a large organisation-wide pool).

Runs on DATABASE_URL, or on a temporary SQLite file when unset; the database must be
empty (`scripts/with-postgres .venv/bin/python bench/engine_bench.py` gives an empty
PostgreSQL). Targets on a 2-core machine: completion median < 15 ms and p95 < 40 ms,
inbox first page p95 < 30 ms.
"""
from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import func, insert, select, text

from app import create_app, engine
from app.extensions import db
from app.models.engine import HumanTask, ProcessInstance
from app.models.org import OrgUnit, Role, User
from app.models.types import utcnow
from app.services.org.operations import OrgSnapshot
from app.services.tasks import inbox
from app.services.tasks import operations as tasks
from config import Config

INSTANCES = 150
INBOX_ROWS = 100_000
INBOX_REPEATS = 200
SYNTHETIC_USERS = 2000

EVALUATION = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="defs_bench" targetNamespace="http://example.org/bench">
  <bpmn:process id="bench_evaluation" name="Evaluation (benchmark)" isExecutable="true">
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="lane_evaluator" name="Evaluator">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>assign</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>evaluate</bpmn:flowNodeRef><bpmn:flowNodeRef>gw</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>second_look</bpmn:flowNodeRef><bpmn:flowNodeRef>close</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>end</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="lane_employee" name="Employee">
        <bpmn:flowNodeRef>acknowledge</bpmn:flowNodeRef><bpmn:flowNodeRef>accept</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>window</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="assign" name="Assign objectives">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formKey" value="acknowledgement" />
        <spiffworkflow:property name="dueDate" value="'P30D'" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="acknowledge" name="Acknowledge objectives">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formKey" value="acknowledgement" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="evaluate" name="Evaluate">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formKey" value="acknowledgement" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="accept" name="Accept or ask for a review">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formKey" value="approval" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:boundaryEvent id="window" name="Review window" attachedToRef="accept" cancelActivity="true">
      <bpmn:outgoing>f_closed</bpmn:outgoing>
      <bpmn:timerEventDefinition id="window_timer">
        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P15D"</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:exclusiveGateway id="gw" name="Accepted?" default="f_review">
      <bpmn:incoming>f5</bpmn:incoming><bpmn:outgoing>f_ok</bpmn:outgoing><bpmn:outgoing>f_review</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:userTask id="second_look" name="Review the evaluation">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formKey" value="acknowledgement" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f_review</bpmn:incoming><bpmn:outgoing>f6</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:scriptTask id="close" name="Close">
      <bpmn:incoming>f_ok</bpmn:incoming><bpmn:incoming>f6</bpmn:incoming><bpmn:incoming>f_closed</bpmn:incoming>
      <bpmn:outgoing>f7</bpmn:outgoing>
      <bpmn:script>outcome = "accepted" if approved else "reviewed"</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f7</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="assign" />
    <bpmn:sequenceFlow id="f2" sourceRef="assign" targetRef="acknowledge" />
    <bpmn:sequenceFlow id="f3" sourceRef="acknowledge" targetRef="evaluate" />
    <bpmn:sequenceFlow id="f4" sourceRef="evaluate" targetRef="accept" />
    <bpmn:sequenceFlow id="f5" sourceRef="accept" targetRef="gw" />
    <bpmn:sequenceFlow id="f_ok" sourceRef="gw" targetRef="close">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">approved == True</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f_review" sourceRef="gw" targetRef="second_look" />
    <bpmn:sequenceFlow id="f6" sourceRef="second_look" targetRef="close" />
    <bpmn:sequenceFlow id="f_closed" sourceRef="window" targetRef="close" />
    <bpmn:sequenceFlow id="f7" sourceRef="close" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _report(label: str, samples: list[float]) -> None:
    median, p95 = _percentiles(samples)
    print(f"  {label:<46} n={len(samples):>4}  median {median:6.2f} ms  p95 {p95:6.2f} ms")


def _form_data(task: HumanTask, rng: random.Random) -> dict:
    if task.form_key == "approval":
        accepted = rng.random() < 0.7
        return {"approved": accepted, "reason": "" if accepted else "I disagree"}
    return {"acknowledged": True, "comment": ""}


def bench_completion() -> None:
    rng = random.Random(7)
    snapshot = OrgSnapshot.load()
    employees = [uid for uid in snapshot.user_unit if snapshot.evaluator(uid).user_id][:INSTANCES]
    ids = []
    for employee_id in employees:
        evaluator_id = snapshot.evaluator(employee_id).user_id
        instance = engine.start("bench_evaluation", business_key=f"bench:{employee_id}",
                                data={"employee_id": employee_id, "evaluator_id": evaluator_id,
                                      "approved": None})
        ids.append(instance.id)
    db.session.commit()
    samples, by_step = [], {}
    for instance_id in ids:
        while True:
            db.session.close()  # a new request: nothing cached but the parsed spec
            task = db.session.execute(select(HumanTask).where(
                HumanTask.instance_id == instance_id, HumanTask.status == "open")).scalar_one_or_none()
            if task is None:
                break
            actor = db.session.get(User, task.assignee_id)
            data, step = _form_data(task, rng), task.bpmn_id
            started = time.perf_counter()
            tasks.complete(actor, task.id, data)
            db.session.commit()
            elapsed = time.perf_counter() - started
            samples.append(elapsed)
            by_step.setdefault(step, []).append(elapsed)
    completed = db.session.scalar(select(func.count(ProcessInstance.id))
                                  .where(ProcessInstance.status == "completed"))
    print(f"Task completion ({len(ids)} instances, {completed} completed):")
    _report("all completions", samples)
    for step, values in by_step.items():
        _report(f"  {step}", values)


def _synthetic_users(unit_ids: list[int]) -> list[int]:
    rows = [{"email": f"bench{i}@bench.example", "first_name": "Bench", "last_name": f"User {i}",
             "category": "C", "unit_id": unit_ids[i % len(unit_ids)], "active": True,
             "reminders_opt_out": False, "is_demo": False, "created_at": utcnow(),
             "part_time_percent": 100} for i in range(SYNTHETIC_USERS)]
    db.session.execute(insert(User), rows)
    return list(db.session.execute(select(User.id).where(User.email.like("bench%"))).scalars())


def fill_inbox(rng: random.Random) -> None:
    """100,000 human_task rows: 60% assigned to one person (half of them still open),
    40% pooled to a role (Manager by unit, OIV, SupportUnit, Board), due dates spread over
    a year, some without one."""
    definition = engine.deploy({"bench.bpmn": EVALUATION.encode()})[0].definition
    unit_ids = list(db.session.execute(select(OrgUnit.id)).scalars())
    people = _synthetic_users(unit_ids) + list(db.session.execute(
        select(User.id).where(User.email.notlike("bench%"))).scalars())
    now = utcnow()
    db.session.execute(insert(ProcessInstance), [
        {"definition_id": definition.id, "process_id": "bench_filler", "business_key": f"f{i}",
         "status": "completed", "state": "{}", "serializer_version": "1.5", "started_at": now,
         "updated_at": now, "version": 1} for i in range(1000)])
    instance_ids = list(db.session.execute(select(ProcessInstance.id)
                                           .where(ProcessInstance.process_id == "bench_filler")).scalars())
    pooled_roles = [Role.MANAGER.value, Role.OIV.value, Role.SUPPORT_UNIT.value, Role.BOARD.value]
    batch = []
    for n in range(INBOX_ROWS):
        pooled = rng.random() < 0.4
        role = rng.choice(pooled_roles) if pooled else rng.choice(["Employee", "Evaluator"])
        is_open = rng.random() < 0.5
        due = None if rng.random() < 0.1 else now + timedelta(days=rng.randint(-60, 300))
        batch.append({
            "instance_id": rng.choice(instance_ids), "task_guid": f"bench-{n:08d}",
            "bpmn_id": rng.choice(["assign", "acknowledge", "evaluate", "accept", "monitor"]),
            "title": "Benchmark task", "form_key": "acknowledgement", "role": role,
            "assignee_id": None if pooled else rng.choice(people),
            "org_unit_id": rng.choice(unit_ids), "status": "open" if is_open else "completed",
            "due_at": due, "created_at": now, "version": 1,
        })
        if len(batch) == 5000:
            db.session.execute(insert(HumanTask), batch)
            batch = []
    db.session.commit()
    # What autovacuum (PostgreSQL) or a routine ANALYZE (SQLite) gives a live database:
    # planner statistics (and on PostgreSQL the visibility map) for the loaded rows.
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE human_task"))
    else:
        db.session.execute(text("ANALYZE human_task"))
        db.session.commit()


def _first_page(view: str, user: User) -> None:
    filters = inbox.Filters()
    inbox.page(view, user, filters)
    inbox.counts(user)
    inbox.task_types(view, user, filters)


def bench_inbox() -> None:
    rng = random.Random(11)
    fill_inbox(rng)
    total = db.session.scalar(select(func.count(HumanTask.id)))
    print(f"Inbox first page ({total} human_task rows; page, counts of the three views, "
          "task types):")
    people = {
        "employee (mine)": ("mine", "alessandro.russo@cciaa-demo.example"),
        "manager (pool within scope)": ("pool", "marco.ferraris@cciaa-demo.example"),
        "manager (mine)": ("mine", "marco.ferraris@cciaa-demo.example"),
        "OIV member (organisation-wide pool)": ("pool", "maria.zanetti@cciaa-demo.example"),
    }
    for label, (view, email) in people.items():
        samples = []
        for _ in range(INBOX_REPEATS):
            # A request of its own: what the inbox caches per request starts empty.
            with current_app.app_context(), current_app.test_request_context("/tasks"):
                user = db.session.execute(select(User).where(User.email == email)).scalar_one()
                started = time.perf_counter()
                _first_page(view, user)
                samples.append(time.perf_counter() - started)
                db.session.remove()
        _report(f"{label}", samples)


class BenchConfig(Config):
    TESTING = True
    MAIL_SERVER = ""


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    if not url:
        handle, path = tempfile.mkstemp(prefix="engine-bench-", suffix=".db")
        os.close(handle)
        url = f"sqlite:///{path}"
    BenchConfig.SQLALCHEMY_DATABASE_URI = url
    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
        if db.session.scalar(select(func.count(User.id))):
            sys.exit("engine_bench needs an empty database (it writes 100,000 rows).")
        from app.demo import org

        org.load("bench")
        db.session.commit()
        print(f"Database: {db.engine.dialect.name}")
        engine.deploy({"bench.bpmn": EVALUATION.encode()})
        db.session.commit()
        bench_completion()
        bench_inbox()
    if url.startswith("sqlite:///") and not os.environ.get("DATABASE_URL"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
