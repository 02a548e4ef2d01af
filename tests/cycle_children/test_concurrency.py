"""A stale form on a child task is answered 409 and changes nothing; the same person
submitting from two tabs at once: one wins, the other gets 409 (PostgreSQL); a form sent
again after its task closed (a double click) gets 409 too."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, update

from app.engine import runtime
from app.extensions import db
from app.models.engine import HumanTask, ProcessInstance, TaskStatus
from app.models.evaluation import ObjectiveSheet
from app.services.cycle import children as cycle_children
from app.services.tasks import steps
from app.services.tasks.operations import TaskError
from tests.cycle_children.helpers import child
from tests.engine.helpers import actions, open_task
from tests.helpers import csrf_token, login, run_jobs


def _to_acknowledgement(cycle, master, people):
    cycle_children.start_assignments(people.support, cycle, master)
    run_jobs()
    db.session.commit()
    instance = child("objective_assignment", f"assignment:{cycle.id}:{people.employee.id}")
    from app.services.plan.individual import objectives_of
    from app.services.tasks import operations as tasks

    objectives = objectives_of(cycle, people.employee)
    tasks.complete(people.supervisor, open_task(instance.id, "assign_objectives").id, {"rows": [
        {"title": o.title, "actions": o.actions, "behaviours": o.behaviours, "measures": o.measures,
         "weight": str(o.weight), "objective_id": o.objective_id} for o in objectives]})
    db.session.commit()
    return instance


def _acknowledgement_page(client, signed_in, cycle, master, people):
    """The acknowledgement task, its instance and the form's token, the employee signed in."""
    instance = _to_acknowledgement(cycle, master, people)
    task = open_task(instance.id, "acknowledge_objectives")
    signed_in(people.employee.email)
    return instance, task, csrf_token(client, f"/tasks/{task.id}")


def _sheet_status(people) -> str:
    db.session.expire_all()
    return db.session.execute(select(ObjectiveSheet.status).where(
        ObjectiveSheet.user_id == people.employee.id)).scalar_one()


@pytest.mark.postgres_only
def test_stale_acknowledgement_is_answered_409(client, signed_in, is_postgres, cycle, master, people,
                                               monkeypatch):
    if not is_postgres:
        pytest.skip("the step writes before the save: SQLite would lock the racing writer out")
    instance, task, token = _acknowledgement_page(client, signed_in, cycle, master, people)
    original = runtime.load

    def load_then_lose_the_race(loaded):
        workflow = original(loaded)
        with db.engine.begin() as connection:
            connection.execute(update(ProcessInstance).where(ProcessInstance.id == loaded.id)
                               .values(version=ProcessInstance.version + 1))
        return workflow

    monkeypatch.setattr(runtime, "load", load_then_lose_the_race)
    response = client.post(f"/tasks/{task.id}", data={"csrf_token": token, "decision": "acknowledge"})
    assert response.status_code == 409
    monkeypatch.undo()
    assert _sheet_status(people) == "assigned"
    assert open_task(instance.id, "acknowledge_objectives").id == task.id
    assert "task.complete" not in actions(instance.id)[-1:]


@pytest.mark.postgres_only
def test_concurrent_acknowledgements_one_wins(app, is_postgres, cycle, master, people):
    if not is_postgres:
        pytest.skip("two concurrent transactions need PostgreSQL")
    instance = _to_acknowledgement(cycle, master, people)
    task = open_task(instance.id, "acknowledge_objectives")
    clients = []
    for _ in range(2):
        client = app.test_client()
        assert login(client, people.employee.email).status_code == 302
        clients.append((client, csrf_token(client, f"/tasks/{task.id}")))
    barrier = threading.Barrier(2)
    statuses = []

    def post(client, token, comment):
        # The sheet's row lock queues the second request behind the first; the engine's
        # version check (or the closed task) then refuses it.
        barrier.wait(timeout=10)
        statuses.append(client.post(f"/tasks/{task.id}", data={
            "csrf_token": token, "decision": "acknowledge", "comment": comment}).status_code)

    threads = [threading.Thread(target=post, args=(c, t, n)) for (c, t), n in zip(clients, ("uno", "due"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302, 409]
    assert _sheet_status(people) == "acknowledged"
    assert actions(instance.id).count("task.complete") == 2  # the assignment and one answer
    assert child("objective_assignment", instance.business_key).status == "completed"


def test_a_form_sent_again_after_its_task_closed_is_answered_409(client, signed_in, cycle, master,
                                                                people):
    instance = _to_acknowledgement(cycle, master, people)
    task = open_task(instance.id, "acknowledge_objectives")
    signed_in(people.employee.email)
    body = {"csrf_token": csrf_token(client, f"/tasks/{task.id}"), "decision": "acknowledge"}
    assert client.post(f"/tasks/{task.id}", data=body).status_code == 302
    assert client.post(f"/tasks/{task.id}", data=body).status_code == 409
    assert actions(instance.id).count("task.complete") == 2  # the assignment and one answer


@pytest.mark.postgres_only
def test_a_refusal_because_a_quicker_request_closed_the_task_is_answered_409(
        client, signed_in, is_postgres, cycle, master, people, monkeypatch):
    if not is_postgres:
        pytest.skip("the quicker request commits beside the open transaction: PostgreSQL")
    _instance, task, token = _acknowledgement_page(client, signed_in, cycle, master, people)

    def quicker_request_then_refusal(actor, task, form_data):
        # The other tab acknowledged and closed the task after this request found it open;
        # this request's step then reads the acknowledged sheet and refuses.
        with db.engine.begin() as connection:
            connection.execute(update(HumanTask).where(HumanTask.id == task.id)
                               .values(status=TaskStatus.COMPLETED.value))
        raise TaskError("These objectives have already been acknowledged.")

    monkeypatch.setattr(steps, "decisions", quicker_request_then_refusal)
    response = client.post(f"/tasks/{task.id}", data={"csrf_token": token, "decision": "acknowledge"})
    assert response.status_code == 409
    assert "already been acknowledged" not in response.get_data(as_text=True)
    monkeypatch.undo()
    assert _sheet_status(people) == "assigned"


def test_a_refusal_while_the_task_is_still_open_is_shown_on_the_form(client, signed_in, cycle, master,
                                                                    people, monkeypatch):
    instance, task, token = _acknowledgement_page(client, signed_in, cycle, master, people)

    def refusal(actor, task, form_data):
        raise TaskError("These objectives have already been acknowledged.")

    monkeypatch.setattr(steps, "decisions", refusal)
    response = client.post(f"/tasks/{task.id}", data={"csrf_token": token, "decision": "acknowledge"})
    assert response.status_code == 422
    assert "already been acknowledged" in response.get_data(as_text=True)
    monkeypatch.undo()
    assert open_task(instance.id, "acknowledge_objectives").id == task.id
