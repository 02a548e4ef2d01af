"""One log line per request with the user's id and the duration, and no other personal
data: not the e-mail, not the query string; written to stderr in production too."""
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.helpers import EMPLOYEE_A1 as EMPLOYEE
from tests.helpers import login, user_by_email


def test_each_request_is_one_line_with_the_user_id_and_the_duration(app, demo, client, caplog):
    assert login(client, EMPLOYEE).status_code == 302
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="app.requests"):
        response = client.get("/me/?search=" + EMPLOYEE)
    assert response.status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "app.requests"]
    assert len(lines) == 1
    with app.app_context():
        user_id = user_by_email(EMPLOYEE).id
    assert re.fullmatch(rf"GET /me/ 200 \d+\.\dms user={user_id}", lines[0]), lines[0]
    assert EMPLOYEE not in lines[0] and "search" not in lines[0]


def test_an_anonymous_request_is_logged_without_a_user(client, caplog):
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="app.requests"):
        client.get("/login")
    lines = [r.getMessage() for r in caplog.records if r.name == "app.requests"]
    assert lines and lines[0].endswith("user=-")


def test_a_production_server_writes_the_request_lines_to_stderr(tmp_path):
    # A fresh interpreter: in this one another app may have given Flask's logger its handler.
    env = dict(os.environ, APP_ENV="production", SECRET_KEY="s" * 40, AUDIT_KEY="a-production-key",
               PUBLIC_URL="https://performance.example.it",
               DATABASE_URL=f"sqlite:///{tmp_path / 'production.db'}")
    script = "from app import create_app; create_app().test_client().get('/healthz')"
    result = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2],
                            env=env, capture_output=True, text=True, timeout=120, check=True)
    assert re.search(r"GET /healthz \d{3} \d+\.\dms user=-", result.stderr), result.stderr
