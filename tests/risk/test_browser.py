"""The risk section's pages in a real browser, in Italian, during the demo's year in
progress: a screenshot of each into test-output/screenshots/ and no serious or critical
axe-core violation; the manager's report form and the OIV's attestation grid included."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.engine import HumanTask
from tests.browser.test_accessibility import sign_in
from tests.helpers import OIV, SG

pytestmark = pytest.mark.browser

RPCT_PAGES = {"risk-index": "/rischi/", "risk-register": "/rischi/2022/",
              "risk-item": None, "risk-measures": "/rischi/2022/measures",
              "risk-checks": "/rischi/2022/checks", "risk-reports": "/rischi/2022/reports",
              "risk-settings": "/rischi/2022/settings", "risk-map": "/rischi/map",
              "risk-obligations": "/rischi/transparency", "risk-attestations": "/rischi/attestations",
              "risk-public": "/trasparenza/anticorruzione/"}


@pytest.fixture(autouse=True)
def english_interface():
    """This module reads the pages in Italian, the default language (the package's
    fixture of the same name switches the others to English)."""


def _task(form_key: str) -> int:
    return db.session.execute(select(HumanTask.id).where(
        HumanTask.form_key == form_key, HumanTask.status == "open")
        .order_by(HumanTask.id).limit(1)).scalar_one()


def test_the_risk_pages_are_accessible(live_server, risk_demo, page, axe, screenshot):
    from app.models.risk_register import RiskItem

    item = db.session.execute(select(RiskItem.id).order_by(RiskItem.id).limit(1)).scalar_one()
    pages = {**RPCT_PAGES, "risk-item": f"/rischi/2022/risks/{item}"}
    manager_task, check_task = _task("risk_manager_report"), _task("risk_periodic_check")
    attestation_task = _task("oiv_attestation_fill")
    found = {}
    sign_in(page, live_server, SG)
    for name, path in pages.items():
        page.goto(live_server + path)
        screenshot(name)
        found[name] = axe()
    page.goto(live_server + "/rischi/2022/")
    assert page.get_by_role("heading", name="Rischi corruttivi 2022").is_visible()
    assert page.get_by_test_id("heat-map").is_visible()
    manager = db.session.execute(select(HumanTask).where(HumanTask.id == manager_task)
                                 ).scalar_one().org_unit_id
    from app.models.org import OrgUnit

    head = db.session.get(OrgUnit, manager).head.email
    for email, name, task in ((SG, "risk-check-task", check_task),
                              (head, "risk-manager-report", manager_task),
                              (OIV, "risk-attestation-grid", attestation_task)):
        page.context.clear_cookies()
        sign_in(page, live_server, email)
        page.goto(f"{live_server}/tasks/{task}")
        page.get_by_role("button", name="Prendi in carico l'attività").click()
        page.wait_for_load_state()
        assert page.get_by_role("button", name="Completa l'attività").is_visible()
        screenshot(name)
        found[name] = axe()
    assert found == {name: [] for name in found}
