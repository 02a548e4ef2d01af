"""Handing a task over when many people may receive it: above people_fields.PEOPLE_LIST_LIMIT the
reassign and delegate forms ask for the person's e-mail instead of listing everyone (an
organisation-wide role of a ministry got 25,000 names on each task page), and the e-mail
reaches only the people the list would have offered."""
from __future__ import annotations

import pytest

from app.web import people_fields
from tests.engine.helpers import complete, open_task, start_review
from tests.helpers import csrf_token


@pytest.fixture
def review(deployed, people):
    """A review waiting in the pool of the managers of area A1."""
    instance = start_review(people.employee, key="many")
    complete(people.employee, open_task(instance.id, "submit"), days=1)
    return open_task(instance.id, "review")


@pytest.fixture
def few(monkeypatch):
    monkeypatch.setattr(people_fields, "PEOPLE_LIST_LIMIT", 2)


def _reassign(client, task_id: int, **fields):
    token = csrf_token(client, f"/tasks/{task_id}")
    data = {"csrf_token": token, "reassign-reason": "Rossi knows the case"}
    data.update({f"reassign-{name}": value for name, value in fields.items()})
    return client.post(f"/tasks/{task_id}/reassign", data=data, follow_redirects=True)


def test_up_to_the_limit_the_people_are_listed(client, signed_in, review, people):
    signed_in(people.manager.email)
    html = client.get(f"/tasks/{review.id}").get_data(as_text=True)
    assert 'name="reassign-user_id"' in html and 'name="reassign-email"' not in html
    assert f'value="{people.supervisor.id}"' in html


def test_above_the_limit_the_form_asks_for_the_e_mail(client, signed_in, review, people, few):
    signed_in(people.manager.email)
    html = client.get(f"/tasks/{review.id}").get_data(as_text=True)
    assert 'name="reassign-email"' in html and 'name="reassign-user_id"' not in html
    assert people.supervisor.last_name not in html  # nobody is listed
    page = _reassign(client, review.id, email=f"  {people.supervisor.email.upper()} ")
    assert page.status_code == 200 and "attività è stata trasferita" in page.get_data(as_text=True)
    assert open_task(review.instance_id, "review").assignee_id == people.supervisor.id


@pytest.mark.parametrize("email", ["nessuno@cciaa-demo.example", "OTHER_MANAGER"])
def test_an_e_mail_outside_those_who_may_receive_it_changes_nothing(
        client, signed_in, review, people, few, email):
    if email == "OTHER_MANAGER":  # a real person, outside the manager's units
        email = people.other_manager.email
    signed_in(people.manager.email)
    page = _reassign(client, review.id, email=email)
    assert ("Nessuna delle persone che possono ricevere questa attività ha questa e-mail."
            in page.get_data(as_text=True))
    assert open_task(review.instance_id, "review").assignee_id is None


def test_without_the_e_mail_a_listed_id_is_not_enough(client, signed_in, review, people, few):
    signed_in(people.manager.email)
    page = _reassign(client, review.id, user_id=str(people.supervisor.id))
    assert "Scegli una persona" in page.get_data(as_text=True)
    assert open_task(review.instance_id, "review").assignee_id is None
