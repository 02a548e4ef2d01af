"""Shared fixtures. The schema is built by the Alembic migrations, as in production.

TEST_DATABASE_URL selects the database: unset means a temporary SQLite file; `make test`
runs the suite a second time on a throwaway PostgreSQL server."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db
from config import TestConfig
from tests.helpers import login
from tests.snapshots import cached, wipe

pytest_plugins = ["tests.browser_fixtures", "tests.smtp_server"]

OUTPUT_DIR = Path(os.environ.get("TEST_OUTPUT_DIR", Path(__file__).resolve().parent.parent / "test-output"))


ONE_DATABASE = pytest.mark.skip(
    reason="browser and language checks run on SQLite only: what a page shows and which "
           "language it speaks do not depend on the database, which every service and HTTP "
           "test covers on both")


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, leave out the tests that drive Chromium (the `page` fixture) and
    the language sweep: they read pages, and `make test` runs them on SQLite beside."""
    if not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        return
    for item in items:
        if "page" in item.fixturenames or "languages" in item.path.parts:
            item.add_marker(ONE_DATABASE)


def _database_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    handle, path = tempfile.mkstemp(prefix="perf-test-", suffix=".db")
    os.close(handle)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def app():
    url = _database_url()
    anchors = Path(tempfile.mkdtemp(prefix="perf-anchors-")) / "audit-anchors.jsonl"

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        AUDIT_ANCHOR_PATH = str(anchors)

    application = create_app(Config)
    application.test_client_class = IsolatedClient  # for every client, whichever test makes it
    with application.app_context():
        if url.startswith("postgresql"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
    yield application
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def is_postgres(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


@pytest.fixture(autouse=True)
def app_context(app):
    """Every test runs in an application context on an empty database."""
    with app.app_context():
        yield
        db.session.rollback()
        wipe()
        db.session.remove()
        Path(app.config["AUDIT_ANCHOR_PATH"]).unlink(missing_ok=True)


@pytest.fixture
def demo(app_context):
    """The demo administration, loaded as `flask demo load` does."""
    from app.demo import org

    return cached("demo", lambda: org.load("demo"))


class IsolatedClient(FlaskClient):
    """Each request runs in its own application context, as in production: its own `g`
    and its own database session, never the test's. Tests see what a request committed
    by querying again (call db.session.expire_all() for objects already loaded)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def signed_in(client):
    """Sign a client in as the given e-mail; returns the client."""

    def _sign_in(email: str, password: str = "demo"):
        response = login(client, email, password)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return _sign_in
