"""The app server readied before it forks its workers (app/warmup.py, gunicorn.conf.py):
everything a first request would load is loaded, no database connection is left to be
shared by the workers, and gunicorn started as the README says serves from warm workers
that sign people in and show their inbox."""
from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from flask_babel import get_domain
from sqlalchemy import func, select

from app import engine
from app.engine import serializer
from app.extensions import db
from app.models.engine import ProcessDefinition
from app.warmup import warm_up
from tests.helpers import MANAGER

ROOT = Path(__file__).resolve().parents[2]


def test_warming_up_loads_what_first_requests_would_and_keeps_no_connection(app, demo):
    engine.deploy_directory(ROOT / "workflows")
    db.session.commit()
    processes = db.session.scalar(select(func.count(func.distinct(ProcessDefinition.process_id))))
    serializer._specs.cache_clear()
    get_domain().cache.clear()

    readied = warm_up(app)

    templates = [n for n in app.jinja_env.list_templates() if n.endswith((".html", ".txt"))]
    assert readied["templates"] == len(templates) > 100
    assert readied["modules"] > 200
    assert readied["languages"] == 2
    assert {locale for locale, _domain in get_domain().cache} == {"it", "en"}
    assert readied["specs"] == processes > 0
    assert serializer._specs.cache_info().currsize == processes
    for database in db.engines.values():  # a connection made before fork would be shared
        assert database.pool.checkedout() == 0 and database.pool.checkedin() == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_warms_up_once_in_its_master_and_its_workers_serve(app, demo, tmp_path):
    engine.deploy_directory(ROOT / "workflows")
    db.session.commit()  # the demo, for the server's processes to read
    port = _free_port()
    env = {**os.environ, "APP_ENV": "development",
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "AUDIT_ANCHOR_PATH": app.config["AUDIT_ANCHOR_PATH"]}
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
             "--graceful-timeout", "2", "app:create_app()"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base, server, log_path)
        # Four sign-ins, each followed by the inbox, wherever gunicorn sends them.
        for _ in range(4):
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            page = opener.open(f"{base}/login").read().decode()
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
            body = urllib.parse.urlencode({"email": MANAGER, "password": "demo",
                                           "csrf_token": token}).encode()
            assert opener.open(f"{base}/login", body).geturl() != f"{base}/login"
            inbox = opener.open(f"{base}/tasks").read().decode()
            assert '<h1 class="h2">Attività</h1>' in inbox, inbox
    finally:
        server.terminate()
        server.wait(timeout=20)
    log = log_path.read_text(encoding="utf-8")
    assert log.count("warmed up before forking the workers") == 1, log
    assert re.search(r"'specs': [1-9]", log), log
    assert "Traceback" not in log, log
    assert len(set(re.findall(r"Booting worker with pid: (\d+)", log))) == 2, log


def _wait_until_serving(base: str, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(log_path.read_text(encoding="utf-8")) from None
            time.sleep(0.2)
