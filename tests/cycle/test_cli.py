"""`flask cycle start` and `flask demo run-cycle` on the demo database."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models.engine import ProcessInstance
from app.models.plan import Cycle


def test_cycle_start_creates_the_cycle_and_its_instance(app, master_only):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cycle", "start", "2024"])
    assert result.exit_code == 0, result.output
    cycle = db.session.execute(select(Cycle).where(Cycle.year == 2024)).scalar_one()
    assert cycle.status == "running" and cycle.plan.status == "draft"
    instance = db.session.execute(select(ProcessInstance)).scalar_one()
    assert instance.business_key == f"cycle:{cycle.id}" and instance.cycle_id == cycle.id
    again = runner.invoke(args=["cycle", "start", "2024"])
    assert again.exit_code != 0 and "already running" in again.output


def test_demo_run_cycle_prints_the_summary(app, all_workflows):
    result = app.test_cli_runner().invoke(args=["demo", "run-cycle"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Cycle 2023 started (plan copied from 2022)" in out
    assert "Cycle 2023: closed" in out
    assert re.search(r"Organisation achievement: \d+,\d{2}%", out)
    assert len(re.findall(r"  area A\d ", out)) == 4
    bands = {b: int(n) for b, n in re.findall(r"  (low|medium|high): (\d+) ", out)}
    assert sum(bands.values()) > 50
    assert "Total fund: 813.292,69 EUR" in out
    distributed = re.search(r"Distributed: ([\d.,]+) EUR", out).group(1)
    remainder = re.search(r"Remainder: ([\d.,]+) EUR", out).group(1)

    def euro(text):
        from decimal import Decimal
        return Decimal(text.replace(".", "").replace(",", "."))

    assert euro(distributed) + euro(remainder) == euro("813.292,69")


def test_demo_run_cycle_without_deployed_workflows_says_what_to_run(app, demo_plan):
    result = app.test_cli_runner().invoke(args=["demo", "run-cycle"])
    assert result.exit_code != 0
    assert "flask engine deploy" in result.output and "performance_cycle" in result.output
    assert "Traceback" not in result.output
    assert db.session.execute(select(Cycle).where(Cycle.year == 2023)).scalar_one_or_none() \
        is None  # nothing started
