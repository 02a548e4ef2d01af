"""Diagrams people can read: the instance page opens the 30-task cycle at a readable zoom
centred on the current step, with zoom and fit controls; the modeler runs bpmnlint's
recommended rules beside the product's own checks and names the problems in Italian."""
from pathlib import Path

import pytest

from app import engine
from app.extensions import db
from app.services.designer import operations as designer
from tests.cycle.helpers import start_cycle
from tests.helpers import ADMIN, user_by_email
from tests.reports.conftest import build_report_cycle

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
DEMO_BPMN = (ROOT / "tests" / "designer" / "workflows" / "designer_demo.bpmn").read_text()

SCALE = """() => {
  const m = document.querySelector('#diagram .viewport').getAttribute('transform');
  return m ? parseFloat(m.slice(7).split(/[ ,]+/)[0]) : 1;
}"""

CURRENT_STEP_VISIBLE = """() => {
  const box = document.getElementById('diagram').getBoundingClientRect();
  const step = document.querySelector('#diagram .djs-element.step-current').getBoundingClientRect();
  return step.left >= box.left && step.right <= box.right
      && step.top >= box.top && step.bottom <= box.bottom;
}"""


def sign_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("demo")
    page.locator("main").get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"{live_server}/")


@pytest.fixture
def cycle_instance(demo):
    cycle = build_report_cycle(demo)
    path = ROOT / "workflows" / "performance_cycle.bpmn"
    engine.deploy({path.name: path.read_bytes()})
    db.session.commit()
    _next_cycle, master = start_cycle(cycle)
    db.session.commit()
    return master.id


def test_the_cycle_diagram_opens_readable_on_the_current_step(live_server, cycle_instance, page,
                                                               screenshot):
    sign_in(page, live_server, ADMIN)
    page.goto(f"{live_server}/instances/{cycle_instance}")
    page.wait_for_selector("#diagram .djs-element.step-current")
    assert page.evaluate(SCALE) >= 0.75
    assert page.evaluate(CURRENT_STEP_VISIBLE)
    assert page.locator("#diagram").bounding_box()["height"] >= 480
    screenshot("current-step")
    toolbar = page.get_by_test_id("zoom-toolbar")
    toolbar.get_by_role("button", name="Tutto il diagramma").click()
    whole = page.evaluate(SCALE)
    assert whole < 0.75  # the whole cycle fitted is the strip nobody can read
    toolbar.get_by_role("button", name="Ingrandisci").click()
    assert page.evaluate(SCALE) == pytest.approx(whole * 1.25, rel=0.01)
    toolbar.get_by_role("button", name="Passo in corso").click()
    assert page.evaluate(SCALE) >= 0.75 and page.evaluate(CURRENT_STEP_VISIBLE)


@pytest.fixture
def deployed_demo(demo):
    result = designer.deploy_xml(user_by_email(ADMIN), "designer_demo", DEMO_BPMN)
    assert not result.problems
    db.session.commit()


def test_the_modeler_shows_bpmnlint_problems_in_italian(live_server, deployed_demo, page,
                                                         screenshot):
    sign_in(page, live_server, ADMIN)
    page.goto(f"{live_server}/admin/workflows/designer_demo/edit")
    page.wait_for_selector("body[data-modeler-ready=true]")
    lint = page.get_by_test_id("designer-lint")
    page.wait_for_function("document.getElementById('designer-lint').dataset.count !== undefined")
    assert "fake-join" not in lint.inner_text()
    # a second flow into the first task, without a joining gateway
    page.evaluate("""() => { const m = window.designerModeler, r = m.get('elementRegistry');
                             const tasks = r.filter(e => e.type === 'bpmn:UserTask');
                             m.get('modeling').connect(tasks[tasks.length - 1], tasks[0]); }""")
    page.wait_for_function(
        "document.getElementById('designer-lint').textContent.includes('fake-join')")
    assert "senza un gateway" in lint.inner_text()
    screenshot("lint")
