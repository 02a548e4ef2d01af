"""A second, empty database beside the suite's own, for restoring into: always a temporary
SQLite file; on the PostgreSQL run also a fresh database on the same server."""
from __future__ import annotations

import base64
import os
import re
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text, type_coerce

from app import create_app
from app.extensions import db
from app.services.backup.archive import encode, storage_type
from config import TestConfig
from tests.conftest import IsolatedClient

# The demo's cycle 2023 run to its end, as `flask demo run-cycle` runs it: built once per
# session and written back for every test asking for it (the cycle tests ask too).
from tests.cycle.conftest import all_workflows, demo_cycle_run, demo_plan  # noqa: F401
from tests.helpers import login

_SVG_URI = re.compile(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)")
_RANDOM_ID = re.compile(r"\b[mp][0-9a-f]{10}\b")
_CSRF = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+|(name="csrf-token" content=")[^"]+')
_NONCE = re.compile(r' nonce="[^"]+"')  # fresh on every response (Content-Security-Policy)


@contextmanager
def other_database(kind: str, server_url: str | None = None):
    """An application on a new, migrated, empty database of `kind`; yields the app."""
    if kind == "sqlite":
        descriptor, name = tempfile.mkstemp(prefix="perf-restore-", suffix=".db")
        os.close(descriptor)
        url, cleanup = f"sqlite:///{name}", lambda: Path(name).unlink()
    else:
        name = f"restore_{uuid.uuid4().hex[:12]}"
        admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = server_url.rsplit("/", 1)[0] + f"/{name}"

        def cleanup():
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    application = create_app(Config)
    application.test_client_class = IsolatedClient
    try:
        with application.app_context():
            upgrade()
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        cleanup()


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table, in primary-key order, as stored."""
    tables = {}
    for table in db.metadata.sorted_tables:
        kinds = [storage_type(c) for c in table.columns]
        rows = db.session.execute(select(
            *[type_coerce(c, k).label(c.name) for c, k in zip(table.columns, kinds)]
        ).order_by(*table.primary_key.columns)).all()
        tables[table.name] = [
            {c.name: encode(k, v) for c, k, v in zip(table.columns, kinds, row)} for row in rows]
    db.session.rollback()
    return tables


def pdf_text(pdf: bytes, folder: Path) -> str:
    path = folder / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def _chart(match) -> str:
    """A chart's SVG with matplotlib's random marker and clip-path ids made constant."""
    return _RANDOM_ID.sub("id", base64.b64decode(match.group(1)).decode("utf-8"))


def key_pages(application, email: str, year: int, folder: Path) -> dict[str, str]:
    """The dashboard, the transparency page and the Report's text, CSRF tokens removed."""
    client = application.test_client()
    assert login(client, email).status_code == 302
    pages = {}
    for path in (f"/dashboard/{year}", "/trasparenza/"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = _NONCE.sub("", _CSRF.sub(r"\1\2", response.get_data(as_text=True)))
        pages[path] = _SVG_URI.sub(_chart, html)
    response = client.get(f"/trasparenza/{year}/relazione.pdf")
    assert response.status_code == 200
    pages["report"] = pdf_text(response.data, folder)
    return pages
