"""Every page of every demo role, in Chromium, under the strict Content-Security-Policy:
no violation (console message, `securitypolicyviolation` event or report posted to
/csp-report) and no console error, while what needs scripts still works: bpmn-js draws
the modeler and the instance viewer, the charts render, Bootstrap Italia's dropdown opens.
A first test injects a violation and sees every one of the three detectors catch it."""
import logging
from pathlib import Path

import pytest

from app import engine
from app.extensions import db
from app.services.designer import operations as designer
from app.services.tasks import operations as tasks
from tests.cycle.helpers import open_cycle_tasks, start_cycle
from tests.helpers import (
    ADMIN,
    EMPLOYEE_A1,
    MANAGER,
    OIV,
    SUPERVISOR_A1,
    SUPPORT,
    run_jobs,
    user_by_email,
)
from tests.reports.conftest import build_report_cycle

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DEMO_BPMN = (ROOT / "tests" / "designer" / "workflows" / "designer_demo.bpmn").read_text()
LISTEN = """document.addEventListener('securitypolicyviolation', e => window.cspViolation(
  `${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));"""
SHAPES = ".djs-element[data-element-id] .djs-visual > *"


class Watch:
    """What the browser said was wrong, page by page."""

    def __init__(self, page, caplog):
        self.page, self.caplog, self.problems = page, caplog, []
        caplog.set_level(logging.WARNING, logger="app.web.security")
        page.on("console", self._console)
        page.on("pageerror", lambda error: self._add(f"uncaught: {error}"))
        page.expose_function("cspViolation", lambda text: self._add(f"violation event: {text}"))
        page.add_init_script(LISTEN)

    def _add(self, text):
        self.problems.append(f"{self.page.url}: {text}")

    def _console(self, message):
        if message.type == "error" or "Content Security Policy" in message.text:
            self._add(f"console {message.type}: {message.text}")

    def reports(self) -> list[str]:
        return [r.getMessage() for r in self.caplog.records if r.name == "app.web.security"]

    def visit(self, live_server, path):
        response = self.page.goto(f"{live_server}{path}")
        assert response.status == 200, path
        self.page.wait_for_load_state("networkidle")
        assert self.problems == []

    def assert_clean(self):
        self.page.wait_for_timeout(300)  # reports are posted after the page went on
        assert self.problems == []
        assert self.reports() == []


@pytest.fixture
def watch(page, caplog):
    return Watch(page, caplog)


def sign_in(page, live_server, email):
    page.wait_for_load_state("networkidle")  # no late answer sets the old session again
    page.context.clear_cookies()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("demo")
    page.locator("main").get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"{live_server}/")


def drawn_shapes(page) -> int:
    page.wait_for_selector(SHAPES)
    return page.locator(SHAPES).count()


