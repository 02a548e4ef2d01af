"""The people plans in a real browser, in Italian: the support unit reads Turin's
staffing plan, is refused a hire that would exceed its pool with the amounts in the
message, and the three plans' pages pass axe-core; screenshots of each."""
from __future__ import annotations

import pytest

from app.extensions import db
from tests.helpers import SUPPORT, run_jobs

pytestmark = pytest.mark.browser


def sign_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("demo")
    page.locator("main").get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"{live_server}/")


def test_the_support_unit_plans_hires_within_the_pools(live_server, cycle, adoption_deployed,
                                                       training_deployed, page, axe, screenshot):
    from app.demo import people_plan as demo_people
    from app.services.people_plan import equality, staffing

    demo_people.load_training(demo_people._first_with(demo_people.Role.SUPPORT_UNIT), cycle)
    demo_people.load_staffing(demo_people._first_with(demo_people.Role.SUPPORT_UNIT), cycle)
    demo_people.load_equality(demo_people._first_with(demo_people.Role.SUPPORT_UNIT), cycle)
    db.session.commit()
    run_jobs()
    assert staffing.plan_of(cycle) and equality.plan_of(cycle)

    sign_in(page, live_server, SUPPORT)
    page.get_by_role("link", name="Piani del personale").click()
    page.wait_for_url(f"{live_server}/people/2022/staffing/")
    assert page.get_by_role("cell", name="9.499.919,94 €").is_visible()
    assert axe() == []
    screenshot("staffing")

    page.get_by_label("Categoria", exact=True).last.select_option(label="C")
    page.get_by_label("Profilo").fill("Assistente amministrativo")
    page.get_by_label("Canale 3").select_option(value="")
    page.get_by_role("button", name="Prevedi le assunzioni").click()
    alert = page.get_by_role("alert")
    assert "La quota utilizzabile sarebbe superata di 28.431,86 EUR" in alert.inner_text()
    screenshot("refused-hire")

    for tab, name in (("Piano della formazione", "training"),
                      ("Piano delle azioni positive", "equality")):
        page.get_by_role("link", name=tab).click()
        page.wait_for_load_state()
        assert axe() == []
        screenshot(name)
