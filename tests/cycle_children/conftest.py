"""Fixtures of the child processes' tests: the demo administration with its 2022 plan,
the three diagrams of workflows/ (and a test master waiting for their end messages)
deployed, the people of the scenario, a movable clock, English messages."""
from __future__ import annotations

from pathlib import Path

import pytest
from flask_babel import force_locale

from app import engine
from app.extensions import db
from tests.engine.helpers import Clock
from tests.helpers import BOARD, MANAGER, SG, SUPERVISOR_A1, SUPPORT, user_by_email
from tests.snapshots import cached

ROOT = Path(__file__).resolve().parents[2]
CHILDREN = ("objective_assignment.bpmn", "monitoring.bpmn", "individual_evaluation.bpmn",
            "individual_check.bpmn", "monitoring_round.bpmn")


@pytest.fixture(autouse=True)
def english(app_context):
    with force_locale("en"):
        yield


@pytest.fixture
def cycle(demo):
    from app.demo import plan as demo_plan

    return cached("demo_plan", lambda: demo_plan.load(demo))


@pytest.fixture
def deployed(demo):
    sources = {name: content for name, content in engine.read_directory(ROOT / "workflows").items()
               if name in CHILDREN}
    sources.update(engine.read_directory(Path(__file__).parent / "workflows"))
    results = engine.deploy(sources)
    db.session.commit()
    return results


@pytest.fixture
def people(demo):
    class People:
        employee = user_by_email("alessandro.russo@cciaa-demo.example")  # sector A1.1
        other_employee = user_by_email("silvia.colombo@cciaa-demo.example")  # same sector
        supervisor = user_by_email(SUPERVISOR_A1)  # heads A1.1: the employee's evaluator
        manager = user_by_email(MANAGER)  # heads A1: the supervisor's evaluator
        support = user_by_email(SUPPORT)
        sg = user_by_email(SG)
        board = user_by_email(BOARD)

    return People


@pytest.fixture
def master(deployed, people):
    instance = engine.start("children_master", business_key="test-cycle", actor=people.support)
    db.session.commit()
    return instance


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
