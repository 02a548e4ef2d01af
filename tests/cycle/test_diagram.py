"""The master diagram in Chromium: bpmn-js draws every lane, step and flow of
performance_cycle from its diagram layout, with the step under way marked."""
from __future__ import annotations

import pytest

from tests.cycle.helpers import start_cycle
from tests.engine.helpers import complete, open_task
from tests.helpers import ADMIN, SUPPORT, user_by_email

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def english_interface():
    """This page is read in Italian, the interface's default language."""
    yield


def test_the_viewer_draws_the_master_with_the_current_step(live_server, page, screenshot,
                                                           master_only, no_children, demo_plan):
    from app.services.tasks import operations as tasks

    _cycle, master = start_cycle(demo_plan)
    support = user_by_email(SUPPORT)
    draft = open_task(master.id, "draft_plan")
    tasks.claim(support, draft.id)
    complete(support, draft, note="")

    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(ADMIN)
    page.get_by_label("Password").fill("demo")
    page.locator("main").get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/instances/{master.id}")
    page.wait_for_selector('.djs-element[data-element-id="sg_review"]')
    shapes = page.eval_on_selector_all(".djs-element[data-element-id]",
                                       "els => els.map(e => e.dataset.elementId)")
    for element in ("lane_Board", "lane_OIV", "lane_Manager", "board_plan", "enter_actuals",
                    "wait_evaluations", "enter_fund", "oiv_validation", "f_gw_validation_enter_fund",
                    "end"):
        assert element in shapes
    assert page.locator('.djs-element.step-current[data-element-id="sg_review"]').count() == 1
    assert page.locator('.djs-element.step-done[data-element-id="draft_plan"]').count() == 1
    screenshot("performance-cycle-instance")
