"""The organisation import as background jobs: the upload returns at once with the file
stored and nothing changed; the worker validates the whole file, then writes it by
ranges of rows, in any order and idempotently; a range that fails is listed with its
reason and its retry finishes the import. Only the organisation's administrators upload."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from app.extensions import db
from app.models.job_files import JobFile
from app.models.jobs import ItemStatus, Job, JobItem, JobStatus
from app.models.org import User
from app.services.jobs import imports as background
from app.services.org import import_jobs, imports
from app.services.org.operations import evaluator_of
from tests.cycle.helpers import sign_in
from tests.helpers import EMPLOYEE_A1, MANAGER, SUPPORT, csrf_token, run_jobs, user_by_email

HEADER = "email;nome;cognome;unita;ruoli;valutatore;categoria\n"
# The first person's evaluator is the third, a new person of a later range.
ROWS = ("job.uno@cciaa-demo.example;Job;Uno;A1.1;Employee;job.tre@cciaa-demo.example;C\n"
        "job.due@cciaa-demo.example;Job;Due;A1.1;Employee;;C\n"
        "job.tre@cciaa-demo.example;Job;Tre;A1.1;Employee, Supervisor;;D\n")


def _users() -> int:
    return db.session.scalar(select(func.count(User.id)))


def _upload(client, content: str):
    return client.post("/admin/import", data={
        "csrf_token": csrf_token(client, "/admin/import"),
        "file": (io.BytesIO(content.encode()), "people.csv")}, content_type="multipart/form-data")


def test_the_upload_returns_a_queued_job_and_the_worker_imports_by_ranges(client, demo, monkeypatch):
    monkeypatch.setattr(background, "ROWS_PER_ITEM", 1)  # one row per range
    before = _users()
    sign_in(client, SUPPORT)
    assert _upload(client, HEADER + ROWS).status_code == 302
    job = db.session.scalars(select(Job).where(Job.kind == import_jobs.VALIDATE_JOB)).one()
    assert job.status == JobStatus.QUEUED.value and _users() == before
    assert db.session.scalars(select(JobFile.content)).one() == (HEADER + ROWS).encode()
    page = client.get("/admin/import").get_data(as_text=True)
    assert f'data-testid="job-{job.id}"' in page and "Controllo del file dell" in page

    assert run_jobs().done == 4  # the validation, then three ranges
    applying = db.session.scalars(select(Job).where(Job.kind == import_jobs.APPLY_JOB)).one()
    assert applying.total == 3 and applying.status == JobStatus.DONE.value
    assert _users() == before + 3
    one, three = user_by_email("job.uno@cciaa-demo.example"), user_by_email("job.tre@cciaa-demo.example")
    assert evaluator_of(one).user_id == three.id and three.roles == {"Employee", "Supervisor"}
    page = client.get("/admin/import").get_data(as_text=True)
    assert 'data-testid="import-done"' in page and "3 persone create, 0 aggiornate" in page

    rows = background.rows_of(applying)  # a range written again writes the same values
    imports.apply_rows(user_by_email(SUPPORT), rows, 0, 1)
    db.session.commit()
    assert _users() == before + 3 and evaluator_of(one).user_id == three.id


def test_a_rejected_file_changes_nothing_and_records_no_apply_job(client, demo):
    before = _users()
    sign_in(client, SUPPORT)
    _upload(client, HEADER + ROWS + "job.uno@cciaa-demo.example;Job;Uno;A1.1;Employee;;C\n")
    assert run_jobs().done == 1
    assert _users() == before
    assert db.session.scalar(select(Job.id).where(Job.kind == import_jobs.APPLY_JOB)) is None
    page = client.get("/admin/import").get_data(as_text=True)
    assert 'data-testid="import-rejected"' in page and "ripete la riga 2" in page


def test_a_failed_range_is_listed_with_its_reason_and_its_retry_finishes(client, demo, monkeypatch):
    sign_in(client, SUPPORT)
    _upload(client, HEADER + ROWS)
    apply_rows = imports.apply_rows

    def lost_connection(*args):
        raise RuntimeError("the directory did not answer")

    monkeypatch.setattr(imports, "apply_rows", lost_connection)
    assert run_jobs().failed == 1
    item = db.session.scalars(select(JobItem).where(JobItem.status == ItemStatus.FAILED.value)).one()
    page = client.get("/admin/import").get_data(as_text=True)
    assert "the directory did not answer" in page and f"/jobs/items/{item.id}/retry" in page
    assert 'data-testid="import-done"' not in page

    monkeypatch.setattr(imports, "apply_rows", apply_rows)
    answer = client.post(f"/jobs/items/{item.id}/retry", data={
        "csrf_token": csrf_token(client, "/admin/import"), "next": "/admin/import"})
    assert answer.headers["Location"].endswith("/admin/import")
    assert run_jobs().done == 1
    assert user_by_email("job.tre@cciaa-demo.example") is not None
    assert 'data-testid="import-done"' in client.get("/admin/import").get_data(as_text=True)


def test_a_unit_removed_before_the_apply_fails_its_rows_with_the_reason(client, demo):
    from app.models.org import OrgUnit
    from app.services.jobs import queue

    support = user_by_email(SUPPORT)
    unit = OrgUnit(administration_id=demo.id, code="TMP", name="Temporanea", kind="sector",
                   parent_id=user_by_email(EMPLOYEE_A1).unit_id)
    db.session.add(unit)
    db.session.commit()
    import_jobs.record(support, "people.csv", (HEADER + "tmp@cciaa-demo.example;T;Mp;TMP;Employee;;C\n").encode())
    db.session.commit()
    queue.run_chunk(1)  # the validation only
    db.session.delete(db.session.get(OrgUnit, unit.id))
    db.session.commit()
    run_jobs()
    item = db.session.scalars(select(JobItem).where(JobItem.status == ItemStatus.FAILED.value)).one()
    assert item.error == "Riga 2: la sua unità organizzativa non esiste più; invia di nuovo il file."


def test_only_the_organisation_administrators_upload(client, demo):
    for email in (EMPLOYEE_A1, MANAGER):
        sign_in(client, email)
        token = csrf_token(client, "/")
        answer = client.post("/admin/import", data={
            "csrf_token": token, "file": (io.BytesIO(ROWS.encode()), "people.csv")},
            content_type="multipart/form-data")
        assert answer.status_code == 403
    assert db.session.scalar(select(Job.id)) is None


def test_an_apply_jobs_rows_are_decoded_once_per_upload(client, demo):
    sign_in(client, SUPPORT)
    _upload(client, HEADER + ROWS)
    run_jobs()
    applying = db.session.scalars(select(Job).where(Job.kind == import_jobs.APPLY_JOB)).one()
    rows = background.rows_of(applying)
    assert background.rows_of(applying) is rows  # the next chunk decodes nothing
    assert [row["email"] for row in rows] == [
        "job.uno@cciaa-demo.example", "job.due@cciaa-demo.example", "job.tre@cciaa-demo.example"]
