"""The pages of issue 6 in Chromium, each as the role it is for: a full-page screenshot
under the test output folder, the key figures on the page against the services', and
axe-core finding no serious or critical violation. One test per role group keeps the
(slow) evaluated cycle built once per test rather than once per page."""
import pytest

from app.formats import italian as formatting
from app.services.evaluation import operations as ev
from app.services.org.permissions import headed_units
from app.services.plan.scores import achievements
from app.services.reports import disclosure
from app.services.reports import figures as reports
from tests.helpers import EMPLOYEE_A1, MANAGER, OIV, SUPPORT, user_by_email
from tests.reports.conftest import build_report_cycle

pytestmark = pytest.mark.browser


@pytest.fixture
def report_cycle(demo):
    return build_report_cycle(demo)


@pytest.fixture
def closed_cycle(report_cycle):
    report_cycle.status = "closed"
    from app.extensions import db

    db.session.commit()
    return report_cycle


def sign_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("demo")
    page.locator("main").get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"{live_server}/")


def visit(page, live_server, path, screenshot, axe, name):
    response = page.goto(f"{live_server}{path}")
    assert response.status == 200, path
    screenshot(name)
    assert axe() == [], path


def cell(page, testid, row_selector, column):
    return page.get_by_test_id(testid).locator(f"{row_selector} >> td").nth(column).inner_text()


def test_employee_pages(live_server, report_cycle, page, screenshot, axe):
    person = user_by_email(EMPLOYEE_A1)
    evaluation = ev.evaluation_of(report_cycle, person)
    sign_in(page, live_server, EMPLOYEE_A1)
    visit(page, live_server, "/me/2022", screenshot, axe, "me")
    assert page.get_by_test_id("my-score").inner_text() == formatting.number(evaluation.score)
    assert page.get_by_test_id("sheet-status").inner_text().strip()
    page.locator("#reason").fill("Non concordo con la valutazione")
    page.get_by_test_id("ask-review").click()
    page.wait_for_url(f"{live_server}/me/2022#evaluation")
    assert page.get_by_test_id("ask-review").count() == 0
    screenshot("me-after-review")
    visit(page, live_server, "/me/history", screenshot, axe, "history")
    visit(page, live_server, "/me/preferences", screenshot, axe, "preferences")
    assert page.locator("#reminders").is_checked()


def test_manager_pages(live_server, report_cycle, page, screenshot, axe):
    manager = user_by_email(MANAGER)
    (allocation,) = reports.allocations(report_cycle, manager)
    sign_in(page, live_server, MANAGER)
    visit(page, live_server, "/me/2022", screenshot, axe, "manager-me")
    assert page.get_by_test_id("bonus-total").inner_text() == formatting.money(allocation.total)
    visit(page, live_server, "/team/2022", screenshot, axe, "team")
    mine = [r for r in reports.people_status(report_cycle, headed_units(manager))
            if r.user.id != manager.id]
    assert page.get_by_test_id("people").locator("tbody tr").count() == len(mine)
    late = sum(r.late for r in mine)
    assert page.get_by_test_id("late-count").inner_text().endswith(str(late))
    visit(page, live_server, "/team/2022/objectives", screenshot, axe, "team-objectives")
    result = achievements(report_cycle)
    owned = page.get_by_test_id("owned")
    op = next(o for o in report_cycle.plan.objectives if o.code == "OP1.1-01")
    assert owned.locator(f'tr[data-code="{op.code}"] td').nth(1).inner_text() == \
        formatting.percent(result.objective(op.id))


def test_dashboard_and_oiv_workspace(live_server, report_cycle, page, screenshot, axe):
    result = achievements(report_cycle)
    table = reports.score_distribution(report_cycle)
    fund = reports.fund(report_cycle)
    rows = reports.people_status(report_cycle)
    sign_in(page, live_server, SUPPORT)
    visit(page, live_server, "/dashboard/2022", screenshot, axe, "dashboard")
    assert page.get_by_test_id("organisation").inner_text() == formatting.percent(result.organisation)
    for unit, value in result.unit_areas:
        cell = page.get_by_test_id("areas").locator(f'tr[data-code="{unit.code}"] td').nth(1)
        # the figure, then its "how it is computed" disclosure
        assert cell.inner_text().splitlines()[0] == formatting.percent(value)
    for score, share in table.by_score.items():
        row = page.get_by_test_id("distribution").locator(f'tr[data-score="{score}"] td')
        assert row.nth(0).inner_text() == str(share.count)
        assert row.nth(1).inner_text() == formatting.percent(share.share)
    assert page.get_by_test_id("fund").inner_text() == formatting.money(fund.amount)
    assert page.get_by_test_id("distributed").inner_text() == formatting.money(fund.distributed)
    final = sum(r.step == "final" for r in rows)
    assert page.get_by_test_id("steps").locator('[data-step="final"]').inner_text() == str(final)
    assert page.get_by_test_id("late-count").inner_text() == str(sum(r.late for r in rows))
    assert page.locator('img[src^="data:image/svg+xml"]').count() >= 3

    page.context.clear_cookies()
    sign_in(page, live_server, OIV)
    visit(page, live_server, "/oiv/2022", screenshot, axe, "oiv")
    assert page.get_by_test_id("organisation").inner_text() == formatting.percent(result.organisation)
    for objective in report_cycle.plan.objectives:
        if objective.parent_id is None:
            cell = page.get_by_test_id("strategic").locator(
                f'tr[data-code="{objective.code}"] td').nth(1)
            assert cell.inner_text().splitlines()[0] == formatting.percent(result.objective(objective.id))


def test_transparency_page(live_server, closed_cycle, page, screenshot, axe):
    fund = reports.fund(closed_cycle)
    published = disclosure.distribution(closed_cycle)
    visit(page, live_server, "/trasparenza/", screenshot, axe, "transparency")
    section = page.locator('section[data-year="2022"]')
    assert section.locator('[data-figure="fund"]').inner_text() == formatting.money(fund.amount)
    assert section.locator('[data-figure="distributed"]').inner_text() == \
        formatting.money(fund.distributed)
    bands = section.locator('[data-testid="bands"]')
    for row in published.by_band:  # classes merged where fewer than the minimum
        cells = bands.locator(f'tr[data-class="{row.label}"] td')
        if row.count is None:
            assert cells.nth(0).inner_text() == f"< {published.minimum}"
        else:
            assert cells.nth(0).inner_text() == str(row.count)
            assert cells.nth(1).inner_text() == formatting.percent(row.share)
    text = page.locator("main").inner_text()
    for user in reports.people_status(closed_cycle):
        assert user.user.full_name not in text and user.user.email not in text
