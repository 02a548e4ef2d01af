"""The evaluator's grid in Chromium: a supervisor rates two people side by side with the
keyboard, the live score comes from the server under the Content-Security-Policy, one
person's ratings are saved as a draft and the other's completed; axe-core finds no
serious or critical violation; a screenshot of the grid goes to the test output."""
from __future__ import annotations

from pathlib import Path

import pytest

from app import engine
from app.extensions import db
from tests.helpers import SUPERVISOR_A1, SUPPORT, run_jobs, user_by_email

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = ("alessandro.russo@cciaa-demo.example", "silvia.colombo@cciaa-demo.example")


@pytest.fixture
def two_to_rate(demo):
    """Two people of sector A1.1 past their self-assessment: two rating tasks for the
    sector's head. Returns the cycle's year and the task ids, by surname."""
    from app.demo import plan as demo_plan
    from app.services.cycle import children as cycle_children
    from app.services.evaluation import operations as evaluations
    from app.services.tasks import operations as tasks
    from tests.cycle_children.helpers import child
    from tests.engine.helpers import open_task

    cycle = demo_plan.load(demo)
    engine.deploy({"individual_evaluation.bpmn":
                   (ROOT / "workflows" / "individual_evaluation.bpmn").read_bytes(),
                   **engine.read_directory(ROOT / "tests" / "cycle_children" / "workflows")})
    support, supervisor = user_by_email(SUPPORT), user_by_email(SUPERVISOR_A1)
    master = engine.start("children_master", business_key="grid-cycle", actor=support)
    people = [user_by_email(email) for email in PEOPLE]
    for person in people:
        evaluations.acknowledge_sheet(person, evaluations.issue_sheet(supervisor, cycle, person))
    assert cycle_children.start_evaluations(support, cycle, master) == 2
    run_jobs()
    db.session.commit()
    found = {}
    for person in people:
        instance = child("individual_evaluation", f"evaluation:{cycle.id}:{person.id}")
        tasks.complete(person, open_task(instance.id, "self_assessment").id, {"self_assessment": ""})
        db.session.commit()
        found[person.last_name] = open_task(instance.id, "rate_evaluation").id
    return cycle.year, found


def sign_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("demo")
    page.locator("main").get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"{live_server}/")


def rate_with_keyboard(page, task_id: int, grades) -> None:
    """Tab into each select of the row and choose by typing, as a keyboard user does."""
    for n, (what, how) in enumerate(grades):
        page.focus(f"#row-{task_id}-{n}-what")
        page.keyboard.type(what)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == f"row-{task_id}-{n}-how"
        page.keyboard.type(how)


def test_a_supervisor_rates_the_team_side_by_side(live_server, two_to_rate, page, screenshot, axe):
    year, tasks = two_to_rate
    russo, colombo = tasks["Russo"], tasks["Colombo"]
    sign_in(page, live_server, SUPERVISOR_A1)
    page.goto(f"{live_server}/tasks")
    page.get_by_test_id("grid-link").locator("a").click()
    page.wait_for_url(f"{live_server}/team/evaluations")
    assert page.locator("tr[data-task]").count() == 2

    rate_with_keyboard(page, russo, [("6", "A"), ("4", "B"), ("2", "C")])
    score = page.locator(f'#row-{russo} [data-testid="row-score"]')
    page.wait_for_function("el => el.textContent.trim() === '4,10'", arg=score.element_handle())
    assert page.locator(f'#row-{russo} [data-testid="row-band"]').inner_text() == "Fascia media"
    rate_with_keyboard(page, colombo, [("6", "A"), ("6", "A")])
    screenshot("grid")
    assert axe() == []

    page.locator(f"#row-{colombo}").get_by_role("button", name="Salva bozza").click()
    page.wait_for_url(f"{live_server}/team/evaluations?cycle={year}#row-{colombo}")
    assert page.locator(f'#row-{colombo} [data-testid="draft-badge"]').count() == 1
    assert page.locator(f"#row-{colombo}-0-what").input_value() == "6"

    rate_with_keyboard(page, russo, [("6", "A"), ("4", "B"), ("2", "C")])
    page.locator(f"#row-{russo}").get_by_role("button", name="Completa").click()
    page.wait_for_url(f"{live_server}/team/evaluations?cycle={year}#row-{russo}")
    assert page.locator("tr[data-task]").count() == 1
    mine = page.get_by_test_id("mine-bands")
    assert mine.locator('tr[data-band="medium"] td').first.inner_text() == "1"
    screenshot("grid-after")
    assert axe() == []
