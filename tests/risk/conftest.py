"""Fixtures of the risk section's tests: the demo administration with its plan 2022 and,
for the cycle's tests, the demo's risk section (a year in progress)."""
from __future__ import annotations

import pytest

from app.extensions import db


@pytest.fixture
def demo_plan(demo):
    from app.demo import plan as demo_plan_module

    cycle = demo_plan_module.load(demo)
    db.session.commit()
    return cycle


@pytest.fixture
def risk_demo(demo_plan):
    """The demo's risk section: adopted, the mid-year reports asked, two of four sent."""
    from app.demo import risk

    risk.load(demo_plan)
    db.session.commit()
    return demo_plan


@pytest.fixture(autouse=True)
def english_interface(app):
    """These tests read the English interface (the catalogue's source language)."""
    previous = app.config["BABEL_DEFAULT_LOCALE"]
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    yield
    app.config["BABEL_DEFAULT_LOCALE"] = previous
