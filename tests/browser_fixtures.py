"""Fixtures of the browser tests, loaded as a pytest plugin so that one Chromium serves
every folder: the application served on loopback, driven by Playwright in Debian's
Chromium (Playwright's own browser download is not used)."""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urljoin

import pytest
from werkzeug.serving import make_server

from tests.conftest import OUTPUT_DIR

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, request):
    """A tab that fails the test on any console error or uncaught exception of the page
    (mark a test `allow_console_errors` when it opens a refused page on purpose)."""
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda message: errors.append(f"console: {message.text}")
           if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    yield tab
    context.close()
    if not request.node.get_closest_marker("allow_console_errors"):
        assert errors == [], "errors in the browser console:\n" + "\n".join(errors)


@pytest.fixture
def screenshot(page, request):
    """Save a full-page screenshot under the test output folder."""

    def _take(name: str) -> Path:
        folder = OUTPUT_DIR / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _take


AXE = "/static/vendor/axe-core/axe.min.js"


@pytest.fixture
def axe(page):
    """Run axe-core (from npm) in the page; return the serious and critical violations.
    It loads from our static files: the Content-Security-Policy refuses inline scripts."""

    def _check() -> list[dict]:
        page.add_script_tag(url=urljoin(page.url, AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            {"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")
        ]

    return _check
