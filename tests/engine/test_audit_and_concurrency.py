"""Audit trail of the engine (verify detects tampering) and concurrent saves: a stale
save answers 409 and loses nothing."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text, update

from app import engine
from app.audit import verify
from app.engine import runtime
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.engine import ProcessInstance
from tests.engine.helpers import actions, complete, open_task, start_review
from tests.helpers import csrf_token, login


def test_every_step_is_in_the_audit_trail_and_verify_detects_tampering(app, deployed, people):
    review = start_review(people.employee)
    complete(people.employee, open_task(review.id, "submit"), days=5)
    assert actions(review.id) == ["instance.start", "task.open", "task.complete", "task.open"]
    assert verify().ok
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0

    victim = db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "task.complete"))
    db.session.execute(text("UPDATE audit_event SET after = :a WHERE id = :id"),
                       {"a": '{"decisions": {"days": 30}}', "id": victim})
    db.session.commit()
    db.session.expire_all()
    result = verify()
    assert result.broken_id == victim and "hash" in result.reason
    outcome = runner.invoke(args=["audit", "verify"])
    assert outcome.exit_code != 0 and f"broken at event {victim}" in outcome.output


def _bump_version_behind_our_back(instance_id: int) -> None:
    """Another request saving the instance between our load and our save."""
    with db.engine.begin() as connection:
        connection.execute(update(ProcessInstance).where(ProcessInstance.id == instance_id)
                           .values(version=ProcessInstance.version + 1))


def test_stale_save_is_answered_409(client, signed_in, deployed, people, monkeypatch):
    review = start_review(people.employee)
    submit = open_task(review.id, "submit")
    signed_in(people.employee.email)
    token = csrf_token(client, f"/tasks/{submit.id}")
    original = runtime.load

    def load_then_lose_the_race(instance):
        workflow = original(instance)
        _bump_version_behind_our_back(instance.id)
        return workflow

    monkeypatch.setattr(runtime, "load", load_then_lose_the_race)
    response = client.post(f"/tasks/{submit.id}", data={"csrf_token": token, "days": "3"})
    assert response.status_code == 409
    monkeypatch.undo()
    assert open_task(review.id, "submit").id == submit.id
    assert "task.complete" not in actions(review.id)


@pytest.mark.postgres_only
def test_concurrent_completion_gets_409_and_loses_nothing(app, is_postgres, deployed, people,
                                                          monkeypatch):
    if not is_postgres:
        pytest.skip("two concurrent transactions need PostgreSQL")
    review = start_review(people.employee)
    submit = open_task(review.id, "submit")
    clients = []
    for _ in range(2):
        client = app.test_client()
        assert login(client, people.employee.email).status_code == 302
        clients.append((client, csrf_token(client, f"/tasks/{submit.id}")))

    barrier = threading.Barrier(2)
    original = runtime.load

    def load_together(instance):
        workflow = original(instance)
        barrier.wait(timeout=10)  # both requests hold the same state before either saves
        return workflow

    monkeypatch.setattr(runtime, "load", load_together)
    statuses = []

    def post(client, token, days):
        statuses.append(client.post(f"/tasks/{submit.id}",
                                    data={"csrf_token": token, "days": days}).status_code)

    threads = [threading.Thread(target=post, args=(c, t, d))
               for (c, t), d in zip(clients, ("3", "4"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302, 409]
    assert actions(review.id).count("task.complete") == 1
    assert open_task(review.id, "review").status == "open"
    saved = db.session.get(ProcessInstance, review.id)
    assert saved.version == 2  # started, then exactly one completion saved
    assert engine.load(saved).get_next_task(spec_name="review").data["days"] in (3, 4)
