"""The list of people with where each one stands, shared by the dashboard and the team
page: its filters read from the query string, and the arguments its pager keeps."""
from __future__ import annotations

from flask import request

from app.services.reports import standing
from app.services.reports.standing import STEPS, PeopleFilters
from app.web.pagination import int_arg, query_args, search_text


def filters_from_request(units: set[int] | None, without: int | None = None) -> PeopleFilters:
    """units: the signed-in person's scope (None: everyone); a unit filter outside it
    narrows nothing and shows no one outside the scope either."""
    step = request.args.get("step") or None
    return PeopleFilters(units=units, text=search_text(), unit_id=int_arg("unit"),
                         unit_text=(request.args.get("unit_q") or "").strip()[:100],
                         step=step if step in STEPS else None,
                         late=request.args.get("late") == "1", without=without)


def unit_filter(filters: PeopleFilters, scope: set[int] | None) -> dict:
    """What the template's unit filter needs: the units to choose from (`unit_choices`,
    None above standing.UNIT_LIST_LIMIT: a search instead) and, for the search, the code
    of a unit asked for by id (a link) as its text."""
    choices = standing.unit_choices(scope)
    named = filters.unit_id if scope is None or filters.unit_id in scope else None
    return {"unit_choices": choices,
            "unit_search": filters.unit_text or ("" if choices is not None
                                                 else standing.unit_code(named))}


def pager_args(filters: PeopleFilters, **more) -> dict:
    return query_args(q=filters.text, unit=filters.unit_id, unit_q=filters.unit_text,
                      step=filters.step,
                      late="1" if filters.late else None, per_page=int_arg("per_page"), **more)