@pytest.mark.allow_console_errors  # the test injects a script the policy blocks
def test_an_injected_inline_script_is_caught_by_every_detector(live_server, page, watch):
    page.goto(f"{live_server}/login")
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = 'window.ran = true'; document.body.append(s); }""")
    page.wait_for_timeout(500)
    assert page.evaluate("window.ran === undefined")
    assert any("Content Security Policy" in p for p in watch.problems)
    assert any("violation event: script-src-elem blocked inline" in p for p in watch.problems)
    assert any("script-src-elem" in r and "inline" in r for r in watch.reports())


@pytest.fixture
def live_cycle(demo):
    """The evaluated cycle 2022 to report on, and the cycle 2023 started from it with the
    plan draft open and claimed by the support unit: a task page with its form."""
    cycle = build_report_cycle(demo)
    path = ROOT / "workflows" / "performance_cycle.bpmn"
    engine.deploy({path.name: path.read_bytes()})
    db.session.commit()
    next_cycle, master = start_cycle(cycle)
    (draft,) = [t for t in open_cycle_tasks(next_cycle.id) if t.bpmn_id == "draft_plan"]
    tasks.claim(user_by_email(SUPPORT), draft.id)
    db.session.commit()
    objective = next(o for o in cycle.plan.objectives if o.indicators)
    return {"master": master.id, "draft": draft.id, "objective": objective.id,
            "indicator": objective.indicators[0].id, "person": user_by_email(EMPLOYEE_A1).id}


def test_every_page_of_every_role_obeys_the_policy(live_server, live_cycle, page, watch):
    watch.visit(live_server, "/login")
    watch.visit(live_server, "/trasparenza/")

    sign_in(page, live_server, EMPLOYEE_A1)
    for path in ("/", "/tasks", "/plan/", "/plan/2022", "/me/2022", "/me/history",
                 "/me/preferences"):
        watch.visit(live_server, path)

    sign_in(page, live_server, MANAGER)
    for path in ("/team/2022", "/team/2022/objectives"):
        watch.visit(live_server, path)

    sign_in(page, live_server, OIV)
    for path in ("/oiv/2022", "/dashboard/2022"):
        watch.visit(live_server, path)

    sign_in(page, live_server, SUPPORT)
    watch.visit(live_server, "/dashboard/2022")
    charts = page.locator('img[src^="data:image/svg+xml"]')
    assert charts.count() >= 3
    assert page.evaluate("""() => [...document.querySelectorAll('img[src^="data:image/svg+xml"]')]
                              .every(i => i.complete && i.naturalWidth > 0)""")
    c = live_cycle
    for path in (f"/tasks/{c['draft']}", "/plan/2023", f"/plan/2022/objectives/{c['objective']}",
                 f"/plan/2022/objectives/{c['objective']}/edit",
                 f"/plan/2022/indicators/{c['indicator']}/edit",
                 f"/plan/2022/indicators/{c['indicator']}/values", "/plan/2022/system",
                 "/plan/2022/calendar", "/plan/2022/revisions", "/plan/2022/import",
                 "/plan/2022/areas/new", "/plan/2022/objectives/new", f"/plan/2022/people/{c['person']}",
                 "/plan/2022/people/import", f"/admin/users/{c['person']}",
                 "/admin/users", "/admin/users/new", "/admin/org", "/admin/units/new",
                 "/admin/evaluators", "/admin/import", "/instances"):
        watch.visit(live_server, path)
    assert page.locator(f'form[action$="/tasks/{c["draft"]}"], main form').count() >= 1

    watch.visit(live_server, "/")
    page.get_by_test_id("nav-manage").get_by_role("button").click()
    menu = page.get_by_test_id("nav-manage").locator(".dropdown-menu")
    menu.wait_for(state="visible")
    menu.get_by_role("link", name="Utenti").click()
    page.wait_for_url(f"{live_server}/admin/users")

    sign_in(page, live_server, ADMIN)
    for path in ("/admin/outbox", "/admin/workflows/", "/admin/workflows/forms", "/admin/workflows/new"):
        watch.visit(live_server, path)
    watch.visit(live_server, f"/instances/{c['master']}")
    assert drawn_shapes(page) > 20
    assert page.locator('.djs-element.step-current[data-element-id="sg_review"], '
                        '.djs-element.step-current').count() >= 1
    watch.assert_clean()


@pytest.fixture
def deployed_demo(demo):
    result = designer.deploy_xml(user_by_email(ADMIN), "designer_demo", DEMO_BPMN)
    assert not result.problems
    db.session.commit()


def test_the_modeler_draws_and_edits_under_the_policy(live_server, deployed_demo, page, watch,
                                                       screenshot):
    sign_in(page, live_server, ADMIN)
    watch.visit(live_server, "/admin/workflows/designer_demo")
    watch.visit(live_server, "/admin/workflows/designer_demo/edit")
    page.wait_for_selector("body[data-modeler-ready=true]")
    assert drawn_shapes(page) > 5
    page.locator('.djs-element[data-element-id="prepare"]').click()
    page.locator(".djs-context-pad").wait_for(state="visible")
    page.locator('.djs-context-pad [data-action="replace"]').click()
    page.locator(".djs-popup").wait_for(state="visible")
    page.keyboard.press("Escape")
    page.evaluate("""() => { const m = window.designerModeler, r = m.get('elementRegistry');
                             m.get('selection').select([r.get('prepare'), r.get('start')]); }""")
    page.locator(".djs-context-pad").wait_for(state="visible")
    page.locator('.djs-context-pad [data-action="align-elements"]').click()
    page.locator(".djs-popup").wait_for(state="visible")
    assert page.locator(".djs-popup svg .bpmn-icon-part-fill").count() >= 6  # drawn by class
    screenshot("align-menu")
    page.keyboard.press("Escape")
    page.locator("#btn-validate").click()
    page.locator("#designer-status").wait_for(state="visible")
    watch.visit(live_server, "/admin/workflows/designer_demo/diff?old=1&new=1")
    watch.visit(live_server, "/admin/workflows/designer_demo/migrate")
    watch.assert_clean()


@pytest.fixture
def rating_task(demo):
    """An individual evaluation past the self-assessment: the evaluator's rating form,
    whose live score posts to the server from static JS (connect-src 'self')."""
    from app.demo import plan as demo_plan
    from app.services.cycle import children as cycle_children
    from app.services.evaluation import operations as evaluations
    from tests.engine.helpers import complete, open_task

    cycle = demo_plan.load(demo)
    sources = {"individual_evaluation.bpmn": (ROOT / "workflows" / "individual_evaluation.bpmn").read_bytes(),
               **engine.read_directory(ROOT / "tests" / "cycle_children" / "workflows")}
    engine.deploy(sources)
    support, employee = user_by_email(SUPPORT), user_by_email(EMPLOYEE_A1)
    master = engine.start("children_master", business_key="csp-cycle", actor=support)
    sheet = evaluations.issue_sheet(user_by_email(SUPERVISOR_A1), cycle, employee)
    evaluations.acknowledge_sheet(employee, sheet)
    assert cycle_children.start_evaluations(support, cycle, master) == 1
    run_jobs()
    db.session.commit()
    (instance,) = [t.instance_id for t in open_cycle_tasks(cycle.id) if t.bpmn_id == "self_assessment"]
    complete(employee, open_task(instance, "self_assessment"), self_assessment="Arretrato ridotto")
    return open_task(instance, "rate_evaluation").id


def test_the_live_score_of_the_rating_form_works_under_the_policy(live_server, rating_task,
                                                                   page, watch):
    sign_in(page, live_server, SUPERVISOR_A1)
    watch.visit(live_server, f"/tasks/{rating_task}")
    rows = page.get_by_test_id("rating-rows").locator("tbody tr")
    assert rows.count() >= 1
    for n in range(rows.count()):
        page.locator(f'[name="rows-{n}-what"]').select_option("5")
        page.locator(f'[name="rows-{n}-how"]').select_option("A")
    score = page.get_by_test_id("live-score")
    page.wait_for_function("el => el.textContent.trim() !== '—'", arg=score.element_handle())
    assert page.get_by_test_id("live-band").inner_text().strip() != "—"
    watch.assert_clean()
