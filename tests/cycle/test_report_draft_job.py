"""Drafting the Report records a background job: the step returns at once, the master
waits at "Relazione redatta" and the Board's approval opens when the worker has drawn
the version; a failed drawing leaves no version, is listed with its reason and is
retried. The PDFs are rendered with no transaction open; a worker killed while rendering
leaves no version and the item to the next worker once its lease ends; a fund changed
while rendering fails the item rather than write a Report stating the old one."""
from __future__ import annotations

from decimal import Decimal
from random import Random

import pytest
from sqlalchemy import select

from app.demo import cycle as demo_cycle
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.cycle import ReportStatus, ReportVersion
from app.models.jobs import Job, JobStatus
from app.models.plan import Cycle
from app.services.cycle import report as cycle_report
from app.services.evaluation import rewards
from app.services.jobs import operations as job_operations
from app.services.reports import pdf as report_pdf
from tests.cycle.helpers import (
    complete_until,
    killed_then_taken_again,
    open_step_ids,
    start_cycle,
)
from tests.helpers import SUPPORT, run_jobs, user_by_email
from tests.snapshots import cached


def test_the_report_is_drawn_by_a_job_and_the_board_waits_for_it(master_only, no_children,
                                                                  demo_plan, monkeypatch):
    cycle, _master = start_cycle(demo_plan)
    draft = complete_until(cycle, "draft_report")
    demo_cycle.complete(draft, demo_cycle.inputs(draft, Random(1), demo_cycle.Scenario()))
    job = db.session.scalars(select(Job).where(Job.kind == cycle_report.DRAFT_REPORT_JOB)).one()
    assert job.status == JobStatus.QUEUED.value
    assert db.session.scalar(select(ReportVersion.id)) is None
    assert "board_report" not in open_step_ids(cycle)

    def broken(*_args, **_kwargs):
        raise RuntimeError("WeasyPrint is out of memory")

    drawn = report_pdf.write
    monkeypatch.setattr(report_pdf, "write", broken)
    run_jobs()
    db.session.expire_all()
    [item] = job_operations.failed_items(db.session.get(Job, job.id))
    assert "out of memory" in item.error
    assert db.session.scalar(select(ReportVersion.id)) is None
    assert "board_report" not in open_step_ids(cycle)

    monkeypatch.setattr(report_pdf, "write", drawn)
    job_operations.retry_item(user_by_email(SUPPORT), item)
    db.session.commit()
    run_jobs()
    version = db.session.scalars(select(ReportVersion)).one()
    assert version.status == ReportStatus.DRAFT.value and version.pdf.startswith(b"%PDF")
    assert version.drafted_by_id == user_by_email(SUPPORT).id
    assert "board_report" in open_step_ids(cycle)


def _recorded(demo_plan) -> Job:
    cycle, _master = start_cycle(demo_plan)
    draft = complete_until(cycle, "draft_report")
    demo_cycle.complete(draft, demo_cycle.inputs(draft, Random(1), demo_cycle.Scenario()))
    return db.session.scalars(select(Job).where(Job.kind == cycle_report.DRAFT_REPORT_JOB)).one()


@pytest.fixture
def drafting(master_only, no_children, demo_plan):
    """A cycle whose Report's drafting job has just been recorded: (cycle, job), built
    once and written back for each test."""
    job = cached("report_drafting", lambda: _recorded(demo_plan))
    return db.session.get(Cycle, job.cycle_id), job


def test_the_pdfs_are_rendered_with_no_transaction_open(drafting, monkeypatch):
    _cycle, job = drafting
    drawn, open_while_rendering = report_pdf.write, []

    def watched(html):
        open_while_rendering.append(db.session().in_transaction())
        return drawn(html)

    monkeypatch.setattr(report_pdf, "write", watched)
    run_jobs()
    assert open_while_rendering == [False, False]
    assert db.session.scalars(select(ReportVersion)).one().public_pdf.startswith(b"%PDF")
    [chunk] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "job.chunk",
                                                          AuditEvent.object_id == str(job.id)))
    assert set(chunk.after) >= {"seconds", "gather_seconds"}


def test_a_worker_killed_while_rendering_leaves_no_version_and_the_item_to_the_next(
        drafting, monkeypatch):
    _cycle, job = drafting
    killed_then_taken_again(monkeypatch, report_pdf, "write", job,
                            lambda: db.session.scalar(select(ReportVersion.id)) is not None)
    assert db.session.scalars(select(ReportVersion)).one().number == 1
    assert db.session.get(Job, job.id).status == JobStatus.DONE.value


def test_a_fund_changed_while_rendering_fails_the_item_and_writes_nothing(drafting, monkeypatch):
    cycle, job = drafting
    drawn = report_pdf.write

    def meanwhile(html):
        if not db.session().in_transaction():  # the first PDF: another request changes the fund
            rewards.set_pool(user_by_email(SUPPORT), cycle, "staff", Decimal("1.00"))
            db.session.commit()
        return drawn(html)

    monkeypatch.setattr(report_pdf, "write", meanwhile)
    run_jobs()
    db.session.expire_all()
    [item] = job_operations.failed_items(db.session.get(Job, job.id))
    assert "the fund changed" in item.error
    assert db.session.scalar(select(ReportVersion.id)) is None  # retried: drawn anew (above)
