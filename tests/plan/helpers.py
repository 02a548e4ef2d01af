"""Builders shared by the plan tests."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models.org import OrgUnit
from app.services.plan import operations as plan_service
from app.services.plan.adoption import Deliberation, approve_plan
from app.services.plan.fields import AreaData, IndicatorData, ObjectiveData
from tests.helpers import BOARD, csrf_token, user_by_email


def indicator_data(code: str, **overrides) -> IndicatorData:
    values = {"code": code, "name": f"Indicator {code}", "unit": "percent", "direction": ">=",
              "target": Decimal(90), "threshold": Decimal(70), "weight": Decimal(50),
              "type": "efficiency"}
    values.update(overrides)
    return IndicatorData(**values)


def build_small_plan(actor, cycle):
    """One area, one strategic objective (owned by A1) with two operational objectives:
    OP1 (sector A1.1, two indicators) and OP2 (sector A2.1, one indicator)."""
    units = {u.code: u for u in db.session.execute(select(OrgUnit)).scalars()}
    area = plan_service.save_area(actor, cycle, AreaData("AS1", "Area", weight=Decimal(100)))
    strategic = plan_service.save_objective(actor, cycle, ObjectiveData(
        level="strategic", code="OS1", title="Strategic", area_id=area.id,
        owner_unit_id=units["A1"].id, weight=Decimal(100)))
    op1 = plan_service.save_objective(actor, cycle, ObjectiveData(
        level="operational", code="OP1", title="First", parent_id=strategic.id,
        owner_unit_id=units["A1.1"].id, weight=Decimal(60)))
    op2 = plan_service.save_objective(actor, cycle, ObjectiveData(
        level="operational", code="OP2", title="Second", parent_id=strategic.id,
        owner_unit_id=units["A2.1"].id, weight=Decimal(40)))
    plan_service.save_indicator(actor, op1, indicator_data("OP1.1"))
    plan_service.save_indicator(actor, op1, indicator_data(
        "OP1.2", unit="days", direction="<=", target=Decimal(5), threshold=Decimal(9)))
    plan_service.save_indicator(actor, op2, indicator_data(
        "OP2.1", unit="date", direction="<=", target=date(2023, 11, 30), threshold=None,
        weight=Decimal(100)))
    db.session.commit()
    return cycle.plan


def approve(cycle, number="1", when=date(2023, 1, 20)):
    approve_plan(user_by_email(BOARD), cycle, Deliberation(number, when))
    db.session.commit()


def post_form(client, path: str, data: dict, token_page: str | None = None, **kwargs):
    """POST with a valid CSRF token; prefixed forms get '<prefix>-csrf_token'."""
    token = csrf_token(client, token_page or "/")
    payload = dict(data)
    prefixes = {k.split("-", 1)[0] for k in data if "-" in k}
    payload["csrf_token"] = token
    for prefix in prefixes:
        payload[f"{prefix}-csrf_token"] = token
    return client.post(path, data=payload, **kwargs)


def find_objective(plan, code: str):
    return next(o for o in plan.objectives if o.code == code)


def find_indicator(plan, code: str):
    return next(i for o in plan.objectives for i in o.indicators if i.code == code)
