"""The plan's people page at scale: one page at a time by name, searched and filtered by
unit in the database, each person with the count and total weight of their objectives;
who sees whom is unchanged (an employee sees themselves and nobody else); the queries of
a page do not grow with the number of people."""
from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models.org import OrgUnit, User
from app.web.plan.views import number
from tests.helpers import EMPLOYEE_A1, SUPPORT, QueryCounter, add_people, user_by_email


def _users(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-user="(\d+)"', html)]


def _everyone() -> list[int]:
    return list(db.session.execute(
        select(User.id).where(User.active, User.unit_id.is_not(None))
        .order_by(User.last_name, User.first_name, User.id)).scalars())


def test_people_are_listed_one_page_at_a_time_with_their_objectives(demo_plan, browse):
    add_people("A1.1", 70, demo_plan)
    everyone = _everyone()
    client = browse(SUPPORT)
    first = client.get("/plan/2022/people").get_data(as_text=True)
    assert _users(first) == everyone[:50]
    assert _users(client.get("/plan/2022/people?page=2").get_data(as_text=True)) \
        == everyone[50:100]
    last = client.get("/plan/2022/people?page=999").get_data(as_text=True)
    assert _users(last) == everyone[(len(everyone) - 1) // 50 * 50:]
    assert _users(client.get("/plan/2022/people?page=x").get_data(as_text=True)) == everyone[:50]
    searched = client.get("/plan/2022/people?q=persona 006").get_data(as_text=True)
    assert len(_users(searched)) == 10
    assert f">{number(Decimal(100))}%<" in searched  # two objectives of 50 each


def test_people_filter_by_unit_with_the_units_below(demo_plan, browse):
    a1 = db.session.execute(select(OrgUnit).where(OrgUnit.code == "A1")).scalar_one()
    units = {a1.id, *(c.id for c in a1.children)}
    client = browse(SUPPORT)
    html = client.get(f"/plan/2022/people?unit={a1.id}&per_page=200").get_data(as_text=True)
    assert set(_users(html)) == set(db.session.execute(select(User.id).where(
        User.active, User.unit_id.in_(units))).scalars())


def test_an_employee_still_sees_only_themselves(demo_plan, browse):
    add_people("A1.1", 5, demo_plan)
    client = browse(EMPLOYEE_A1)
    html = client.get("/plan/2022/people?per_page=200").get_data(as_text=True)
    assert _users(html) == [user_by_email(EMPLOYEE_A1).id]


def test_people_page_queries_do_not_grow_with_the_people(demo_plan, client, signed_in):
    signed_in(SUPPORT)
    client.get("/plan/2022/people")
    add_people("A1.1", 60, demo_plan)
    with QueryCounter() as few:
        client.get("/plan/2022/people?page=2")
    add_people("A1.1", 150, demo_plan, start=60)
    with QueryCounter() as many:
        client.get("/plan/2022/people?page=2")
    assert many.count == few.count


def test_above_the_limit_the_unit_filter_is_a_search(demo_plan, browse, monkeypatch):
    from app.services.org import unit_search

    monkeypatch.setattr(unit_search, "UNIT_LIST_LIMIT", 2)
    a1 = db.session.execute(select(OrgUnit).where(OrgUnit.code == "A1")).scalar_one()
    units = {a1.id, *(c.id for c in a1.children)}
    client = browse(SUPPORT)
    html = client.get("/plan/2022/people?unit_q=A1&per_page=200").get_data(as_text=True)
    assert 'name="unit_q"' in html and 'value="A1"' in html
    assert set(_users(html)) == set(db.session.execute(select(User.id).where(
        User.active, User.unit_id.in_(units))).scalars())
    by_id = client.get(f"/plan/2022/people?unit={a1.id}").get_data(as_text=True)
    assert 'name="unit_q" class="form-control" value="A1"' in by_id
