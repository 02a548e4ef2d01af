"""Fixtures of the cycle tests: the demo administration with its measured plan 2022,
the workflows of workflows/ deployed, and the demo's cycle 2023 run to its end."""
from __future__ import annotations

from pathlib import Path

import pytest

from app import engine
from app.extensions import db
from tests.snapshots import cached

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"


@pytest.fixture
def demo_plan(demo):
    from app.demo import plan as demo_plan_module

    return cached("demo_plan", lambda: demo_plan_module.load(demo))


@pytest.fixture
def master_only(demo_plan):
    """Only the master process deployed (its children are stubbed by the test)."""
    path = WORKFLOWS / "performance_cycle.bpmn"
    engine.deploy({path.name: path.read_bytes()})
    db.session.commit()


@pytest.fixture
def all_workflows(demo_plan):
    cached("all_workflows", lambda: engine.deploy_directory(WORKFLOWS) and None)


@pytest.fixture
def no_children(monkeypatch):
    """The children start nobody: each start function sends its end message at once."""
    from app.services.cycle import children as cycle_children

    for what, message in (("assignments", "assignments_done"), ("monitoring", "monitoring_done"),
                          ("evaluations", "evaluations_done")):
        monkeypatch.setattr(cycle_children, f"start_{what}",
                            lambda actor, cycle, parent, *_round, m=message:
                            cycle_children._none_started(m, parent, actor))


@pytest.fixture(autouse=True)
def english_interface(app):
    """These tests read the English interface (the catalogue's source language)."""
    previous = app.config["BABEL_DEFAULT_LOCALE"]
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    yield
    app.config["BABEL_DEFAULT_LOCALE"] = previous


_RUN_CYCLE_OUTPUT: dict[str, str] = {}


@pytest.fixture
def demo_cycle_run(app, all_workflows) -> str:
    """`flask demo run-cycle` over the demo (the cycle 2023, closed): what it printed. The
    whole cycle takes half a minute, so it runs once and its rows are written back for
    every later test that asks for it."""
    def run() -> None:
        result = app.test_cli_runner().invoke(args=["demo", "run-cycle"])
        assert result.exit_code == 0, result.output
        _RUN_CYCLE_OUTPUT["output"] = result.output

    cached("demo_cycle_run", run)
    return _RUN_CYCLE_OUTPUT["output"]
