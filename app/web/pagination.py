"""What every list page reads from its query string: the page number, the page size
(bounded, see app.services.paging), the free-text search and the unit filter (a
drop-down list or, in a large administration, a search: unit_filter). Anything malformed falls
back to the default instead of failing: a list link is often typed or kept for months."""
from __future__ import annotations

from flask import request

from app.services.org import unit_search
from app.services.paging import bounded_size


def int_arg(name: str) -> int | None:
    value = (request.args.get(name) or "").strip()
    return int(value) if value.isdigit() else None


def page_number(name: str = "page") -> int:
    return int_arg(name) or 1


def page_size() -> int:
    return bounded_size(int_arg("per_page"))


def search_text(name: str = "q") -> str:
    return (request.args.get(name) or "").strip()[:100]


def unit_search_text() -> str:
    """The unit filter's search (app.services.org.unit_search), when it is one."""
    return search_text("unit_q")


def unit_filter(scope: set[int] | None, unit_id: int | None, text: str,
                choices=...) -> dict:
    """What the `unit_filter` macro (_unit_filter.html) needs: the units of `scope` (None:
    all) to choose from, or None above unit_search.UNIT_LIST_LIMIT (`choices`, when the
    caller has read unit_search.choices(scope) already), and then the search's text: as
    typed, or the code of the unit a link names by id (within the scope)."""
    if choices is ...:
        choices = unit_search.choices(scope)
    if choices is not None or text:
        return {"unit_choices": choices, "unit_search": text}
    named = unit_id if scope is None or unit_id in scope else None
    return {"unit_choices": None, "unit_search": unit_search.code_of(named)}


def query_args(**values) -> dict:
    """The filters to keep in the pager's links: only those set."""
    return {k: v for k, v in values.items() if v not in (None, "", False)}
