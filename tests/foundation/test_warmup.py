"""The app server readied before it forks its workers (app/warmup.py, gunicorn.conf.py):
everything a first request would load is loaded, no database connection is left to be
shared by the workers, and gunicorn started as the README says serves from warm workers
that sign people in and show their inbox."""
from __future__ import annotations

import http.cookiejar
import re
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import flask_babel
from flask_babel import get_domain, get_locale
from sqlalchemy import func, select

from app import diagram_texts, engine, warmup
from app.engine import serializer
from app.extensions import db
from app.models.engine import ProcessDefinition
from app.services.org import passwords
from app.warmup import LIBRARIES, warm_up
from bench.servers import Installation
from tests.helpers import MANAGER

ROOT = Path(__file__).resolve().parents[2]


def test_warming_up_loads_what_first_requests_would_and_keeps_no_connection(app, demo,
                                                                          monkeypatch):
    engine.deploy_directory(ROOT / "workflows")
    db.session.commit()
    processes = db.session.scalar(select(func.count(func.distinct(ProcessDefinition.process_id))))
    serializer._specs.cache_clear()
    get_domain().cache.clear()
    diagram_texts._names.cache_clear()
    passwords._dummy_hash.cache_clear()
    dated = []  # the language of each date formatted (Babel reads its data at the first)

    def format_datetime(value, format):
        dated.append(str(get_locale()))
        return flask_babel.format_datetime(value, format)

    monkeypatch.setattr(warmup, "format_datetime", format_datetime)

    readied = warm_up(app)

    templates = [n for n in app.jinja_env.list_templates() if n.endswith((".html", ".txt"))]
    assert readied["templates"] == len(templates) > 100
    assert readied["modules"] > 200
    assert readied["languages"] == 2
    assert {locale for locale, _domain in get_domain().cache} == {"it", "en"}
    assert readied["specs"] == processes > 0
    assert serializer._specs.cache_info().currsize == processes
    assert set(LIBRARIES) <= set(sys.modules)  # imported on demand elsewhere, here at once
    assert readied["step names"] > 10 and diagram_texts._names.cache_info().currsize == 2
    assert sorted(dated) == ["en", "it"]
    assert passwords._dummy_hash.cache_info().currsize == 1  # and a first argon2 check
    for database in db.engines.values():  # a connection made before fork would be shared
        assert database.pool.checkedout() == 0 and database.pool.checkedin() == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_process_making_the_app_does_not_import_the_libraries_of_charts_and_workbooks():
    """A CLI command or a worker starts without matplotlib and openpyxl (about 1.2 s of a
    core together); a chart or a workbook imports them when it is made."""
    probe = ("import sys; from app import create_app; create_app(); "
             "from app.services.reports import charts, excel; "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'openpyxl'})); "
             "charts.bars(['a'], [1]); excel.new_workbook(); "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'openpyxl'}))")
    shown = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split("\n")
    assert shown[:2] == ["[]", "['matplotlib', 'openpyxl']"]


def test_gunicorn_warms_up_once_in_its_master_and_its_workers_serve(app, demo):
    engine.deploy_directory(ROOT / "workflows")
    db.session.commit()  # the demo, for the server's processes to read
    # Started as the load and cluster benches start it: production settings, from the root.
    installation = Installation(app.config["SQLALCHEMY_DATABASE_URI"])
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    installation.app_server(port, 2)
    try:
        installation.wait_until_serving(port)
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
        installation.stop()
    log = (installation.folder / f"gunicorn-{port}.log").read_text(encoding="utf-8")
    assert log.count("warmed up before forking the workers") == 1, log
    assert re.search(r"'specs': [1-9]", log), log
    # Stopping is SIGINT, at once: a worker may be cut off in a write then, which is not
    # what this test looks at. Nothing may fail while serving.
    assert "Traceback" not in log.split("Handling signal")[0], log
    assert len(set(re.findall(r"Booting worker with pid: (\d+)", log))) == 2, log
