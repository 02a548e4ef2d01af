"""The users page and the org chart at scale: users one page at a time with search,
unit, role and status filters; bad page numbers give the first or last page; the number
of queries of either page does not grow with the number of people; the org chart counts
each unit's members without loading them."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.models.org import OrgUnit, User, UserRole
from tests.helpers import ADMIN, SUPPORT, QueryCounter, add_people

EMPLOYEE = "alessandro.russo@cciaa-demo.example"


def _emails(html: str) -> list[str]:
    return re.findall(r"<td>([^<@]+@[^<]+)</td>", html)


def _by_name() -> list[str]:
    return list(db.session.execute(
        select(User.email).order_by(User.last_name, User.first_name, User.id)).scalars())


def test_users_are_listed_one_page_at_a_time(client, demo, signed_in):
    add_people("A1.1", 80)
    everyone = _by_name()
    signed_in(SUPPORT)
    first = client.get("/admin/users").get_data(as_text=True)
    assert _emails(first) == everyone[:50]
    assert f"{len(everyone)} utenti" in first
    assert _emails(client.get("/admin/users?page=2").get_data(as_text=True)) == everyone[50:100]
    assert _emails(client.get("/admin/users?page=2&per_page=7").get_data(as_text=True)) \
        == everyone[7:14]


def test_bad_user_page_numbers_give_the_first_or_last_page(client, demo, signed_in):
    add_people("A1.1", 80)
    everyone = _by_name()
    signed_in(ADMIN)
    for bad in ("abc", "-1", "0", "1.5"):
        response = client.get(f"/admin/users?page={bad}")
        assert response.status_code == 200
        assert _emails(response.get_data(as_text=True)) == everyone[:50]
    last = client.get("/admin/users?page=100000&per_page=100000").get_data(as_text=True)
    assert _emails(last) == everyone[:200]  # the page size is bounded to 200: one page


def test_users_filter_by_text_unit_role_and_status(client, demo, signed_in):
    extra = add_people("A1.1", 12)
    db.session.get(User, extra[0]).active = False
    db.session.commit()
    signed_in(SUPPORT)
    assert len(_emails(client.get("/admin/users?q=PERSONA").get_data(as_text=True))) == 12
    assert _emails(client.get("/admin/users?q=list.example&status=inactive")
                   .get_data(as_text=True)) == ["extra0000@list.example"]
    a1 = db.session.execute(select(OrgUnit).where(OrgUnit.code == "A1")).scalar_one()
    in_area = set(db.session.execute(select(User.email).where(
        User.unit_id.in_([a1.id, *(c.id for c in a1.children)]))).scalars())
    html = client.get(f"/admin/users?unit={a1.id}&per_page=200").get_data(as_text=True)
    assert set(_emails(html)) == in_area
    html = client.get("/admin/users?role=OIV").get_data(as_text=True)
    oiv = set(db.session.execute(select(User.email)
                                 .where(User.role_rows.any(UserRole.role == "OIV"))).scalars())
    assert oiv and set(_emails(html)) == oiv
    assert client.get("/admin/users?role=Nonsense&status=nonsense").status_code == 200


def test_employees_still_may_not_list_users(client, demo, signed_in):
    signed_in(EMPLOYEE)
    assert client.get("/admin/users?page=2&q=a").status_code == 403
    assert client.get("/admin/org").status_code == 403


def test_user_list_queries_do_not_grow_with_the_people(client, demo, signed_in):
    signed_in(SUPPORT)
    client.get("/admin/users")
    add_people("A1.1", 60)
    with QueryCounter() as few:
        client.get("/admin/users?page=2")
    add_people("A1.1", 150, start=60)
    with QueryCounter() as many:
        client.get("/admin/users?page=2")
    assert many.count == few.count


def test_org_chart_counts_members_with_queries_independent_of_the_people(client, demo,
                                                                         signed_in):
    signed_in(ADMIN)
    add_people("A1.1", 30)
    with QueryCounter() as few:
        client.get("/admin/org")
    add_people("A1.1", 150, start=30)
    with QueryCounter() as many:
        html = client.get("/admin/org").get_data(as_text=True)
    assert many.count == few.count
    members = db.session.scalar(select(func.count(User.id)).join(OrgUnit, User.unit_id == OrgUnit.id)
                                .where(OrgUnit.code == "A1.1"))
    assert f"{members} componenti" in html


def test_above_the_limit_the_users_unit_filter_is_a_search(client, demo, signed_in,
                                                           monkeypatch):
    from app.services.org import unit_search

    add_people("A1.1", 4)
    signed_in(SUPPORT)
    assert 'name="unit_q"' not in client.get("/admin/users").get_data(as_text=True)
    monkeypatch.setattr(unit_search, "UNIT_LIST_LIMIT", 2)
    html = client.get("/admin/users").get_data(as_text=True)
    assert 'name="unit_q"' in html and "<option value=\"\">Tutte le unità" not in html
    a11 = db.session.execute(select(OrgUnit).where(OrgUnit.code == "A1.1")).scalar_one()
    in_a11 = sorted(db.session.execute(select(User.email).where(
        User.unit_id == a11.id)).scalars())
    found = client.get("/admin/users?unit_q=registro delle imprese&per_page=200")
    assert sorted(_emails(found.get_data(as_text=True))) == in_a11
    paged = client.get("/admin/users?unit_q=a1.1&per_page=2").get_data(as_text=True)
    assert "unit_q=a1.1" in paged  # the pager keeps the search
    assert _emails(client.get("/admin/users?unit_q=Z9").get_data(as_text=True)) == []
