"""Helpers of the cycle tests: starting the 2023 cycle, driving its master to a step,
posting task forms as a person."""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from random import Random

import pytest
from sqlalchemy import select, update

from app.demo import cycle as demo_cycle
from app.extensions import db
from app.models.engine import HumanTask
from app.models.jobs import ItemStatus, JobItem
from app.services.cycle import operations as cycle_service
from app.services.jobs import queue
from tests.helpers import SUPPORT, csrf_token, run_jobs, user_by_email


def start_cycle(source, year: int = 2023):
    support = user_by_email(SUPPORT)
    cycle, master = cycle_service.start(support, source.administration_id, year, copy_from=source)
    db.session.commit()
    return cycle, master


def complete_until(cycle, bpmn_id: str) -> HumanTask:
    """Complete the master's tasks (the worker between batches) until `bpmn_id` opens."""
    rng, scenario = Random(1), demo_cycle.Scenario()
    while True:
        run_jobs()
        db.session.expire_all()
        tasks = demo_cycle.open_tasks(cycle)
        found = [task for task in tasks if task.bpmn_id == bpmn_id]
        if found:
            return found[0]
        assert tasks, f"the master waits before {bpmn_id}"
        for task in tasks:
            demo_cycle.complete(task, demo_cycle.inputs(task, rng, scenario))


def open_step_ids(cycle) -> set[str]:
    """The BPMN ids of the cycle's open tasks."""
    db.session.expire_all()
    return {task.bpmn_id for task in demo_cycle.open_tasks(cycle)}


class WorkerKilled(BaseException):
    """What kill -9 does to the worker: nothing after it runs."""


def killed_then_taken_again(monkeypatch, module, name: str, job,
                            written: Callable[[], bool]) -> None:
    """A worker killed while doing the job's one item outside the transaction (in
    `module.name`) writes nothing; the item's lease keeps it from a second worker, and
    once the lease has ended the next worker does the item and writes it."""
    work = getattr(module, name)

    def killed(*_args):
        raise WorkerKilled

    monkeypatch.setattr(module, name, killed)
    with pytest.raises(WorkerKilled):
        queue.run_chunk()
    db.session.rollback()
    monkeypatch.setattr(module, name, work)
    item = db.session.scalars(select(JobItem).where(JobItem.job_id == job.id)).one()
    assert item.status == ItemStatus.PENDING.value and item.claimed_at is not None
    assert not written()
    assert queue.run_chunk() is None  # the lease keeps the item from a second worker
    db.session.execute(update(JobItem).where(JobItem.id == item.id)
                       .values(claimed_at=item.claimed_at - queue.LEASE))
    db.session.commit()
    run_jobs()
    assert written()


def open_cycle_tasks(cycle_id: int) -> list[HumanTask]:
    db.session.expire_all()
    return list(db.session.execute(
        select(HumanTask).where(HumanTask.cycle_id == cycle_id, HumanTask.status == "open")
        .order_by(HumanTask.id)).scalars())


def sign_in(client, email: str) -> None:
    from tests.helpers import _CSRF, login

    signed_in = _CSRF.search(client.get("/").get_data(as_text=True))
    if signed_in:
        client.post("/logout", data={"csrf_token": signed_in.group(1) or signed_in.group(2)})
    assert login(client, email).status_code == 302


def post_task(client, task_id: int, data: dict, *, claim: bool = False):
    """Post a task form as the signed-in person (taking a pooled task first); uploads
    are given as (filename, bytes)."""
    if claim:
        token = csrf_token(client, "/tasks")
        assert client.post(f"/tasks/{task_id}/claim", data={"csrf_token": token}).status_code == 302
    token = csrf_token(client, f"/tasks/{task_id}")
    fields = {"csrf_token": token}
    for name, value in data.items():
        fields[name] = (io.BytesIO(value[1]), value[0]) if isinstance(value, tuple) else value
    return client.post(f"/tasks/{task_id}", data=fields, content_type="multipart/form-data")


def errors_of(response) -> str:
    html = response.get_data(as_text=True)
    return " ".join(re.findall(r'class="invalid-feedback d-block">([^<]*)<', html))
