"""One log line per request, for the operators: method, path (never the query string,
which may carry what a person typed), status, duration and the id of the signed-in user,
no other personal data. Logged by the `app.requests` logger at INFO, through the
application logger's handler; gunicorn's own access log can be left off (see the
README's production guide)."""
from __future__ import annotations

import logging
import time

from flask import Flask, g, request
from flask_login import current_user
from sqlalchemy import inspect

logger = logging.getLogger("app.requests")


def _start() -> None:
    g.request_started = time.perf_counter()


def _log(response):
    started = g.pop("request_started", None)
    if started is None:
        return response
    duration_ms = (time.perf_counter() - started) * 1000
    logger.info("%s %s %s %.1fms user=%s", request.method, request.path, response.status_code,
                duration_ms, _user_id())
    return response


def _user_id() -> str:
    """The signed-in person's id, from the user the request loaded (Flask-Login keeps it in
    g) by its identity: after a commit that user is expired, and reading an attribute
    would read the person and their roles again."""
    user = g.get("_login_user")
    if user is None:  # not loaded by the request: as the page would have
        user = current_user._get_current_object() if current_user else None
    state = inspect(user, raiseerr=False)
    return str(state.identity[0]) if state is not None and state.identity else "-"


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_log)
    if not app.testing:  # written by the application logger's handler (stderr)
        logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
        # Flask gives its logger that handler on first use only; in production nothing
        # else may use it (no warning to give), and the lines would go nowhere.
        _ = app.logger
