"""The templates' `url_for`, building each link once.

A page builds 25 to 60 links (the navigation alone about 25, a list one or two a row),
and werkzeug builds each anew from the URL rule, about 30 microseconds a link. The URL
map does not change once the application has started and the application adds no
`url_defaults`, so within one script root (the path the application is mounted under)
an endpoint and its values always give the same link: it is kept (LRU) and used again.

The key holds the values in the order given (the order of the query string) and each
value's type beside it, as `True` and `1` are equal keys but different links. A
blueprint-relative endpoint (".name") is keyed by the request's blueprint. A link with an
anchor, a method, a scheme or made external, one with a value that cannot be a key (a
list of values) or a text longer than 64 characters, and a call outside a request take
Flask's own `url_for`, which stays the reference (and raises or handles what it cannot
build)."""
from __future__ import annotations

from functools import lru_cache

from flask import Flask, url_for
from flask.globals import _cv_request

_FLASK_OWN = frozenset(("_anchor", "_method", "_scheme", "_external"))
# Links carrying a longer text are built each time, not kept: the pager repeats the search
# someone typed, and 8,192 links of a few kilobytes each would hold tens of megabytes.
_LONGEST_KEPT = 64


def install(app: Flask) -> None:
    """Make the templates' `url_for` the kept one; the application must add no
    `url_defaults`, which would make a link depend on more than its endpoint and values."""
    if any(app.url_default_functions.values()):
        return
    app.jinja_env.globals["url_for"] = kept_url_for


@lru_cache(maxsize=8192)
def _built(endpoint: str, script_root: str, values: tuple) -> str:
    return url_for(endpoint, **{name: value for name, _kind, value in values})


def kept_url_for(endpoint: str, **values) -> str:
    context = _cv_request.get(None)
    if context is None or (values and not _FLASK_OWN.isdisjoint(values)):
        return url_for(endpoint, **values)
    if endpoint[:1] == ".":
        blueprint = context.request.blueprint
        endpoint = f"{blueprint}{endpoint}" if blueprint is not None else endpoint[1:]
    key = ()
    if values:
        for value in values.values():
            if isinstance(value, str) and len(value) > _LONGEST_KEPT:
                return url_for(endpoint, **values)  # text someone typed (a search): not kept
        key = tuple([(name, type(value), value) for name, value in values.items()])
    try:
        return _built(endpoint, context.request.script_root, key)
    except TypeError:  # a value that cannot be hashed
        return url_for(endpoint, **values)
