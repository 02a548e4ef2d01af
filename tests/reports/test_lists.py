"""The dashboard's and the team page's lists of people over HTTP: one page at a time with
counts, search, unit, step and late filters, bad page numbers answered with the first or
last page, and as many queries for a page of 50 people out of 200 as out of 60."""
from __future__ import annotations

import re

import pytest

from app.services.org import unit_search
from app.services.org.permissions import unit_and_below
from app.services.reports import standing
from tests.helpers import (
    MANAGER,
    OIV,
    SUPERVISOR_A1,
    SUPPORT,
    QueryCounter,
    add_people,
    user_by_email,
)


def _users(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-user="(\d+)"', html)]


def _range(html: str, param: str = "page") -> str:
    return re.search(rf'data-testid="pager-{param}-range">([^<]+)<', html).group(1)


def test_dashboard_lists_people_one_page_at_a_time(report_cycle, client, signed_in):
    add_people("A1.1", 70, report_cycle)
    everyone = standing.people_status(report_cycle)
    signed_in(SUPPORT)
    first = client.get("/dashboard/2022").get_data(as_text=True)
    assert _users(first) == [r.user.id for r in everyone[:50]]
    assert _range(first) == f"Righe 1–50 di {len(everyone)}"
    second = client.get("/dashboard/2022?page=2").get_data(as_text=True)
    assert _users(second) == [r.user.id for r in everyone[50:100]]
    small = client.get("/dashboard/2022?per_page=10&page=3").get_data(as_text=True)
    assert _users(small) == [r.user.id for r in everyone[20:30]]


def test_dashboard_filters_by_name_unit_step_and_lateness(report_cycle, client, signed_in):
    add_people("A1.1", 5, report_cycle)
    everyone = standing.people_status(report_cycle)
    signed_in(OIV)
    html = client.get("/dashboard/2022?q=persona 000").get_data(as_text=True)
    assert len(_users(html)) == 5
    unit = user_by_email(SUPERVISOR_A1).unit_id
    html = client.get(f"/dashboard/2022?unit={unit}&per_page=200").get_data(as_text=True)
    assert _users(html) == [r.user.id for r in everyone if r.user.unit_id == unit]
    html = client.get("/dashboard/2022?step=final&per_page=200").get_data(as_text=True)
    assert _users(html) == [r.user.id for r in everyone if r.step == "final"]
    html = client.get("/dashboard/2022?late=1&per_page=200").get_data(as_text=True)
    assert _users(html) == [r.user.id for r in everyone if r.late]
    counts = standing.step_counts(report_cycle)
    assert counts.late == sum(r.late for r in everyone)
    assert sum(counts.total.values()) == len(everyone)


@pytest.mark.parametrize("day", ["2022-01-15", "2022-03-15", "2026-01-15"],
                         ids=["nothing-due", "objectives-due", "all-due"])
def test_the_late_are_counted_as_everyone_less_those_on_time(report_cycle, day):
    """The late list's total is everyone found less those on time (a cheaper count): the
    same number as the late counted one by one, with every other filter beside it, before
    either due date, after the objectives' and after both."""
    from datetime import date

    from app.services.reports.standing import PeopleFilters

    add_people("A1.1", 4, report_cycle)
    today = date.fromisoformat(day)
    everyone = standing.people_status(report_cycle, today=today)
    unit = user_by_email(SUPERVISOR_A1).unit_id
    below = unit_and_below(unit)
    cases = [
        (PeopleFilters(late=True), lambda r: True),
        (PeopleFilters(late=True, unit_id=unit), lambda r: r.user.unit_id in below),
        (PeopleFilters(late=True, text="persona 000"), lambda r: "Persona 000" in r.user.last_name),
        (PeopleFilters(late=True, units={unit}, without=user_by_email(SUPERVISOR_A1).id),
         lambda r: r.user.unit_id == unit and r.user.email != SUPERVISOR_A1),
    ] + [(PeopleFilters(late=True, step=step), lambda r, step=step: r.step == step)
         for step in {r.step for r in everyone}]
    late_somewhere = 0
    for filters, found in cases:
        expected = [r.user.id for r in everyone if r.late and found(r)]
        page = standing.people_page(report_cycle, filters, 1, 200, today=today)
        assert page.total == len(expected), filters
        assert [r.user.id for r in page.items] == expected, filters
        late_somewhere += len(expected)
    assert (late_somewhere > 0) == (day != "2022-01-15")  # the cases are not all empty


def _unit(code: str):
    from sqlalchemy import select

    from app.extensions import db
    from app.models.org import OrgUnit
    return db.session.execute(select(OrgUnit).where(OrgUnit.code == code)).scalar_one()


def test_above_the_limit_the_unit_filter_is_a_search(report_cycle, client, signed_in,
                                                     monkeypatch):
    add_people("A1.1", 5, report_cycle)
    everyone = standing.people_status(report_cycle)
    a1, a11 = _unit("A1"), _unit("A1.1")

    def people_in(unit) -> list[int]:
        return [r.user.id for r in everyone if r.user.unit_id in unit_and_below(unit.id)]

    signed_in(SUPPORT)
    listed = client.get("/dashboard/2022").get_data(as_text=True)
    assert f'<option value="{a11.id}">A1.1 · Registro delle imprese</option>' in listed
    assert 'name="unit_q"' not in listed
    monkeypatch.setattr(unit_search, "UNIT_LIST_LIMIT", 3)
    html = client.get("/dashboard/2022").get_data(as_text=True)
    assert 'name="unit_q"' in html and "Unità (codice o nome)" in html
    assert f'<option value="{a11.id}"' not in html
    assert len(_users(html)) == min(50, len(everyone))  # no unit asked: everyone

    def shown(query: str) -> list[int]:
        return _users(client.get(f"/dashboard/2022?per_page=200&{query}").get_data(as_text=True))

    assert shown("unit_q=a1.1") == people_in(a11)  # a code, in any case
    assert shown("unit_q=A1") == people_in(a1)  # the code A1, not A1.1 or A10
    assert set(people_in(a11)) < set(people_in(a1))
    assert shown("unit_q=REGISTRO delle") == people_in(a11)  # part of a name
    assert shown("unit_q=nessuna unità") == []
    nobody = client.get("/dashboard/2022?unit_q=nessuna").get_data(as_text=True)
    assert _range(nobody) == "Nessuna riga."  # not "Righe 0–0 di 0"
    assert shown("unit_q=%25") == [] and shown("unit_q=_") == []  # no wildcards
    by_id = client.get(f"/dashboard/2022?unit={a11.id}&per_page=200").get_data(as_text=True)
    assert _users(by_id) == people_in(a11)
    assert 'name="unit_q" class="form-control" value="A1.1"' in by_id
    paged = client.get("/dashboard/2022?unit_q=a1&per_page=2").get_data(as_text=True)
    assert "unit_q=a1" in paged  # the pager keeps the search


def test_the_team_page_searches_units_only_within_its_scope(report_cycle, client, signed_in,
                                                            monkeypatch):
    from app.extensions import db
    from app.models.org import User

    add_people("A1.1", 3, report_cycle)
    add_people("A2.1", 3, report_cycle, start=3)
    monkeypatch.setattr(unit_search, "UNIT_LIST_LIMIT", 1)
    signed_in(MANAGER)  # head of A1
    mine = _users(client.get("/team/2022?unit_q=a1.1&per_page=200").get_data(as_text=True))
    a11 = unit_and_below(_unit("A1.1").id)
    assert mine and all(db.session.get(User, uid).unit_id in a11 for uid in mine)
    assert _users(client.get("/team/2022?unit_q=A2.1").get_data(as_text=True)) == []
    other = client.get(f"/team/2022?unit={_unit('A2.1').id}").get_data(as_text=True)
    assert _users(other) == []
    assert 'name="unit_q" class="form-control" value=""' in other  # its code is not shown
    # Above the limit the page names the units the manager heads, and counts the others.
    assert "Anagrafe economica e 3 unità sottostanti" in other


def test_bad_page_numbers_give_the_first_or_last_page(report_cycle, client, signed_in):
    add_people("A1.1", 60, report_cycle)
    everyone = standing.people_status(report_cycle)
    signed_in(SUPPORT)
    for bad in ("abc", "-3", "0", ""):
        response = client.get(f"/dashboard/2022?page={bad}&per_page=x")
        assert response.status_code == 200
        assert _users(response.get_data(as_text=True)) == [r.user.id for r in everyone[:50]]
    last = client.get("/dashboard/2022?page=99999").get_data(as_text=True)
    assert _users(last) == [r.user.id for r in everyone[(len(everyone) - 1) // 50 * 50:]]
    bounded = client.get("/dashboard/2022?per_page=100000").get_data(as_text=True)
    assert len(_users(bounded)) == min(200, len(everyone))


def test_dashboard_queries_do_not_grow_with_the_people(report_cycle, client, signed_in):
    signed_in(SUPPORT)
    client.get("/dashboard/2022")  # charts drawn, caches warm
    add_people("A1.1", 60, report_cycle)
    with QueryCounter() as few:
        client.get("/dashboard/2022?page=2")
    add_people("A1.1", 150, report_cycle, start=60)
    with QueryCounter() as many:
        client.get("/dashboard/2022?page=2")
    assert many.count == few.count


def test_team_page_lists_own_units_one_page_at_a_time(report_cycle, client, signed_in):
    ids = set(add_people("A1.1", 60, report_cycle))
    manager = user_by_email(MANAGER)
    mine = [r for r in standing.people_status(report_cycle) if r.user.unit_id in
            unit_and_below(manager.unit_id) and r.user.id != manager.id]
    signed_in(MANAGER)
    first = client.get("/team/2022").get_data(as_text=True)
    second = client.get("/team/2022?page=2").get_data(as_text=True)
    assert _users(first) + _users(second) == [r.user.id for r in mine]
    assert _range(first) == f"Righe 1–50 di {len(mine)}"
    a2 = client.get(f"/team/2022?unit={user_by_email(SUPPORT).unit_id}").get_data(as_text=True)
    assert _users(a2) == []  # a unit outside the scope shows nobody
    html = client.get("/team/2022?q=persona&per_page=200").get_data(as_text=True)
    assert set(_users(html)) == ids


def test_supervisor_pages_through_the_evaluations_to_write(report_cycle, client, signed_in):
    add_people("A1.1", 60, report_cycle)
    supervisor = user_by_email(SUPERVISOR_A1)
    pending, written = standing.evaluation_counts(report_cycle, supervisor)
    assert pending >= 60
    signed_in(SUPERVISOR_A1)
    html = client.get("/team/2022").get_data(as_text=True)
    assert f'data-testid="pending-count">{pending}<' in html
    assert f'data-testid="written-count">{written}<' in html
    assert _range(html, "pending_page") == f"Righe 1–50 di {pending}"
    last = client.get("/team/2022?pending_page=99").get_data(as_text=True)
    assert _range(last, "pending_page") == f"Righe 51–{pending} di {pending}"


def test_team_queries_do_not_grow_with_the_people(report_cycle, client, signed_in):
    signed_in(MANAGER)
    client.get("/team/2022")
    add_people("A1.1", 60, report_cycle)
    with QueryCounter() as few:
        client.get("/team/2022")
    add_people("A1.1", 150, report_cycle, start=60)
    with QueryCounter() as many:
        client.get("/team/2022")
    assert many.count == few.count


@pytest.mark.parametrize("email,path", [(SUPERVISOR_A1, "/team/2022"),
                                        (SUPPORT, "/dashboard/2022")])
def test_queries_do_not_grow_with_the_rows_shown(report_cycle, client, signed_in, email, path):
    """A page of 60 rows takes the queries of a page of 5: nothing is loaded or logged
    row by row (the team page logs its access in one statement once it is drawn)."""
    add_people("A1.1", 70, report_cycle)
    signed_in(email)
    client.get(path)
    with QueryCounter() as few:
        client.get(f"{path}?per_page=5")
    with QueryCounter() as many:
        client.get(f"{path}?per_page=60")
    assert many.count == few.count
