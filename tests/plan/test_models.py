"""The plan's tables: values of every kind stored exactly, the cycle's calendar, the
constraints that back the services' checks."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models.plan import Cycle, Indicator, default_calendar
from tests.plan.helpers import find_indicator, find_objective, indicator_data


def test_cycle_calendar_follows_the_year(demo):
    cycle = Cycle(administration_id=demo.id, year=2024)
    db.session.add(cycle)
    db.session.commit()
    db.session.expire_all()
    assert cycle.plan_due == date(2024, 1, 31)
    assert cycle.strategic_objectives_due == date(2023, 12, 31)
    assert cycle.assignment_due == date(2024, 2, 29)  # leap year
    assert cycle.report_due == date(2025, 6, 30)
    assert default_calendar(2023)["assignment_due"] == date(2023, 2, 28)


@pytest.mark.parametrize("unit,value", [
    ("percent", Decimal("99.83")), ("eur", Decimal("7176385.12")), ("number", Decimal(-2)),
    ("date", date(2022, 11, 30)), ("boolean", True), ("boolean", False),
])
def test_values_of_every_kind_round_trip(small_plan, unit, value):
    indicator = find_indicator(small_plan, "OP1.1")
    indicator.unit, indicator.actual, indicator.target = unit, value, value
    indicator.threshold = None
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Indicator, indicator.id)
    assert stored.actual == value and type(stored.actual) is type(value)
    assert stored.target == value


def test_neutralised_needs_a_reason_in_the_database_too(small_plan):
    indicator = find_indicator(small_plan, "OP1.1")
    indicator.neutralised = True
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_indicator_codes_are_unique_per_plan(small_plan):
    objective = find_objective(small_plan, "OP1")
    data = indicator_data("OP1.1")
    db.session.add(Indicator(plan_id=small_plan.id, objective=objective, code=data.code,
                             name="dup", target=Decimal(1), weight=Decimal(1)))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
