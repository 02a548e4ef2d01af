"""Every response carries the strict Content-Security-Policy with a nonce of its own, and
browsers can report violations to /csp-report without a CSRF token, within a size limit."""
import json
import logging
import re

import pytest

from tests.helpers import ADMIN

NONCE = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9_-]{22,})'")
STRICT = [
    "default-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self' data:",
    "connect-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'self'",
    "object-src 'none'", "report-uri /csp-report",
]
REPORT = {"csp-report": {
    "document-uri": "http://localhost/tasks", "violated-directive": "script-src-elem",
    "blocked-uri": "inline", "source-file": "http://localhost/tasks", "line-number": 12,
}}


def policy_of(response) -> str:
    policy = response.headers.get("Content-Security-Policy")
    assert policy, response.request.path
    return policy


def nonce_of(response) -> str:
    match = NONCE.search(policy_of(response))
    assert match, policy_of(response)
    return match.group(1)


def test_policy_is_strict_without_unsafe_sources(client):
    policy = policy_of(client.get("/login"))
    for directive in STRICT:
        assert directive in policy.split("; ")
    assert "unsafe" not in policy


@pytest.mark.parametrize("path", ["/", "/tasks", "/plan/", "/admin/users", "/admin/workflows/",
                                  "/me/", "/trasparenza/", "/no-such-page"])
def test_every_html_page_has_a_fresh_nonce_and_its_scripts_carry_it(demo, signed_in, path):
    client = signed_in(ADMIN)
    first, second = client.get(path), client.get(path)
    assert first.mimetype == "text/html"
    assert nonce_of(first) != nonce_of(second)
    html = first.get_data(as_text=True)
    scripts = re.findall(r"<script\b[^>]*>", html)
    executable = [s for s in scripts if 'type="application/json"' not in s]
    assert executable, path  # Bootstrap Italia's bundle at least
    assert all(f'nonce="{nonce_of(first)}"' in tag for tag in executable), executable


def test_templates_have_no_inline_styles_or_event_handlers(app):
    from pathlib import Path

    folder = Path(app.root_path) / "templates"
    offending = []
    for template in folder.rglob("*.html"):
        if (template.name.endswith("_pdf.html") or template.name == "personal_export.html"
                or "sheets" in template.parts):
            continue  # rendered to a PDF or into a person's data export, never served
        text = template.read_text()
        if re.search(r"\sstyle=|<style|\son[a-z]+=|javascript:", text):
            offending.append(str(template.relative_to(folder)))
    assert offending == []


def test_static_files_and_json_answers_carry_the_policy_too(client):
    assert "default-src 'self'" in policy_of(client.get("/static/app.css"))
    assert "default-src 'self'" in policy_of(client.get("/healthz"))


def test_violation_report_is_logged_without_csrf_token(client, caplog):
    caplog.set_level(logging.WARNING, logger="app.web.security")
    response = client.post("/csp-report", data=json.dumps(REPORT),
                           content_type="application/csp-report")
    assert response.status_code == 204
    (record,) = [r for r in caplog.records if r.name == "app.web.security"]
    assert record.levelno == logging.WARNING
    assert "script-src-elem" in record.getMessage() and "http://localhost/tasks" in record.getMessage()


def test_oversized_report_is_refused_unread(client, caplog):
    caplog.set_level(logging.WARNING, logger="app.web.security")
    body = json.dumps({"csp-report": {"blocked-uri": "x" * 20_000}})
    response = client.post("/csp-report", data=body, content_type="application/csp-report")
    assert response.status_code == 413
    assert not [r for r in caplog.records if r.name == "app.web.security"]


def test_report_that_is_not_json_is_refused(client):
    response = client.post("/csp-report", data=b"\xff not json", content_type="application/csp-report")
    assert response.status_code == 400


def test_report_endpoint_accepts_only_post(client):
    assert client.get("/csp-report").status_code == 405
