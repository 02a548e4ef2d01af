"""Smart working in Chromium, in Italian: an employee asks for smart working with the
form, the head of area A1 takes the request and authorises it on the task page, and the
unit's calendar shows the agreement in force; axe-core finds no serious or critical
violation on any of these pages, and each one is saved as a screenshot."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.engine.helpers import open_task
from tests.smart_working.helpers import agreement_of, in_force, instance_of, request_data

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def english_interface():
    """This test reads the Italian interface: the default language stays."""


def sign_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("demo")
    page.locator("main").get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"{live_server}/")


def sign_out(page):
    page.get_by_role("button", name="Esci").click()


def test_a_request_is_asked_authorised_and_shown_in_the_calendar(
        page, live_server, axe, screenshot, deployed, people):
    earlier = in_force(people, months=1)  # the employee's agreement of next month
    data = request_data(starts_on=earlier.ends_on + timedelta(days=1))
    sign_in(page, live_server, people.employee.email)
    page.goto(f"{live_server}/lavoro-agile/richiesta")
    page.get_by_label("Primo giorno").fill(data["starts_on"])
    page.get_by_label("Ultimo giorno").fill(data["ends_on"])
    page.get_by_label("Martedì").select_option("day")
    page.get_by_label("Venerdì").select_option("morning")
    assert axe() == []
    screenshot("request")
    page.get_by_role("button", name="Invia la richiesta").click()
    page.wait_for_selector('[data-testid="agreement-terms"]')
    assert "In attesa del dirigente" in page.inner_text('[data-testid="agreement-status"]')
    assert axe() == []
    screenshot("agreement")
    sign_out(page)

    request = agreement_of(people.employee)
    task = open_task(instance_of(request).id, "authorise")
    sign_in(page, live_server, people.manager.email)
    page.goto(f"{live_server}/tasks/{task.id}")
    page.get_by_role("button", name="Prendi in carico l'attività").click()
    page.wait_for_selector('[data-testid="task-form"]')
    assert axe() == []
    screenshot("authorisation")
    page.locator('label[for="decision-0"]').click()  # the styled radio's label
    page.get_by_role("button", name="Completa l'attività").click()
    page.wait_for_url(f"{live_server}/tasks")
    assert agreement_of(people.employee).status == "to_sign"

    month = earlier.starts_on
    page.goto(f"{live_server}/lavoro-agile/calendario?unita={people.employee.unit_id}"
              f"&mese={month:%Y-%m}")
    assert page.locator('[data-testid="calendar"] abbr[title="Giornata intera"]').count() >= 4
    assert axe() == []
    screenshot("calendar")
