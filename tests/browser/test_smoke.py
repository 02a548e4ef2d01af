"""The login page renders, a demo user signs in, sees their name, signs out."""
import pytest

from tests.helpers import SUPPORT

pytestmark = pytest.mark.browser


def test_sign_in_and_out(live_server, demo, page, screenshot):
    page.goto(f"{live_server}/login")
    assert page.locator("h1").inner_text() == "Accedi"
    screenshot("login")
    page.get_by_label("E-mail").fill(SUPPORT)
    page.get_by_label("Password").fill("demo")
    page.locator("main").get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_test_id("current-user").inner_text() == "Antonio Deangelis"
    screenshot("home")
    page.get_by_role("button", name="Esci").click()
    page.wait_for_url(f"{live_server}/login")
    assert page.locator("h1").inner_text() == "Accedi"


@pytest.mark.allow_console_errors  # the refused sign-in answers 401, which the console logs
def test_wrong_password_shows_message(live_server, demo, page):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(SUPPORT)
    page.get_by_label("Password").fill("not-the-password")
    page.locator("main").get_by_role("button", name="Accedi").click()
    assert "non sono corretti" in page.locator("[role=alert]").inner_text()
