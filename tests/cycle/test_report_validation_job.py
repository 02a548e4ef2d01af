"""The OIV's validation of the Report: the step records the decision at once and a
background job attaches the signed statement to the approved PDF and to its public
version. The master waits at "Validazione allegata", so the rewards open only once both
validated PDFs are stored; meanwhile the rewards and the publication are refused, the
fund stays frozen and the OIV's page serves the approved bytes. The attaching runs with
no transaction open; a failure or a killed worker writes nothing and leaves the item to
a retry or to the next worker; attaching twice changes nothing."""
from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.demo import cycle as demo_cycle
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.cycle import ReportStatus, ReportVersion
from app.models.jobs import Job, JobStatus
from app.models.plan import Cycle
from app.services.cycle import closing
from app.services.cycle import operations as cycle_service
from app.services.cycle import report as cycle_report
from app.services.jobs import operations as job_operations
from app.services.reports import validation
from tests.cycle.helpers import (
    complete_until,
    killed_then_taken_again,
    open_step_ids,
    sign_in,
    start_cycle,
)
from tests.helpers import OIV, SUPPORT, run_jobs, user_by_email
from tests.snapshots import cached

STATEMENT = "L'OIV valida la Relazione sulla performance."


def _validating(demo_plan) -> Job:
    cycle, _master = start_cycle(demo_plan)
    task = complete_until(cycle, "oiv_validation")
    demo_cycle.complete(task, {"validated": "True", "signed": "y", "statement": STATEMENT})
    return db.session.scalars(
        select(Job).where(Job.kind == cycle_report.ATTACH_VALIDATION_JOB)).one()


@pytest.fixture
def validating(master_only, no_children, demo_plan):
    """A cycle whose OIV has just validated the Report: (cycle, the attaching job), built
    once and written back for each test."""
    job = cached("report_validating", lambda: _validating(demo_plan))
    return db.session.get(Cycle, job.cycle_id), job


def _version() -> ReportVersion:
    db.session.expire_all()
    return db.session.scalars(select(ReportVersion)).one()


def test_the_decision_is_recorded_at_once_and_the_rewards_wait_for_the_attachment(
        validating, client):
    cycle, job = validating
    version = _version()
    assert version.status == ReportStatus.VALIDATED.value and version.statement == STATEMENT
    assert version.decided_at is not None and version.validated_sha256 is None
    assert version.validated_pdf is None and version.validated_public_pdf is None
    assert job.status == JobStatus.QUEUED.value and job.parent_instance_id is not None
    assert "compute_rewards" not in open_step_ids(cycle)
    support = user_by_email(SUPPORT)
    for refused in (lambda: closing.compute_rewards(support, cycle, None),
                    lambda: closing.publish(support, cycle)):
        with pytest.raises(cycle_service.CycleError, match="still being attached"):
            refused()
    with pytest.raises(cycle_service.CycleError, match="no longer change"):
        cycle_report.enter_fund(support, cycle, {"staff": Decimal("1.00")})
    sign_in(client, OIV)
    page = client.get(f"/oiv/{cycle.year}").get_data(as_text=True)
    assert 'data-status="validated"' in page and "data-attaching" in page
    assert client.get(f"/oiv/{cycle.year}/report-1.pdf").data == version.pdf

    run_jobs()
    version = _version()
    assert version.validated_pdf.startswith(version.pdf)
    assert version.validated_public_pdf.startswith(version.public_pdf)
    assert version.validated_sha256 == hashlib.sha256(version.validated_pdf).hexdigest()
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "cycle.report.validation_attached")).one()
    assert event.after["validated_public_sha256"] == version.validated_public_sha256
    assert validation.approved_part(version.validated_pdf, version.pdf_sha256,
                                    event.after["approved_length"])
    attached = PdfReader(io.BytesIO(version.validated_pdf)).attachments[validation.ATTACHMENT]
    assert STATEMENT in attached[0].decode() and version.pdf_sha256 in attached[0].decode()
    assert "compute_rewards" in open_step_ids(cycle)
    page = client.get(f"/oiv/{cycle.year}").get_data(as_text=True)
    assert "data-attaching" not in page
    assert client.get(f"/oiv/{cycle.year}/report-1.pdf").data == version.validated_pdf


def test_the_validation_is_attached_with_no_transaction_open(validating, monkeypatch):
    _cycle, job = validating
    attach, open_while_attaching = validation.attach, []

    def watched(approved, text):
        open_while_attaching.append(db.session().in_transaction())
        return attach(approved, text)

    monkeypatch.setattr(validation, "attach", watched)
    run_jobs()
    assert open_while_attaching == [False, False]
    [chunk] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "job.chunk",
                                                          AuditEvent.object_id == str(job.id)))
    assert set(chunk.after) >= {"seconds", "gather_seconds"}


def test_a_failed_attachment_writes_nothing_and_is_retried(validating, monkeypatch):
    cycle, job = validating
    attach = validation.attach

    def broken(*_args):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(validation, "attach", broken)
    run_jobs()
    [item] = job_operations.failed_items(db.session.get(Job, job.id))
    assert "the disk is full" in item.error
    assert _version().validated_sha256 is None
    assert "compute_rewards" not in open_step_ids(cycle)

    monkeypatch.setattr(validation, "attach", attach)
    job_operations.retry_item(user_by_email(SUPPORT), item)
    db.session.commit()
    run_jobs()
    assert _version().validated_pdf.startswith(_version().pdf)
    assert "compute_rewards" in open_step_ids(cycle)


def test_a_worker_killed_while_attaching_leaves_the_item_to_the_next(validating, monkeypatch):
    _cycle, job = validating
    killed_then_taken_again(monkeypatch, validation, "attach", job,
                            lambda: _version().validated_sha256 is not None)
    assert _version().validated_pdf.startswith(_version().pdf)
    assert db.session.get(Job, job.id).status == JobStatus.DONE.value


def test_attaching_again_changes_nothing(validating):
    _cycle, _job = validating
    run_jobs()
    stored = _version()
    first = (stored.validated_sha256, stored.validated_public_sha256)
    gathered = cycle_report.gather_validation(stored.id)
    cycle_report.write_validation(user_by_email(OIV), gathered,
                                  {prefix: b"%PDF-another" for prefix in cycle_report.DOCUMENTS})
    db.session.commit()
    stored = _version()
    assert (stored.validated_sha256, stored.validated_public_sha256) == first
    assert len(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "cycle.report.validation_attached")).all()) == 1
