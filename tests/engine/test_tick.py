"""`flask engine tick`: timers fire once, reminders before the due date (respecting the
opt-out), escalation to the holder's superior after it (mail over SMTP: test_mail)."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app import engine
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.engine import Notification
from tests.engine.helpers import complete, open_task, start_review, to_acknowledgement
from tests.helpers import csrf_token


def _notifications(kind: str) -> list[tuple[int, str]]:
    return db.session.execute(select(Notification.user_id, Notification.status)
                              .where(Notification.kind == kind)).all()


def _count(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))


def _reviews_waiting_on_timers(people, n: int) -> list[int]:
    ids = []
    for k in range(n):
        review = start_review(people.employee, review_timeout="P1D", key=f"timer-{k}")
        complete(people.employee, open_task(review.id, "submit"), days=2)
        ids.append(review.id)
    return ids


def test_double_tick_fires_each_timer_once(deployed, people, clock):
    _reviews_waiting_on_timers(people, 3)
    assert engine.tick().timers_fired == 0
    clock.advance(days=1, minutes=1)
    assert engine.tick().timers_fired == 3
    assert engine.tick().timers_fired == 0
    assert _count("timer.fire") == 3 and _count("instance.complete") == 3


@pytest.mark.postgres_only
def test_concurrent_ticks_fire_each_timer_once(app, is_postgres, deployed, people, clock):
    if not is_postgres:
        pytest.skip("row locks with SKIP LOCKED need PostgreSQL")
    _reviews_waiting_on_timers(people, 6)
    clock.advance(days=1, minutes=1)
    barrier, fired, failures = threading.Barrier(2), [], []

    def worker():
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                fired.append(engine.tick().timers_fired)
            except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
                failures.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == [] and sum(fired) == 6
    db.session.expire_all()
    assert _count("timer.fire") == 6 and _count("instance.complete") == 6


def test_reminder_before_the_due_date_once(deployed, people, clock):
    review = to_acknowledgement(people)
    ack = open_task(review.id, "acknowledge")
    assert (ack.due_at - ack.remind_at).days == 2 and (ack.escalate_at - ack.due_at).days == 1
    assert engine.tick().reminders == 0
    clock.advance(days=8, minutes=1)
    assert engine.tick().reminders == 1
    assert engine.tick().reminders == 0
    assert _notifications("reminder") == [(people.employee.id, "outbox")]
    assert _count("task.remind") == 1


def test_opted_out_people_get_no_reminder_but_assignments(deployed, people, clock):
    people.employee.reminders_opt_out = True
    db.session.commit()
    to_acknowledgement(people)
    clock.advance(days=8, minutes=1)
    assert engine.tick().reminders == 1
    assert _notifications("reminder") == []
    assert (people.employee.id, "outbox") in _notifications("assignment")


def test_overdue_task_is_escalated_to_the_holders_superior(client, signed_in, deployed, people, clock):
    review = to_acknowledgement(people)
    ack = open_task(review.id, "acknowledge")
    clock.advance(days=10, hours=1)
    report = engine.tick()
    assert report.escalations == 0 and report.reminders == 1
    clock.advance(days=1)
    assert engine.tick().escalations == 1
    assert engine.tick().escalations == 0
    # Russo's evaluator is the head of sector A1.1, the supervisor Giulia Rossi.
    assert _notifications("escalation") == [(people.supervisor.id, "outbox")]
    assert open_task(review.id, "acknowledge").escalated_to_id == people.supervisor.id

    signed_in(people.supervisor.email)
    html = client.get("/tasks?view=escalated").get_data(as_text=True)
    assert f'data-task-id="{ack.id}"' in html and 'data-testid="overdue"' in html
    token = csrf_token(client, f"/tasks/{ack.id}")
    response = client.post(f"/tasks/{ack.id}/reassign", data={
        "csrf_token": token, "reassign-user_id": str(people.other_employee.id),
        "reassign-reason": "Russo is on leave"})
    assert response.status_code == 302
    assert open_task(review.id, "acknowledge").assignee_id == people.other_employee.id


def test_outbox_is_for_admin_only(client, signed_in, deployed, people):
    start_review(people.employee)
    signed_in(people.support.email)
    assert client.get("/admin/outbox").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    signed_in("irene.operti@cciaa-demo.example")
    html = client.get("/admin/outbox").get_data(as_text=True)
    assert html.count('data-testid="notification"') == 1
