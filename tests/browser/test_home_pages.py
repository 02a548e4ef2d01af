"""Each demo role's home page during a running cycle: a screenshot per role into
test-output/screenshots/, and no serious or critical axe-core violation."""
from pathlib import Path

import pytest

from app import engine
from app.extensions import db
from tests.browser.test_accessibility import sign_in
from tests.cycle.helpers import start_cycle
from tests.helpers import ADMIN, BOARD, EMPLOYEE_A1, MANAGER, OIV, SG, SUPPORT

pytestmark = pytest.mark.browser

MASTER = Path(__file__).resolve().parents[2] / "workflows" / "performance_cycle.bpmn"
ROLES = {"admin": ADMIN, "support": SUPPORT, "sg": SG, "manager": MANAGER,
         "employee": EMPLOYEE_A1, "oiv": OIV, "board": BOARD}


def test_every_roles_home_page_is_accessible(live_server, demo, page, axe, screenshot):
    from app.demo import plan as demo_plan

    source = demo_plan.load(demo)
    engine.deploy({MASTER.name: MASTER.read_bytes()})
    db.session.commit()
    start_cycle(source)
    found = {}
    for role, email in ROLES.items():
        page.context.clear_cookies()
        sign_in(page, live_server, email)
        assert page.get_by_role("heading", name="Cosa mi aspetta").is_visible()
        assert page.locator('[aria-current="step"]').count() == 1
        screenshot(f"home-{role}")
        found[role] = axe()
    assert found == {role: [] for role in ROLES}
