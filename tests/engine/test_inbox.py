"""The inbox: views, filters, due-date order, overdue badge, navigation count, claim and
release, reassignment and delegation with their permissions."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from werkzeug.exceptions import Conflict, Forbidden

from app.extensions import db
from app.models.audit import AuditEvent
from app.services.tasks import inbox
from app.services.tasks import operations as tasks
from tests.engine.helpers import complete, open_task, start_review
from tests.helpers import csrf_token


def _rows(client, query: str) -> list[int]:
    html = client.get(f"/tasks?{query}").get_data(as_text=True)
    return [int(i) for i in re.findall(r'data-testid="task-row" data-task-id="(\d+)"', html)]


@pytest.fixture
def three_reviews(deployed, people):
    """Three reviews waiting for the managers of area A1, due in 3, 1 and 2 days."""
    reviews = []
    for key, timeout in (("a", "P3D"), ("b", "P1D"), ("c", "P2D")):
        review = start_review(people.employee, review_timeout=timeout, key=key)
        complete(people.employee, open_task(review.id, "submit"), days=1)
        reviews.append(open_task(review.id, "review"))
    return reviews


def test_pool_is_sorted_by_due_date_and_filtered(client, signed_in, three_reviews, people, clock):
    a, b, c = three_reviews
    signed_in(people.manager.email)
    assert _rows(client, "view=pool") == [b.id, c.id, a.id]
    assert _rows(client, f"view=pool&unit={people.employee.unit_id}") == [b.id, c.id, a.id]
    assert _rows(client, f"view=pool&unit={people.other_manager.unit_id}") == []
    assert _rows(client, "view=pool&type=review") == [b.id, c.id, a.id]
    assert _rows(client, "view=pool&type=submit") == []
    assert _rows(client, "view=pool&overdue=1") == []
    clock.advance(days=1, hours=12)
    assert _rows(client, "view=pool&overdue=1") == [b.id]
    html = client.get("/tasks?view=pool").get_data(as_text=True)
    assert html.count('data-testid="overdue"') == 1
    assert 'data-testid="task-badge">3' in html


def test_above_the_limit_the_inbox_unit_filter_is_a_search(client, signed_in, three_reviews,
                                                           people, monkeypatch):
    from app.models.org import OrgUnit
    from app.services.org import unit_search

    a, b, c = three_reviews
    signed_in(people.manager.email)
    monkeypatch.setattr(unit_search, "UNIT_LIST_LIMIT", 0)
    html = client.get("/tasks?view=pool").get_data(as_text=True)
    assert 'name="unit_q"' in html and 'name="unit"' not in html
    unit = db.session.get(OrgUnit, people.employee.unit_id)
    assert _rows(client, f"view=pool&unit_q={unit.code.lower()}") == [b.id, c.id, a.id]
    assert _rows(client, f"view=pool&unit_q={unit.name[2:9].upper()}") == [b.id, c.id, a.id]
    other = db.session.get(OrgUnit, people.other_manager.unit_id)
    assert _rows(client, f"view=pool&unit_q={other.code}") == []
    assert _rows(client, "view=pool&unit_q=%25") == []
    # Another manager's unit named by id: nobody's tasks, and its code is not shown.
    html = client.get(f"/tasks?view=pool&unit={other.id}").get_data(as_text=True)
    assert f'value="{other.code}"' not in html


def test_claim_release_and_conflicts(three_reviews, people):
    task = three_reviews[0]
    with pytest.raises(Forbidden):
        tasks.claim(people.other_manager, task.id)
    with pytest.raises(Forbidden):
        tasks.complete(people.manager, task.id, {"approved": True})
    tasks.claim(people.manager, task.id)
    db.session.commit()
    assert inbox.counts(people.manager) == {"mine": 1, "pool": 2, "escalated": 0}
    with pytest.raises(Conflict):
        tasks.claim(people.manager, task.id)
    with pytest.raises(Forbidden):
        tasks.unclaim(people.other_manager, task.id)
    tasks.unclaim(people.manager, task.id)
    db.session.commit()
    assert inbox.counts(people.manager)["pool"] == 3
    logged = db.session.execute(select(AuditEvent.action).where(
        AuditEvent.action.in_(["task.claim", "task.unclaim"]))).scalars().all()
    assert logged == ["task.claim", "task.unclaim"]


def test_completed_task_cannot_be_completed_again(three_reviews, people):
    task = three_reviews[0]
    tasks.claim(people.manager, task.id)
    complete(people.manager, task, approved=True, reason="")
    with pytest.raises(Conflict):
        tasks.complete(people.manager, task.id, {"approved": True})


def test_reassignment_needs_scope_and_a_reason(three_reviews, people):
    task = three_reviews[0]
    with pytest.raises(Forbidden):
        tasks.reassign(people.other_manager, task.id, people.supervisor.id, "help")
    with pytest.raises(tasks.TaskError):
        tasks.reassign(people.manager, task.id, people.supervisor.id, " ")
    tasks.reassign(people.manager, task.id, people.supervisor.id, "Rossi knows the case")
    db.session.commit()
    assert open_task(task.instance_id, "review").assignee_id == people.supervisor.id
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "task.reassign")).scalar_one()
    assert event.actor_id == people.manager.id and event.after["reason"] == "Rossi knows the case"
    # The new assignee completes; the manager no longer can.
    with pytest.raises(Forbidden):
        tasks.complete(people.manager, task.id, {"approved": True})
    complete(people.supervisor, task, approved=True, reason="")


def test_delegation_by_the_holder_within_scope(three_reviews, people):
    task = three_reviews[0]
    tasks.claim(people.manager, task.id)
    db.session.commit()
    with pytest.raises(Forbidden):
        tasks.delegate(people.supervisor, task.id, people.employee.id, "x")
    with pytest.raises(tasks.TaskError):
        tasks.delegate(people.manager, task.id, people.other_manager.id, "not my area")
    tasks.delegate(people.manager, task.id, people.supervisor.id, "Interview first")
    db.session.commit()
    assert open_task(task.instance_id, "review").assignee_id == people.supervisor.id


def test_inbox_pages_are_for_signed_in_people(client, deployed):
    assert client.get("/tasks").status_code == 302
    assert client.get("/tasks?view=nonsense").status_code == 302


def test_employee_pages(client, signed_in, deployed, people):
    review = start_review(people.employee)
    signed_in(people.employee.email)
    assert _rows(client, "view=mine") == [open_task(review.id, "submit").id]
    assert client.get("/tasks?view=nonsense").status_code == 404
    assert client.get(f"/instances/{review.id}").status_code == 200
    assert client.get("/instances").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    signed_in(people.other_employee.email)
    assert client.get(f"/instances/{review.id}").status_code == 403
