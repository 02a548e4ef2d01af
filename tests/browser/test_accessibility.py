"""axe-core finds no serious or critical violation on the base pages."""
import pytest

from tests.helpers import ADMIN

pytestmark = pytest.mark.browser


def sign_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("demo")
    page.locator("main").get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"{live_server}/")


def test_login_page_accessible(live_server, page, axe):
    page.goto(f"{live_server}/login")
    assert axe() == []


@pytest.mark.parametrize("path", ["/", "/admin/users", "/admin/org", "/admin/evaluators",
                                  "/admin/import", "/admin/units/new"])
def test_admin_pages_accessible(live_server, demo, page, axe, screenshot, path):
    sign_in(page, live_server, ADMIN)
    page.goto(f"{live_server}{path}")
    screenshot(path.strip("/").replace("/", "-") or "home")
    assert axe() == []


def test_skip_link_moves_focus_to_main(live_server, page):
    page.goto(f"{live_server}/login")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Vai al contenuto principale"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
