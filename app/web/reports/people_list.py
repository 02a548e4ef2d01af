"""The list of people with where each one stands, shared by the dashboard and the team
page: its filters read from the query string, and the arguments its pager keeps."""
from __future__ import annotations

from flask import request

from app.services.reports.standing import STEPS, PeopleFilters
from app.web.pagination import int_arg, query_args, search_text, unit_search_text


def filters_from_request(units: set[int] | None, without: int | None = None) -> PeopleFilters:
    """units: the signed-in person's scope (None: everyone); a unit filter outside it
    narrows nothing and shows no one outside the scope either."""
    step = request.args.get("step") or None
    return PeopleFilters(units=units, text=search_text(), unit_id=int_arg("unit"),
                         unit_text=unit_search_text(),
                         step=step if step in STEPS else None,
                         late=request.args.get("late") == "1", without=without)


def pager_args(filters: PeopleFilters, **more) -> dict:
    return query_args(q=filters.text, unit=filters.unit_id, unit_q=filters.unit_text,
                      step=filters.step,
                      late="1" if filters.late else None, per_page=int_arg("per_page"), **more)
