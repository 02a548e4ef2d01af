"""Readying an app server before it serves: what every worker would otherwise do at its
first request of each kind, done once in gunicorn's master before it forks the workers
(gunicorn.conf.py: preload_app), so the workers share it.

Measured on the 25,000-person load data set: a fresh process's first request of each
page cost about 0.6 s more than the next ones (templates compiled, catalogues and
modules loaded, the deployed specs restored, the steps' names read from the diagrams,
Babel's data for dates), the first sign-in 0.14 s more, and creating the app 1.6 s.
With four workers started together under a crowd signing in, that was several seconds
of the two cores spent while requests queued.

What is warmed must be safe to share across fork: nothing here keeps a database
connection (the pools are emptied at the end), starts a thread or a child process (the
script runner's child is forked later, by each worker, at its first script)."""
from __future__ import annotations

import importlib
import pkgutil
import time
from datetime import UTC, datetime

from flask import Flask
from flask_babel import force_locale, format_date, format_datetime, get_translations

from app.extensions import db

PACKAGES = ("app", "forms")
# Libraries the app imports only where it needs them (a chart, a workbook), so that a CLI
# command or a worker does not pay for them; an app server's workers share them.
LIBRARIES = ("matplotlib.figure", "matplotlib.backends.backend_svg", "openpyxl",
             "openpyxl.styles", "openpyxl.utils")


def warm_up(app: Flask) -> dict[str, int]:
    """Import every module and the libraries imported on demand, compile every template,
    load every language's catalogue and restore the deployed specs; then close the
    database connections this opened. What was readied, counted (for the log)."""
    began = time.perf_counter()
    counts = {"modules": _import_modules()}
    with app.app_context():
        counts["templates"] = _compile_templates(app)
        from app import diagram_texts, engine

        counts["specs"] = engine.preload()
        for language in app.config["LANGUAGES"]:
            with force_locale(language):
                get_translations()
                _date_formats()
                counts["step names"] = len(diagram_texts.names(language))
        counts["languages"] = len(app.config["LANGUAGES"])
        _password_hasher()
        db.session.remove()
        for database in db.engines.values():
            database.dispose()
    counts["ms"] = round((time.perf_counter() - began) * 1000)
    return counts


def _date_formats() -> None:
    """Babel's data for the context's language, read at a language's first date (about
    25 ms): every page with a due date shows one."""
    moment = datetime(2000, 1, 1, 12, tzinfo=UTC)
    format_datetime(moment, "short")
    format_date(moment.date(), "MMMM y")


def _password_hasher() -> None:
    """The throw-away hash an unknown e-mail is checked against, and a first argon2
    check: the first one a process makes costs about twice the next ones (its memory is
    mapped anew), and a crowd signing in meets every worker's first."""
    from app.services.org.passwords import check_password_evenly

    check_password_evenly(None, "warm-up")


def _import_modules() -> int:
    count = 0
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            importlib.import_module(module.name)
            count += 1
    for name in LIBRARIES:
        importlib.import_module(name)
    return count + len(LIBRARIES)


def _compile_templates(app: Flask) -> int:
    names = [name for name in app.jinja_env.list_templates() if name.endswith((".html", ".txt"))]
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)
