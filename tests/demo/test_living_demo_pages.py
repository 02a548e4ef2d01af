"""The living demo in the browser: each demo role's home page, and a manager's rating task
(with the ratings of the draft saved) in Italian and in English, saved as screenshots into test-output/screenshots/ with no
serious or critical axe-core violation."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.demo import living, org
from app.extensions import db
from app.models.engine import HumanTask, TaskStatus
from app.models.org import User
from tests.browser.test_accessibility import sign_in

pytestmark = pytest.mark.browser

ROLES = {"admin": "irene.operti", "support": "antonio.deangelis", "sg": "giovanni.bertolino",
         "manager": living.SLOW_MANAGER, "supervisor": "giulia.rossi",
         "employee": "luca.gentile", "oiv": "maria.zanetti", "board": "renata.chiesa"}


def test_every_demo_role_has_work_on_its_home_page(live_server, living_demo, page, axe, screenshot):
    found = {}
    for role, slug in ROLES.items():
        page.context.clear_cookies()
        sign_in(page, live_server, f"{slug}@{org.DOMAIN}")
        assert page.get_by_role("heading", name="Cosa mi aspetta").is_visible()
        assert page.locator('[aria-current="step"]').count() == 1
        assert page.locator("main a[href^='/tasks']").count() > 0, role
        screenshot(f"home-{role}")
        found[role] = axe()
    assert found == {role: [] for role in ROLES}


def test_a_rating_task_reads_in_italian_and_in_english(live_server, living_demo, page, axe,
                                                       screenshot):
    manager = db.session.execute(select(User).where(
        User.email == f"{living.SLOW_MANAGER}@{org.DOMAIN}")).scalar_one()
    task = db.session.execute(select(HumanTask).where(
        HumanTask.bpmn_id == "rate_evaluation", HumanTask.status == TaskStatus.OPEN.value,
        HumanTask.assignee_id == manager.id).order_by(HumanTask.subject_id).limit(1)).scalar_one()
    sign_in(page, live_server, manager.email)
    page.goto(f"{live_server}/tasks/{task.id}")
    assert page.get_by_text("Valuta gli obiettivi").first.is_visible()
    screenshot("task-it")
    italian = axe()
    page.locator("form[action$='/language/en'] button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("Rate the objectives").first.is_visible()
    screenshot("task-en")
    assert (italian, axe()) == ([], [])
