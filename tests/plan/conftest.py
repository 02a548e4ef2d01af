"""Fixtures of the plan tests: messages in English, a cycle with a small plan, the
demo plan, and HTTP clients signed in (in English) as a given demo user."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.extensions import db
from app.services.plan.cycles import create_cycle
from tests.helpers import SUPPORT, csrf_token, login, user_by_email
from tests.plan.helpers import build_small_plan
from tests.snapshots import cached


@pytest.fixture(autouse=True)
def english(app_context):
    """Service messages in English whatever the catalogue says (the default is Italian)."""
    with force_locale("en"):
        yield


@pytest.fixture
def support(demo):
    return user_by_email(SUPPORT)


@pytest.fixture
def cycle(demo, support):
    cycle = create_cycle(support, demo.id, 2023)
    db.session.commit()
    return cycle


@pytest.fixture
def small_plan(cycle, support):
    return build_small_plan(support, cycle)


@pytest.fixture
def demo_plan(demo):
    from app.demo import plan as demo_plan_module

    return cached("demo_plan", lambda: demo_plan_module.load(demo))


@pytest.fixture
def browse(app, client):
    """A new client signed in as `email`, with the interface in English."""

    def _as(email: str):
        fresh = app.test_client()
        assert login(fresh, email).status_code == 302
        token = csrf_token(fresh, "/")
        fresh.post("/language/en", data={"csrf_token": token, "next": "/"})
        return fresh

    return _as
