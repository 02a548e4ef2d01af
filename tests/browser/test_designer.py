"""The workflow designer in Chromium: an administrator adds a Board task in the bpmn-js
modeler, validates, deploys and starts the new version; the Board user finds the task in
the inbox. An invalid edit is refused with the message beside the element. The designer
pages pass axe-core."""
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.engine import ProcessDefinition
from app.services.designer import operations as designer
from tests.helpers import ADMIN, BOARD, user_by_email

pytestmark = pytest.mark.browser

DEMO = (Path(__file__).resolve().parents[1] / "designer" / "workflows" / "designer_demo.bpmn").read_text()

# Creates a user task in the Board lane between the start event and the first task,
# through the modeler's own services (what a drag from the palette does).
ADD_BOARD_TASK = """() => {
  const m = window.designerModeler;
  const registry = m.get('elementRegistry'), modeling = m.get('modeling');
  const start = registry.get('start'), prepare = registry.get('prepare');
  const task = modeling.createShape({type: 'bpmn:UserTask'}, {x: 560, y: 330},
                                    registry.get('Participant_demo'));
  modeling.removeElements([registry.get('f1')]);
  modeling.connect(start, task);
  modeling.connect(task, prepare);
  const lanes = task.businessObject.lanes || [];
  return {id: task.id, lanes: lanes.map(l => l.name)};
}"""


@pytest.fixture
def deployed_demo(demo):
    result = designer.deploy_xml(user_by_email(ADMIN), "designer_demo", DEMO)
    assert not result.problems
    db.session.commit()
    return result.definition


def sign_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("demo")
    page.locator("main").get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"{live_server}/")


def open_modeler(page, live_server):
    page.goto(f"{live_server}/admin/workflows/designer_demo/edit")
    page.wait_for_selector("body[data-modeler-ready=true]")


def add_board_task(page) -> str:
    created = page.evaluate(ADD_BOARD_TASK)
    assert created["lanes"] == ["Board"]
    assert page.evaluate(f"window.designerSelect('{created['id']}')")
    return created["id"]


def test_admin_adds_a_board_task_deploys_and_the_board_sees_it(
        live_server, deployed_demo, page, screenshot, axe):
    sign_in(page, live_server, ADMIN)
    page.goto(f"{live_server}/admin/workflows/")
    assert page.get_by_role("link", name="designer_demo").is_visible()
    screenshot("catalogue")
    assert axe() == []

    open_modeler(page, live_server)
    screenshot("modeler")
    assert axe() == []
    task_id = add_board_task(page)
    page.locator("#prop-name").fill("Record the Board deliberation")
    page.locator("#prop-name").blur()
    page.locator("#prop-form-key").select_option("approval")
    page.locator("#prop-dueDate").fill("'P10D'")
    page.locator("#prop-dueDate").blur()
    page.locator("#btn-validate").click()
    status = page.locator("#designer-status")
    status.locator("text=Il diagramma è valido.").wait_for()
    assert page.locator(".validation-overlay").count() == 0
    screenshot("validated")

    page.locator("#btn-deploy").click()
    page.wait_for_url(f"{live_server}/admin/workflows/designer_demo")
    latest = db.session.execute(
        select(ProcessDefinition).where(ProcessDefinition.process_id == "designer_demo")
        .order_by(ProcessDefinition.version.desc())).scalars().first()
    assert latest.version == 2 and task_id in latest.bpmn_xml
    assert "Record the Board deliberation" in latest.bpmn_xml
    screenshot("process")
    assert axe() == []

    page.locator("#business_key").fill("board-trial-1")
    page.locator("#start-heading ~ form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/instances/*")
    screenshot("instance")

    page.context.clear_cookies()
    sign_in(page, live_server, BOARD)
    page.goto(f"{live_server}/tasks?view=pool")
    row = page.get_by_test_id("task-row").filter(has_text="Record the Board deliberation")
    assert row.count() == 1
    screenshot("board-inbox")


@pytest.mark.allow_console_errors  # the refused validation answers 422, which the console logs
def test_invalid_edit_is_shown_beside_the_element(live_server, deployed_demo, page, screenshot):
    sign_in(page, live_server, ADMIN)
    open_modeler(page, live_server)
    task_id = add_board_task(page)  # a user task without formKey
    page.evaluate("""() => {
      const m = window.designerModeler;
      m.get('modeling').updateProperties(m.get('elementRegistry').get('Lane_SupportUnit'),
                                         {name: 'Segreteria'});
    }""")
    page.locator("#btn-validate").click()
    overlay = page.locator(f'.djs-overlays[data-container-id="{task_id}"] .validation-overlay')
    overlay.wait_for()
    assert "formKey" in overlay.inner_text()
    lane = page.locator('.djs-overlays[data-container-id="Lane_SupportUnit"] .validation-overlay')
    assert "not a known role" in lane.inner_text()
    assert page.locator("#designer-status.alert-danger").is_visible()
    # the selected element's panel repeats its problem
    page.evaluate(f"window.designerSelect('{task_id}')")
    assert "formKey" in page.locator("#element-panel [role=alert]").inner_text()
    screenshot("invalid")
    # nothing was deployed
    assert db.session.execute(select(ProcessDefinition.version)).scalars().all() == [1]


@pytest.mark.parametrize("path", ["/admin/workflows/forms", "/admin/workflows/designer_demo/diff?old=1&new=1",
                                  "/admin/workflows/designer_demo/migrate"])
def test_other_designer_pages_accessible(live_server, deployed_demo, page, axe, screenshot, path):
    sign_in(page, live_server, ADMIN)
    page.goto(f"{live_server}{path}")
    screenshot(path.rsplit("/", 1)[-1].split("?")[0])
    assert axe() == []
