"""The calendar of a unit (who works remotely on which day, month by month: its members,
its heads and the organisation-wide roles read it, others 403) and the figures for the
plan's monitoring (people with an agreement, days planned and used, per unit and
category; the organisation-wide roles and the Board, others 403), also as Excel."""
from __future__ import annotations

import io
from datetime import date

import openpyxl

from app.extensions import db
from app.scoring import smart_working as rules
from app.services.smart_working import operations as agreements
from tests.helpers import csrf_token
from tests.smart_working.helpers import in_force


def _sign_in(client, signed_in, user):
    if 'action="/logout"' in client.get("/").get_data(as_text=True):
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    signed_in(user.email)
    return client


def test_the_calendar_shows_each_remote_day_of_the_month(client, signed_in, deployed, people):
    agreement = in_force(people)
    month = agreement.starts_on
    path = f"/lavoro-agile/calendario?unita={people.employee.unit_id}&mese={month:%Y-%m}"
    _sign_in(client, signed_in, people.other_manager)
    assert client.get(path).status_code == 403
    _sign_in(client, signed_in, people.colleague)  # same sector
    page = client.get(path).get_data(as_text=True)
    row = page.split(people.employee.last_name, 1)[1].split("</tr>", 1)[0]
    tuesdays = [d for d, _part in rules.remote_dates({1: "day"}, month, rules.next_month(month))
                if d.month == month.month]
    assert row.count(">W</abbr>") == len(tuesdays)
    following = client.get(f"/lavoro-agile/calendario?unita={people.employee.unit_id}"
                           f"&mese={rules.next_month(rules.next_month(month)):%Y-%m}")
    assert 'data-testid="calendar-empty"' in following.get_data(as_text=True)  # after its end


def test_the_figures_count_people_and_days_per_unit_and_category(client, signed_in, deployed,
                                                                  people):
    agreement = in_force(people)
    agreements.record_report(people.employee, agreement, agreement.starts_on, 3, 0,
                             "Istruttorie", "")
    db.session.commit()
    year = agreement.starts_on.year
    _sign_in(client, signed_in, people.employee)
    assert client.get(f"/lavoro-agile/dati/{year}").status_code == 403
    assert client.get(f"/lavoro-agile/dati/{year}.xlsx").status_code == 403
    _sign_in(client, signed_in, people.support)
    page = client.get(f"/lavoro-agile/dati/{year}").get_data(as_text=True)
    assert 'data-testid="per-unit-people">1<' in page
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/lavoro-agile/dati/{year}.xlsx").data))
    planned = len([d for d, _p in rules.remote_dates({1: "day"}, agreement.starts_on,
                                                   min(agreement.ends_on, date(year, 12, 31)))])
    per_unit = list(book["Per unit"].iter_rows(min_row=2, values_only=True))
    assert per_unit[0][0].startswith(people.employee.unit.code)
    assert per_unit[0][1:] == (1, planned, 3)
    per_category = list(book["Per category"].iter_rows(min_row=2, values_only=True))
    assert per_category[0][:2] == (people.employee.category, 1)
