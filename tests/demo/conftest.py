"""The living demo, loaded once for this folder by `flask demo load` (it takes about a
minute), and read by every test here: unlike the rest of the suite, the tests
of this folder share one database and must not change it."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from app.extensions import db
from tests.snapshots import wipe


@dataclass(frozen=True)
class Living:
    today: date
    seconds: float


@pytest.fixture(scope="package")
def living_demo(app):
    with app.app_context():
        today = date.today()
        started = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
        assert "Demo administration loaded in" in result.output
        loaded = Living(today, time.perf_counter() - started)
        db.session.remove()
    yield loaded
    with app.app_context():
        wipe()
        db.session.remove()
        Path(app.config["AUDIT_ANCHOR_PATH"]).unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def app_context(app):
    """Each test in an application context of its own, on the shared living demo (the
    suite's own app_context empties the database after every test)."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
