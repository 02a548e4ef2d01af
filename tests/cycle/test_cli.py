"""`flask cycle start` and `flask demo run-cycle` on the demo database."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from app.extensions import db
from app.formats import italian as formatting
from app.models.engine import ProcessInstance
from app.models.org import Role, User, UserRole
from app.models.plan import Cycle
from app.services.plan.individual import objectives_of


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


def test_demo_run_cycle_prints_the_summary(demo_cycle_run):
    out = demo_cycle_run
    assert "Cycle 2023 started (plan copied from 2022)" in out
    assert "Cycle 2023: closed" in out
    assert re.search(r"Organisation achievement: \d+,\d{2}%", out)
    assert len(re.findall(r"  area A\d ", out)) == 4
    bands = {b: int(n) for b, n in re.findall(r"  (low|medium|high): (\d+) ", out)}
    assert sum(bands.values()) > 50
    fund = _demo_fund()
    assert f"Total fund: {formatting.number(fund)} EUR" in out
    assert fund < Decimal("813292.69") * 70 / 200  # Turin's pools scaled to about 60 people
    distributed = re.search(r"Distributed: ([\d.,]+) EUR", out).group(1)
    remainder = re.search(r"Remainder: ([\d.,]+) EUR", out).group(1)

    def euro(text):
        return Decimal(text.replace(".", "").replace(",", "."))

    assert euro(distributed) + euro(remainder) == fund
    cycle = db.session.execute(select(Cycle).where(Cycle.year == 2023)).scalar_one()
    for person in db.session.execute(select(User).where(User.is_demo)).scalars():
        linked = [o.objective_id for o in objectives_of(cycle, person) if o.objective_id]
        assert len(linked) == len(set(linked)), person.email  # no objective twice


def _demo_fund() -> Decimal:
    """Turin's two pools x the demo's people in the pools / Turin's 200."""
    people = db.session.execute(select(func.count()).select_from(UserRole).join(User).where(
        User.is_demo, UserRole.role == Role.EMPLOYEE.value)).scalar_one()
    return ((Decimal("734312.44") * people / 200).quantize(Decimal("0.01"), ROUND_HALF_UP)
            + (Decimal("78980.25") * people / 200).quantize(Decimal("0.01"), ROUND_HALF_UP))


def test_demo_run_cycle_without_deployed_workflows_says_what_to_run(app, demo_plan):
    result = app.test_cli_runner().invoke(args=["demo", "run-cycle"])
    assert result.exit_code != 0
    assert "flask engine deploy" in result.output and "performance_cycle" in result.output
    assert "Traceback" not in result.output
    assert db.session.execute(select(Cycle).where(Cycle.year == 2023)).scalar_one_or_none() \
        is None  # nothing started
