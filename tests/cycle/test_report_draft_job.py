"""Drafting the Report records a background job: the step returns at once, the master
waits at "Relazione redatta" and the Board's approval opens when the worker has drawn
the version; a failed drawing leaves no version, is listed with its reason and is
retried."""
from __future__ import annotations

from random import Random

from sqlalchemy import select

from app.demo import cycle as demo_cycle
from app.extensions import db
from app.models.cycle import ReportStatus, ReportVersion
from app.models.jobs import Job, JobStatus
from app.services.cycle import operations as cycle_service
from app.services.jobs import operations as job_operations
from app.services.reports import pdf as report_pdf
from tests.cycle.helpers import start_cycle
from tests.helpers import SUPPORT, run_jobs, user_by_email


def _until(cycle, bpmn_id: str):
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


def _open_ids(cycle) -> set[str]:
    db.session.expire_all()
    return {task.bpmn_id for task in demo_cycle.open_tasks(cycle)}


def test_the_report_is_drawn_by_a_job_and_the_board_waits_for_it(master_only, no_children,
                                                                  demo_plan, monkeypatch):
    cycle, _master = start_cycle(demo_plan)
    draft = _until(cycle, "draft_report")
    demo_cycle.complete(draft, demo_cycle.inputs(draft, Random(1), demo_cycle.Scenario()))
    job = db.session.scalars(select(Job).where(Job.kind == cycle_service.DRAFT_REPORT_JOB)).one()
    assert job.status == JobStatus.QUEUED.value
    assert db.session.scalar(select(ReportVersion.id)) is None
    assert "board_report" not in _open_ids(cycle)

    def broken(*_args, **_kwargs):
        raise RuntimeError("WeasyPrint is out of memory")

    drawn = report_pdf.render
    monkeypatch.setattr(report_pdf, "render", broken)
    run_jobs()
    db.session.expire_all()
    [item] = job_operations.failed_items(db.session.get(Job, job.id))
    assert "out of memory" in item.error
    assert db.session.scalar(select(ReportVersion.id)) is None
    assert "board_report" not in _open_ids(cycle)

    monkeypatch.setattr(report_pdf, "render", drawn)
    job_operations.retry_item(user_by_email(SUPPORT), item)
    db.session.commit()
    run_jobs()
    version = db.session.scalars(select(ReportVersion)).one()
    assert version.status == ReportStatus.DRAFT.value and version.pdf.startswith(b"%PDF")
    assert version.drafted_by_id == user_by_email(SUPPORT).id
    assert "board_report" in _open_ids(cycle)
