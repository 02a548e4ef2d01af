"""The home page per role: everyone sees what needs them and the cycle's timeline from
the engine's state; a manager their team's progress, staff their own objectives and
evaluation, the cycle's officers its open steps, the Board its deliberations, the Admin
undelivered mail; nobody sees another role's section."""
from __future__ import annotations

import re
from random import Random

import pytest

from app.demo import cycle as demo_cycle
from app.services.reports.home import timeline
from tests.cycle.helpers import sign_in, start_cycle
from tests.helpers import ADMIN, BOARD, EMPLOYEE_A1, MANAGER, OIV, SG, SUPPORT

SECTIONS = ("home-team", "home-own", "home-open-steps", "home-board", "home-admin")
EXPECTED = {  # who sees which role section
    MANAGER: {"home-team", "home-own"},
    EMPLOYEE_A1: {"home-own"},
    SUPPORT: {"home-open-steps", "home-own"},
    SG: {"home-open-steps", "home-own"},
    OIV: {"home-open-steps"},
    BOARD: {"home-board", "home-own"},  # the demo's Board clerk and Admin are staff
    ADMIN: {"home-admin", "home-own"},
}


def _sections(html: str) -> set[str]:
    return {s for s in SECTIONS if f'data-testid="{s}"' in html}


def test_a_started_cycle_shows_its_first_step_under_way_and_the_rest_to_come(
        master_only, demo_plan):
    cycle, _master = start_cycle(demo_plan)
    steps = timeline(cycle)
    assert steps[0].bpmn_id == "draft_plan" and steps[0].state == "current"
    assert {s.state for s in steps[1:]} == {"next"}
    assert [s.bpmn_id for s in steps][:3] == ["draft_plan", "sg_review", "board_plan"]


def test_a_closed_cycle_has_every_step_done_or_passed_by(master_only, no_children, demo_plan):
    cycle, master = start_cycle(demo_plan)
    demo_cycle.drive(cycle, master, Random(1), demo_cycle.Scenario(), echo=lambda _m: None)
    states = {s.bpmn_id: s.state for s in timeline(cycle)}
    assert set(states.values()) <= {"done", "skipped"}
    assert states["draft_plan"] == states["publish"] == "done"


@pytest.mark.parametrize("email", list(EXPECTED))
def test_each_role_sees_its_own_sections_and_no_other(client, master_only, demo_plan, email):
    start_cycle(demo_plan)
    sign_in(client, email)
    html = client.get("/").get_data(as_text=True)
    assert _sections(html) == EXPECTED[email]
    assert 'aria-current="step"' in html  # the timeline, for everyone


def test_the_support_unit_sees_the_pooled_first_step_and_its_link(client, master_only, demo_plan):
    cycle, _master = start_cycle(demo_plan)
    sign_in(client, SUPPORT)
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'href="/tasks\?view=pool">[^<]*\(1\)', html)
    assert f'href="/dashboard/{cycle.year}"' in html


def test_the_managers_team_counts_link_to_the_team_page(client, master_only, demo_plan):
    cycle, _master = start_cycle(demo_plan)
    sign_in(client, MANAGER)
    html = client.get("/").get_data(as_text=True)
    assert f'href="/team/{cycle.year}"' in html
    assert "No objectives: " in html
