"""Fixtures of the smart-working tests: the demo administration with the agreement's
diagram deployed and a small process map, the people of the scenario, a movable clock,
the English interface."""
from __future__ import annotations

from pathlib import Path

import pytest

from app import engine
from app.extensions import db
from tests.engine.helpers import Clock
from tests.helpers import MANAGER, OTHER_MANAGER, SG, SUPERVISOR_A1, SUPPORT, user_by_email
from tests.smart_working.helpers import process_map

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def deployed(demo, people):
    """The agreement's workflow, and the process map where the employee's work is
    remotable and the colleague's is not."""
    sources = engine.read_directory(ROOT / "workflows")
    engine.deploy({"smart_working_agreement.bpmn": sources["smart_working_agreement.bpmn"]})
    db.session.commit()
    return process_map(people)


@pytest.fixture
def people(demo):
    class People:
        employee = user_by_email("alessandro.russo@cciaa-demo.example")  # sector A1.1
        colleague = user_by_email("silvia.colombo@cciaa-demo.example")  # same sector
        supervisor = user_by_email(SUPERVISOR_A1)  # heads A1.1
        manager = user_by_email(MANAGER)  # heads area A1: the head who decides
        other_manager = user_by_email(OTHER_MANAGER)  # heads area A2
        support = user_by_email(SUPPORT)
        sg = user_by_email(SG)

    return People


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture(autouse=True)
def english_interface(app):
    """These tests read the English interface (the catalogue's source language)."""
    previous = app.config["BABEL_DEFAULT_LOCALE"]
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    yield
    app.config["BABEL_DEFAULT_LOCALE"] = previous
