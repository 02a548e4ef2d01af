"""The progress of the background jobs on the dashboard and the task page, and the retry
of a failed item: SupportUnit and Admin only, audited, 409 when it is no longer failed."""
from __future__ import annotations

from sqlalchemy import select

from app import engine
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.engine import HumanTask
from app.models.jobs import ItemStatus, Job, JobItem
from app.services.cycle import children
from app.services.jobs import queue
from tests.cycle_children.helpers import sign_in_as
from tests.helpers import csrf_token, run_jobs


def _failed_item(cycle, master, people) -> JobItem:
    """An assignment job with every person done but one, refused by a stray running
    assignment of the same person."""
    engine.start(children.ASSIGNMENT, business_key=f"assignment:{cycle.id}:{people.employee.id}",
                 data={"cycle_id": cycle.id, "employee_id": people.employee.id,
                       "evaluator_id": people.supervisor.id, "assignment_due": "2099-01-01",
                       "acknowledgement_reminder": "P7D", "reminders": 0}, actor=people.support)
    children.start_assignments(people.support, cycle, master)
    db.session.commit()
    run_jobs()
    return db.session.scalars(select(JobItem).where(JobItem.status == ItemStatus.FAILED.value)).one()


def test_the_dashboard_shows_a_running_job_with_its_progress(client, signed_in, cycle, master, people):
    total = children.start_assignments(people.support, cycle, master)
    db.session.commit()
    queue.run_chunk()  # the people listed into the job: one item, and one per person
    queue.run_chunk(5)
    job = db.session.scalars(select(Job)).one()
    page = sign_in_as(client, signed_in, people.support).get("/dashboard").get_data(as_text=True)
    assert f'data-testid="job-{job.id}"' in page
    assert f'<progress class="w-100" max="{total + 1}" value="6"' in page
    assert f"6 of {total + 1} done" in page


def test_failed_items_are_listed_with_their_reason_and_a_retry_for_the_support_unit(
        client, signed_in, cycle, master, people):
    item = _failed_item(cycle, master, people)
    page = sign_in_as(client, signed_in, people.support).get("/dashboard").get_data(as_text=True)
    assert f'data-testid="failed-item-{item.id}"' in page and "already running" in page
    assert f"/jobs/items/{item.id}/retry" in page
    page = sign_in_as(client, signed_in, people.sg).get("/dashboard").get_data(as_text=True)
    assert f'data-testid="job-{item.job_id}"' in page  # the progress, not the people
    assert f"failed-item-{item.id}" not in page


def test_the_task_page_shows_the_jobs_of_its_cycle(client, signed_in, cycle, master, people):
    item = _failed_item(cycle, master, people)
    task = db.session.scalars(select(HumanTask).where(
        HumanTask.cycle_id == cycle.id, HumanTask.assignee_id == people.supervisor.id).limit(1)).one()
    page = sign_in_as(client, signed_in, people.supervisor).get(f"/tasks/{task.id}").get_data(as_text=True)
    assert f'data-testid="job-{item.job_id}"' in page and "1 failed" in page


def test_only_the_support_unit_and_the_administrator_retry_an_item(client, signed_in, cycle, master, people):
    item = _failed_item(cycle, master, people)
    url = f"/jobs/items/{item.id}/retry"
    for user in (people.employee, people.manager, people.sg):
        sign_in_as(client, signed_in, user)
        assert client.post(url, data={"csrf_token": csrf_token(client, "/")}).status_code == 403
    sign_in_as(client, signed_in, people.support)
    token = csrf_token(client, "/dashboard")
    answer = client.post(url, data={"csrf_token": token, "next": "/dashboard"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/dashboard")
    db.session.expire_all()
    assert db.session.get(JobItem, item.id).status == ItemStatus.PENDING.value
    assert db.session.scalars(select(AuditEvent.actor_id).where(AuditEvent.action == "job.retry")).one() \
        == people.support.id
    assert client.post(url, data={"csrf_token": token}).status_code == 409  # already retried
