"""What every list page reads from its query string: the page number, the page size
(bounded, see app.services.paging) and the free-text search. Anything malformed falls
back to the default instead of failing: a list link is often typed or kept for months."""
from __future__ import annotations

from flask import request

from app.services.paging import bounded_size


def int_arg(name: str) -> int | None:
    value = (request.args.get(name) or "").strip()
    return int(value) if value.isdigit() else None


def page_number(name: str = "page") -> int:
    return int_arg(name) or 1


def page_size() -> int:
    return bounded_size(int_arg("per_page"))


def search_text() -> str:
    return (request.args.get("q") or "").strip()[:100]


def query_args(**values) -> dict:
    """The filters to keep in the pager's links: only those set."""
    return {k: v for k, v in values.items() if v not in (None, "", False)}
