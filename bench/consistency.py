"""What must hold after many people worked on the same instances at once (bench/load_bench.py,
bench/cluster_bench.py): the inbox table agrees with the workflow states it mirrors.

Only a bench deserializes every instance (through app.engine, the way the product loads
one): the product itself never reads the states to list tasks. Each check gives a
sentence per disagreement; none is a pass."""
from __future__ import annotations

from collections import defaultdict

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from app import engine
from app.extensions import db
from app.models.engine import HumanTask, InstanceStatus, ProcessInstance, TaskStatus

BATCH = 200


def _rows_by_instance() -> dict[int, dict[str, set[str]]]:
    rows: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for instance_id, guid, status in db.session.execute(
            select(HumanTask.instance_id, HumanTask.task_guid, HumanTask.status)):
        rows[instance_id][status].add(guid)
    return rows


def inbox_findings(limit: int = 10) -> tuple[int, list[str], list[str]]:
    """(instances read, completed rows whose task is still READY, running instances whose
    open rows differ from their READY manual tasks); at most `limit` sentences each."""
    rows = _rows_by_instance()
    ids = sorted(set(rows) | set(db.session.scalars(select(ProcessInstance.id).where(
        ProcessInstance.status == InstanceStatus.RUNNING.value))))
    not_advanced, mismatched = [], []
    for start in range(0, len(ids), BATCH):
        for instance in db.session.scalars(select(ProcessInstance).where(
                ProcessInstance.id.in_(ids[start:start + BATCH]))):
            ready = {str(t.id) for t in engine.load(instance).get_tasks(
                state=TaskState.READY, manual=True)}
            mine = rows.get(instance.id, {})
            still_ready = mine.get(TaskStatus.COMPLETED.value, set()) & ready
            if still_ready:
                not_advanced.append(f"instance {instance.id}: completed tasks still READY "
                                    f"{sorted(still_ready)}")
            open_rows = mine.get(TaskStatus.OPEN.value, set())
            if instance.status == InstanceStatus.RUNNING.value and open_rows != ready:
                mismatched.append(f"instance {instance.id}: open rows {sorted(open_rows)}, "
                                  f"READY tasks {sorted(ready)}")
            elif instance.status != InstanceStatus.RUNNING.value and open_rows:
                mismatched.append(f"instance {instance.id} ended with open rows {sorted(open_rows)}")
        db.session.expunge_all()  # the states are large: keep one batch in memory
    return len(ids), not_advanced[:limit], mismatched[:limit]


def report(checks: list[tuple[str, list[str]]]) -> bool:
    """Print PASS or FAIL per check (with its first findings); True when all passed."""
    for name, findings in checks:
        print(f"  {'PASS' if not findings else 'FAIL'}  {name}")
        for finding in findings[:5]:
            print(f"        {finding}")
    return all(not findings for _name, findings in checks)
