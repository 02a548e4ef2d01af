"""Fixtures of the people plans: the demo administration with an empty 2022 cycle, the
adoption workflow deployed, and the demo's staffing plan (Turin's figures)."""
from __future__ import annotations

from pathlib import Path

import pytest

from app import engine
from app.extensions import db
from tests.helpers import SUPPORT, user_by_email

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"


@pytest.fixture
def cycle(demo):
    from app.services.plan.cycles import create_cycle

    row = create_cycle(user_by_email(SUPPORT), demo.id, 2022)
    db.session.commit()
    return row


@pytest.fixture
def adoption_deployed(app_context):
    path = WORKFLOWS / "people_plan_adoption.bpmn"
    engine.deploy({path.name: path.read_bytes()})
    db.session.commit()


@pytest.fixture
def turin(cycle):
    """Turin's staffing plan 2022-2024 as the demo loads it, still a draft."""
    from app.demo import people_plan as demo_people

    plan = demo_people.load_staffing(user_by_email(SUPPORT), cycle)
    db.session.commit()
    return plan


@pytest.fixture
def italian(app):
    previous = app.config["BABEL_DEFAULT_LOCALE"]
    app.config["BABEL_DEFAULT_LOCALE"] = "it"
    yield
    app.config["BABEL_DEFAULT_LOCALE"] = previous


@pytest.fixture
def training_deployed(app_context):
    path = WORKFLOWS / "training_due.bpmn"
    engine.deploy({path.name: path.read_bytes()})
    db.session.commit()
