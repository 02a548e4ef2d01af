"""The test workflow through HTTP: inboxes, forms, claim, gateway, timer, history."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models.engine import HumanTask, Notification
from tests.engine.helpers import actions, instance, open_task, open_tasks, start_review
from tests.helpers import csrf_token


def _task_ids(client, view="mine") -> set[int]:
    html = client.get(f"/tasks?view={view}").get_data(as_text=True)
    return {int(i) for i in re.findall(r'data-testid="task-row" data-task-id="(\d+)"', html)}


def _submit(client, task_id, **data):
    token = csrf_token(client, f"/tasks/{task_id}")
    return client.post(f"/tasks/{task_id}", data={"csrf_token": token, **data})


def _sign_in_as(client, signed_in, user):
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    signed_in(user.email)


def test_full_round_through_http(client, signed_in, deployed, people):
    review = start_review(people.employee)
    submit = open_task(review.id, "submit")

    signed_in(people.employee.email)
    assert _task_ids(client) == {submit.id}
    page = client.get(f"/tasks/{submit.id}").get_data(as_text=True)
    assert 'name="csrf_token"' in page and "Say how many days you request." in page
    assert 'data-testid="task-badge">1' in page

    # Invalid input: the form comes back with an error and nothing changes.
    response = _submit(client, submit.id, days="0")
    assert response.status_code == 422 and "is-invalid" in response.get_data(as_text=True)
    assert open_task(review.id, "submit").id == submit.id
    assert "task.complete" not in actions(review.id)

    response = _submit(client, submit.id, days="3")
    assert response.status_code == 302 and response.headers["Location"].endswith("/tasks")
    assert "alert-success" in client.get("/tasks").get_data(as_text=True)
    reviewing = open_task(review.id, "review")
    assert reviewing.role == "Manager" and reviewing.assignee_id is None
    assert _task_ids(client, "pool") == set()

    # Pooled to the managers heading the employee's unit: Ferraris, not Bruno.
    _sign_in_as(client, signed_in, people.other_manager)
    assert reviewing.id not in _task_ids(client, "pool")
    token = csrf_token(client, "/tasks")
    assert client.post(f"/tasks/{reviewing.id}/claim", data={"csrf_token": token}).status_code == 403
    assert client.get(f"/tasks/{reviewing.id}").status_code == 403

    _sign_in_as(client, signed_in, people.manager)
    assert reviewing.id in _task_ids(client, "pool")
    page = client.get(f"/tasks/{reviewing.id}").get_data(as_text=True)
    assert 'data-testid="claim"' in page and 'data-testid="task-form"' not in page
    token = csrf_token(client, "/tasks")
    client.post(f"/tasks/{reviewing.id}/claim", data={"csrf_token": token})
    assert reviewing.id in _task_ids(client, "mine")

    # Rejecting needs a reason; with it the flow goes back to the employee.
    assert _submit(client, reviewing.id, approved="False").status_code == 422
    assert _submit(client, reviewing.id, approved="False", reason="Too many").status_code == 302
    resubmit = open_task(review.id, "submit")
    assert resubmit.id != submit.id and resubmit.assignee_id == people.employee.id

    _sign_in_as(client, signed_in, people.employee)
    assert _submit(client, resubmit.id, days="2").status_code == 302
    _sign_in_as(client, signed_in, people.manager)
    second_review = open_task(review.id, "review")
    token = csrf_token(client, "/tasks")
    client.post(f"/tasks/{second_review.id}/claim", data={"csrf_token": token})
    assert _submit(client, second_review.id, approved="True").status_code == 302

    _sign_in_as(client, signed_in, people.employee)
    ack = open_task(review.id, "acknowledge")
    assert ack.due_at is not None
    assert _submit(client, ack.id, acknowledged="y", comment="Thanks").status_code == 302
    assert instance(review.id).status == "completed" and open_tasks(review.id) == []

    history = client.get(f"/instances/{review.id}").get_data(as_text=True)
    logged = re.findall(r'data-testid="history-row" data-action="([^"]+)"', history)
    assert logged.count("task.complete") == 5 and logged.count("task.open") == 5
    assert logged[0] == "instance.start" and logged[-1] == "instance.complete"
    assert "task.claim" in logged
    assert "bpmn-navigated-viewer.production.min.js" in history
    assert '"done": [' in history or '"done":[' in history

    notified = db.session.execute(select(Notification.user_id, Notification.kind)).all()
    assert (people.manager.id, "assignment") in notified
    assert (people.other_manager.id, "assignment") not in notified


def test_timer_fires_through_tick_and_history_shows_it(client, signed_in, deployed, people, clock):
    review = start_review(people.employee, review_timeout="P5D")
    signed_in(people.employee.email)
    _submit(client, open_task(review.id, "submit").id, days="4")
    reviewing = open_task(review.id, "review")
    assert reviewing.due_at == instance(review.id).next_timer_at

    runner = client.application.test_cli_runner()
    assert "timers fired: 0" in runner.invoke(args=["engine", "tick"]).output
    clock.advance(days=5, minutes=1)
    assert "timers fired: 1" in runner.invoke(args=["engine", "tick"]).output
    assert "timers fired: 0" in runner.invoke(args=["engine", "tick"]).output

    done = instance(review.id)
    assert done.status == "completed" and done.next_timer_at is None
    db.session.expire_all()
    assert db.session.get(HumanTask, reviewing.id).status == "cancelled"
    assert actions(review.id)[-3:] == ["timer.fire", "task.cancel", "instance.complete"]
    history = client.get(f"/instances/{review.id}").get_data(as_text=True)
    assert 'data-action="timer.fire"' in history


def test_only_the_assignee_completes(client, signed_in, deployed, people):
    review = start_review(people.employee)
    submit = open_task(review.id, "submit")
    signed_in(people.other_employee.email)
    assert client.get(f"/tasks/{submit.id}").status_code == 403
    token = csrf_token(client, "/tasks")
    response = client.post(f"/tasks/{submit.id}", data={"csrf_token": token, "days": "3"})
    assert response.status_code == 403
    assert open_task(review.id, "submit").status == "open"


def test_forms_need_the_csrf_token(client, signed_in, deployed, people):
    review = start_review(people.employee)
    submit = open_task(review.id, "submit")
    signed_in(people.employee.email)
    assert client.post(f"/tasks/{submit.id}", data={"days": "3"}).status_code == 400
    assert client.post(f"/tasks/{submit.id}/claim").status_code == 400
    assert open_task(review.id, "submit").status == "open"
