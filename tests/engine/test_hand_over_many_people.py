"""Handing a task over when many people may receive it: above listing.PEOPLE_LIST_LIMIT the
reassign and delegate forms ask for the person's e-mail instead of listing everyone (an
organisation-wide role of a ministry got 25,000 names on each task page), and the e-mail
reaches only the people the list would have offered."""
from __future__ import annotations

import pytest

from app.services.org import listing
from tests.engine.helpers import complete, open_task, start_review
from tests.helpers import csrf_token, login


@pytest.fixture
def review(deployed, people):
    """A review waiting in the pool of the managers of area A1."""
    instance = start_review(people.employee, key="many")
    complete(people.employee, open_task(instance.id, "submit"), days=1)
    return open_task(instance.id, "review")


@pytest.fixture
def few(monkeypatch):
    monkeypatch.setattr(listing, "PEOPLE_LIST_LIMIT", 2)


def _reassign(client, task_id: int, **fields):
    token = csrf_token(client, f"/tasks/{task_id}/reassign")
    data = {"csrf_token": token, "reassign-reason": "Rossi knows the case"}
    data.update({f"reassign-{name}": value for name, value in fields.items()})
    return client.post(f"/tasks/{task_id}/reassign", data=data, follow_redirects=True)


def test_the_task_page_links_to_the_hand_over_forms(client, app, signed_in, review, people):
    """The people a task may go to are read on the form's own page, not on every visit to
    the task; someone who may not hand it over gets neither page."""
    signed_in(people.manager.email)
    html = client.get(f"/tasks/{review.id}").get_data(as_text=True)
    assert f'href="/tasks/{review.id}/reassign"' in html
    assert 'name="reassign-user_id"' not in html and 'name="reassign-reason"' not in html
    outsider = app.test_client()
    assert login(outsider, people.other_employee.email).status_code == 302
    for how in ("reassign", "delegate"):
        assert outsider.get(f"/tasks/{review.id}/{how}").status_code == 403


def test_up_to_the_limit_the_people_are_listed(client, signed_in, review, people):
    signed_in(people.manager.email)
    html = client.get(f"/tasks/{review.id}/reassign").get_data(as_text=True)
    assert 'name="reassign-user_id"' in html and 'name="reassign-email"' not in html
    assert f'value="{people.supervisor.id}"' in html
    assert '<option selected value="">— scegli una persona —</option>' in html


def test_without_a_person_chosen_nothing_changes(client, signed_in, review, people):
    """The list starts with nobody chosen: sent as it is, the form is refused."""
    signed_in(people.manager.email)
    page = _reassign(client, review.id, user_id="")
    assert page.status_code == 422 and "Scegli una persona" in page.get_data(as_text=True)
    assert open_task(review.instance_id, "review").assignee_id is None


def test_above_the_limit_the_form_asks_for_the_e_mail(client, signed_in, review, people, few):
    signed_in(people.manager.email)
    html = client.get(f"/tasks/{review.id}/reassign").get_data(as_text=True)
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


@pytest.mark.browser
def test_in_chromium_the_admin_hands_a_task_over_by_e_mail_in_italian_and_english(
        page, live_server, axe, review, people, monkeypatch):
    """Irene Operti (Admin) may give the review to anyone: above the limit the page asks
    for an e-mail, in the reader's language, and refuses what names nobody (a formula, a
    script, another person's id) with nothing changed."""
    monkeypatch.setattr(listing, "PEOPLE_LIST_LIMIT", 2)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("irene.operti@cciaa-demo.example")
    page.get_by_label("Password").fill("demo")
    page.locator("main").get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/tasks/{review.id}")
    page.get_by_role("link", name="Riassegna").click()
    page.wait_for_url(f"{live_server}/tasks/{review.id}/reassign")
    field = page.get_by_label("E-mail della persona")
    assert "troppe per elencarle" in page.inner_text("main")
    assert page.locator('select[name="reassign-user_id"]').count() == 0
    assert axe() == []
    for typed in ("=HYPERLINK(\"http://x\")@a.it", "<script>x</script>@a.it", str(people.supervisor.id)):
        field.fill(typed)
        page.locator("textarea[name=reassign-reason]").fill("ferie")
        page.get_by_role("button", name="Riassegna").click()
        page.wait_for_load_state()
        if "Nessuna delle persone" not in page.inner_text("main"):  # the browser refused it
            assert field.evaluate("element => !element.checkValidity()")
        assert open_task(review.instance_id, "review").assignee_id is None
        page.goto(f"{live_server}/tasks/{review.id}/reassign")
    page.get_by_role("button", name="English").click()
    assert "Too many people may receive this task" in page.inner_text("main")
    page.get_by_label("Person's e-mail").fill(people.supervisor.email.upper())
    page.locator("textarea[name=reassign-reason]").fill("on leave")
    page.get_by_role("button", name="Reassign").click()
    page.wait_for_selector("text=The task has been handed over.")
    assert open_task(review.instance_id, "review").assignee_id == people.supervisor.id
