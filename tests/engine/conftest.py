"""Fixtures of the engine tests: the demo administration with the test workflows
deployed, the people of the test scenario, and a movable clock."""
from __future__ import annotations

import pytest

from tests.engine.helpers import Clock, deploy_test_workflows
from tests.helpers import MANAGER, OTHER_MANAGER, SUPERVISOR_A1, SUPPORT, user_by_email

EMPLOYEE = "alessandro.russo@cciaa-demo.example"  # sector A1.1, area A1 (Marco Ferraris)
OTHER_EMPLOYEE = "silvia.colombo@cciaa-demo.example"  # same sector


@pytest.fixture
def deployed(demo):
    return deploy_test_workflows()


@pytest.fixture
def people(demo):
    class People:
        employee = user_by_email(EMPLOYEE)
        manager = user_by_email(MANAGER)
        other_manager = user_by_email(OTHER_MANAGER)
        supervisor = user_by_email(SUPERVISOR_A1)
        support = user_by_email(SUPPORT)
        other_employee = user_by_email(OTHER_EMPLOYEE)

    return People


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def english_interface(app):
    """These tests read the English interface (the catalogue's source language)."""
    previous = app.config["BABEL_DEFAULT_LOCALE"]
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    yield
    app.config["BABEL_DEFAULT_LOCALE"] = previous
