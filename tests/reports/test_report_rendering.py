"""The Report is drawn in the background: asking for it records a job of one item and
returns, nothing drawn; its page shows the progress, then the stored document, which
the download gives byte for byte. A rendering that fails is listed with its reason for
the support unit and, retried, gives the document. Readers of aggregates only."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.job_files import JobFile
from app.models.jobs import Job, JobStatus
from app.services.reports import pdf as report_pdf
from app.services.reports import renderings
from tests.cycle.helpers import sign_in
from tests.helpers import EMPLOYEE_A1, MANAGER, SUPPORT, csrf_token, run_jobs

PAGE = "/reports/2022/report"


def _ask(client):
    return client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE)})


def test_asking_records_a_job_and_the_page_shows_the_document_once_drawn(
        report_cycle, client, signed_in):
    signed_in(SUPPORT)
    page = client.get(PAGE).get_data(as_text=True)
    assert 'data-testid="no-report"' in page
    assert client.get("/reports/2022/report.pdf").headers["Location"].endswith(PAGE)

    assert _ask(client).status_code == 302
    job = db.session.scalars(select(Job).where(Job.kind == renderings.RENDER_JOB)).one()
    assert (job.status, job.total, job.cycle_id) == (JobStatus.QUEUED.value, 1, report_cycle.id)
    assert db.session.scalar(select(JobFile.id)) is None  # nothing drawn in the request
    page = client.get(PAGE).get_data(as_text=True)
    assert f'data-testid="job-{job.id}"' in page and "Composizione della Relazione" in page
    assert "Componi la Relazione dai dati attuali" not in page  # one rendering at a time
    assert _ask(client).status_code == 302
    assert db.session.scalars(select(Job.id).where(Job.kind == renderings.RENDER_JOB)).all() == [job.id]

    assert run_jobs().done == 1
    page = client.get(PAGE).get_data(as_text=True)
    assert 'data-testid="latest-report"' in page and f"job-{job.id}" not in page
    response = client.get("/reports/2022/report.pdf")
    stored = db.session.scalars(select(JobFile)).one()
    assert response.status_code == 200 and response.data == stored.content
    assert response.data.startswith(b"%PDF") and stored.name == report_pdf.filename(report_cycle)


def test_a_failed_rendering_is_listed_with_its_reason_and_retried(
        report_cycle, client, signed_in, monkeypatch):
    signed_in(SUPPORT)
    render = report_pdf.render
    monkeypatch.setattr(report_pdf, "render", lambda cycle: (_ for _ in ()).throw(
        RuntimeError("no font to draw with")))  # the renderer's machine misses a font
    _ask(client)
    assert run_jobs().failed == 1
    page = client.get(PAGE).get_data(as_text=True)
    assert "no font to draw with" in page and "/retry" in page
    item_id = int(page.split("/jobs/items/")[1].split("/")[0])

    monkeypatch.setattr(report_pdf, "render", render)
    retried = client.post(f"/jobs/items/{item_id}/retry",
                          data={"csrf_token": csrf_token(client, PAGE), "next": PAGE})
    assert retried.headers["Location"].endswith(PAGE)
    assert run_jobs().done == 1
    assert client.get("/reports/2022/report.pdf").data.startswith(b"%PDF")


def test_only_the_readers_of_aggregates_ask_for_the_report(report_cycle, client):
    for email in (EMPLOYEE_A1, MANAGER):
        sign_in(client, email)
        token = csrf_token(client, "/me/2022")
        assert client.post(PAGE, data={"csrf_token": token}).status_code == 403
    assert db.session.scalar(select(Job.id).where(Job.kind == renderings.RENDER_JOB)) is None
