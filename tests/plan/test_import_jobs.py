"""The plan's import and the import of individual objectives as background jobs: the
upload returns at once with the file stored and nothing changed; the worker validates
the whole file and writes it (the plan in one item: its tree is one whole; the
individual objectives by ranges of people, each person's set whole), in the uploader's
language; the page shows the progress, then the same report as before; a failed item is
listed with its reason and its retry finishes the import. Plan editors only."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from app.extensions import db
from app.models.jobs import ItemStatus, Job, JobItem, JobStatus
from app.models.plan import IndividualObjective
from app.services.jobs import imports as background
from app.services.plan import import_jobs, imports, individual, individual_import
from tests.helpers import EMPLOYEE_A1, MANAGER, SUPERVISOR_A1, SUPPORT, run_jobs, user_by_email
from tests.plan.helpers import find_indicator, post_form

PEOPLE = ("email;anno;obiettivo;cosa;come;misure;peso;codice_op\n"
          f"{EMPLOYEE_A1};2023;Pratiche;Evadere;Precisione;OP1.1;60;OP1\n"
          f"{EMPLOYEE_A1};2023;Formazione;Corsi;Impegno;Ore;40,00;\n"
          f"{SUPERVISOR_A1};2023;Coordinamento;Guidare;Esempio;OP1;100%;n.d.\n")


def _upload(client, path: str, content: bytes):
    return post_form(client, path, {"file": (io.BytesIO(content), "file.csv")},
                     content_type="multipart/form-data")


def test_the_plan_upload_returns_a_queued_job_and_the_worker_imports_it(small_plan, browse):
    client = browse(SUPPORT)
    changed = client.get("/plan/2023/export.csv").data.decode("utf-8-sig").replace(";90;70;", ";95;70;")
    target = find_indicator(small_plan, "OP1.1").target
    assert _upload(client, "/plan/2023/import", changed.encode()).status_code == 302
    job = db.session.scalars(select(Job).where(Job.kind == import_jobs.PLAN_JOB)).one()
    assert (job.status, job.cycle_id) == (JobStatus.QUEUED.value, small_plan.cycle.id)
    db.session.expire_all()
    assert find_indicator(small_plan, "OP1.1").target == target  # nothing yet
    page = client.get("/plan/2023/import").get_data(as_text=True)
    assert f'data-testid="job-{job.id}"' in page and "Importing the plan" in page

    assert run_jobs().done == 1
    db.session.expire_all()
    assert find_indicator(small_plan, "OP1.1").target == 95
    page = client.get("/plan/2023/import").get_data(as_text=True)
    assert "Plan imported: 0 indicators added," in page and f"job-{job.id}" not in page


def test_the_individual_objectives_upload_is_imported_by_the_worker(small_plan, browse):
    client = browse(SUPPORT)
    count = select(func.count(IndividualObjective.id))
    before = db.session.scalar(count)
    assert _upload(client, "/plan/2023/people/import", PEOPLE.encode()).status_code == 302
    assert db.session.scalar(count) == before
    run_jobs()
    assert db.session.scalar(count) == before + 3
    page = client.get("/plan/2023/people/import").get_data(as_text=True)
    assert "Imported 3 objectives for 2 people." in page



def _titles(cycle, email: str) -> list[str]:
    return [row.title for row in individual.objectives_of(cycle, user_by_email(email))]


def test_the_individual_objectives_are_checked_whole_then_written_by_ranges_of_whole_people(
        small_plan, browse, monkeypatch):
    monkeypatch.setattr(background, "ROWS_PER_ITEM", 1)  # one person per range
    cycle = small_plan.cycle
    client = browse(SUPPORT)
    _upload(client, "/plan/2023/people/import", PEOPLE.encode())
    assert run_jobs().done == 3  # the check, then one range per person
    applying = db.session.scalars(select(Job).where(Job.kind == import_jobs.INDIVIDUAL_APPLY_JOB)).one()
    assert (applying.total, applying.status) == (2, JobStatus.DONE.value)
    assert _titles(cycle, EMPLOYEE_A1) == ["Pratiche", "Formazione"]  # both rows, one range
    assert _titles(cycle, SUPERVISOR_A1) == ["Coordinamento"]
    assert "Imported 3 objectives for 2 people." in client.get(
        "/plan/2023/people/import").get_data(as_text=True)

    people = background.rows_of(applying)  # a range written again writes the same
    individual_import.apply_people(user_by_email(SUPPORT), cycle, people, 0, 1)
    db.session.commit()
    assert _titles(cycle, EMPLOYEE_A1) == ["Pratiche", "Formazione"]


def test_a_rejected_individual_objectives_file_writes_nothing_and_records_no_apply_job(
        small_plan, browse):
    count = select(func.count(IndividualObjective.id))
    before = db.session.scalar(count)
    client = browse(SUPPORT)
    _upload(client, "/plan/2023/people/import", (PEOPLE + f"{MANAGER};2023;;;;;100;\n").encode())
    assert run_jobs().done == 1
    assert db.session.scalar(select(Job.id).where(Job.kind == import_jobs.INDIVIDUAL_APPLY_JOB)) is None
    assert db.session.scalar(count) == before
    assert "The title is required." in client.get("/plan/2023/people/import").get_data(as_text=True)

def test_a_failed_plan_import_is_listed_with_its_reason_and_retried(small_plan, browse, monkeypatch):
    client = browse(SUPPORT)
    export = client.get("/plan/2023/export.csv").data
    import_plan = imports.import_plan

    def interrupted(*args):
        raise RuntimeError("the plan's rules could not be read")

    monkeypatch.setattr(imports, "import_plan", interrupted)
    _upload(client, "/plan/2023/import", export)
    assert run_jobs().failed == 1
    item = db.session.scalars(select(JobItem).where(JobItem.status == ItemStatus.FAILED.value)).one()
    page = client.get("/plan/2023/import").get_data(as_text=True)
    assert "the plan&#39;s rules could not be read" in page and f"/jobs/items/{item.id}/retry" in page

    monkeypatch.setattr(imports, "import_plan", import_plan)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(f"/jobs/items/{item.id}/retry", data={"csrf_token": token, "next": "/plan/2023/import"})
    assert run_jobs().done == 1
    assert "Plan imported:" in client.get("/plan/2023/import").get_data(as_text=True)


def test_only_plan_editors_upload(small_plan, browse):
    for email in (EMPLOYEE_A1, MANAGER):
        client = browse(email)
        for path in ("/plan/2023/import", "/plan/2023/people/import"):
            assert _upload(client, path, PEOPLE.encode()).status_code == 403
    assert db.session.scalar(select(Job.id)) is None
