"""The application factory."""
from __future__ import annotations

import gc
import re
import time
from pathlib import Path

from flask import Flask, jsonify, render_template, request, session
from flask_login import current_user
from sqlalchemy import text
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import babel, csrf, db, login_manager, migrate
from app.models.types import render_migration_item
from config import (
    INSTANCE_DIR,
    Config,
    audit_key_problem,
    check_production,
    collector_thresholds,
    config_from_env,
    password_hash_parameters,
    ping_idle_seconds,
)

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def select_locale() -> str:
    from flask import current_app, has_request_context

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return user_locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def create_app(config: type[Config] | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(config or config_from_env())
    if app.config["APP_ENV"] == "production":
        check_production(app.config)
    _check_audit_key(app)
    if app.config["TRUSTED_PROXY_COUNT"]:
        proxies = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)

    _tune_collector(app)
    db.init_app(app)
    migrate.init_app(
        app, db, directory=MIGRATIONS_DIR, render_as_batch=True,
        render_item=render_migration_item, compare_type=True,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    _set_up_connections(app)
    _end_reading_with_commit(app)
    from app.services.org.passwords import use_hasher

    use_hasher(app, password_hash_parameters(app.config["PASSWORD_HASH_PARAMETERS"]))
    seconds = ping_idle_seconds(app.config["DATABASE_PING_IDLE_SECONDS"])
    with app.app_context():
        for engine in db.engines.values():
            ping_when_idle(engine, seconds)

    from app import models  # noqa: F401  (registers every table on the metadata)
    from app.engine.assignment import use_directory
    from app.services.account.directory import group_roles
    from app.services.org.operations import EvaluatorDirectory
    from app.services.tasks.steps import use_decision_fields
    from app.web import register_blueprints, request_log, security
    from forms.registry import decision_fields

    use_directory(EvaluatorDirectory())
    use_decision_fields(decision_fields)
    group_roles(app.config["LDAP_GROUP_ROLES"])  # a wrong mapping stops start-up, not sign-in

    register_blueprints(app)
    security.init_app(app)
    request_log.init_app(app)
    _register_errors(app)
    _register_cli(app)

    @app.get("/healthz")
    def healthz():
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001  (any failure to reach the database is "down")
            db.session.rollback()
            return jsonify(status="error", database="unavailable"), 503
        return jsonify(status="ok", database="ok")

    @app.context_processor
    def template_globals():
        from app.task_names import process_name, step_name
        from app.web.labels import (
            access_kind_label,
            job_label,
            job_status_label,
            role_label,
            unit_kind_label,
        )

        return {
            "job_label": job_label,
            "job_status_label": job_status_label,
            "current_locale": select_locale(),
            "role_label": role_label,
            "unit_kind_label": unit_kind_label,
            "access_kind_label": access_kind_label,
            "step_title": step_name,
            "process_name": process_name,
        }

    return app


def _check_audit_key(app: Flask) -> None:
    """Warn when the audit trail runs on the development key (production refuses it)."""
    problem = audit_key_problem(app.config)
    if problem:
        app.logger.warning(problem)


def _tune_collector(app: Flask) -> None:
    """Python's cyclic garbage collector runs less often than its default (every 700 net
    allocations of objects that may hold others). A task completion restores a workflow
    from JSON and builds its ORM objects: with the default, a collection of the young
    generation at nearly every completion and regular full ones over the whole heap
    (the loaded specs, the session), about 1 ms of a 20 ms rating; with 10,000,50,100,
    about 0.2 ms. Objects freed by reference counting, nearly all of them, are not
    affected; the heap holds a few thousand more objects between collections."""
    gc.set_threshold(*collector_thresholds(app.config["GC_THRESHOLD"]))


_IDLE_SINCE = "idle_since"


def ping_when_idle(engine, seconds: float) -> None:
    """Check a pooled connection before use only when it has sat in the pool for
    `seconds` or more: SQLAlchemy's pool_pre_ping checks every one, a round trip
    (about 0.3 ms) per request and per task completion, though a connection returned a
    moment ago is alive. A connection the server dropped (a restart, a firewall's idle
    timeout) is replaced as pool_pre_ping would, through the pool's own retry on
    DisconnectionError."""
    from sqlalchemy import event, exc

    dialect = engine.dialect

    @event.listens_for(engine.pool, "checkin")
    def _returned(_dbapi_connection, record) -> None:
        if record is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _taken(dbapi_connection, record, _proxy) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < seconds:
            return  # new, or returned within the limit
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.DisconnectionError() from error
            raise


def _set_up_connections(app: Flask) -> None:
    """Each new connection: SQLite enforces foreign keys; PostgreSQL compiles no query to
    machine code (JIT). The dashboard's counts over 25,000 people cross the planner's
    JIT threshold and then spent about 40 ms compiling a query that runs in 50: the
    application's queries are short, so JIT only costs. Committed at once, as the pool's
    rollback on return would otherwise undo the SET."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _settings(dbapi_connection, _record):
        module = type(dbapi_connection).__module__
        if module.startswith("sqlite3"):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
        elif module.startswith("psycopg"):
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET jit = off")
            dbapi_connection.commit()


def _end_reading_with_commit(app: Flask) -> None:
    """On PostgreSQL, an application context (a request, above all) that only read ends
    its transaction with COMMIT rather than the ROLLBACK that closing the session sends.

    psycopg prepares a statement on the server once a connection has run it five times,
    and forgets every prepared statement at a ROLLBACK (one might name an object that
    the rolled-back transaction created). Nearly every page ends with one, so no
    statement stayed prepared from one request to the next: the server parsed and
    planned each anew, about a third of its time under the load bench. A transaction
    that wrote nothing ends the same either way; one that wrote, holds changes not yet
    flushed or audit events not yet linked, or failed is rolled back as before.

    Whether the transaction wrote is known without asking the server (a round trip per
    page): every statement SQLAlchemy sends passes `_note_writes`, which marks the
    connection's transaction at the first one that is not a read. A read is a SELECT,
    or a WITH naming no INSERT, UPDATE, DELETE or MERGE (a data-modifying WITH is only
    allowed at the top of a statement); anything else counts as a write (a NOTIFY, a
    SAVEPOINT, a SET). What bypasses SQLAlchemy (app.services.bulk's COPY) marks it
    itself with `note_write`.

    Registered after Flask-SQLAlchemy, so it runs before the session is removed."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    # On every engine, once per process however many applications are made (the tests
    # make many): a listener per application would run once per application per statement.
    for name, listener in (("begin", _began), ("before_cursor_execute", _note_writes)):
        if not event.contains(Engine, name, listener):
            event.listen(Engine, name, listener)

    @app.teardown_appcontext
    def _commit_if_only_read(error: BaseException | None) -> None:
        if error is not None or not db.session.registry.has():
            return  # failed (rolled back as before), or never used the database
        session = db.session()
        if (session.in_transaction() and session.get_bind().dialect.name == "postgresql"
                and not _holds_changes(session) and _wrote_nothing(session.connection())):
            session.commit()


def _holds_changes(session) -> bool:
    from app.audit import has_pending_events

    return bool(session.new or session.dirty or session.deleted) or has_pending_events(session)


_WROTE = "transaction_wrote"  # in a connection's info, from its transaction's first write


_WRITING_WORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def _reads_only(statement: str) -> bool:
    """Whether a statement only reads (see _end_reading_with_commit): a SELECT, or a
    WITH without a word that writes (a column named so counts too: a safe mistake)."""
    first = statement[:24].lstrip()[:6].upper()
    if first == "SELECT":
        return True
    return first[:4] == "WITH" and first[4:5] in (" ", "\n", "\t", "\r") and \
        _WRITING_WORD.search(statement) is None


def _began(connection) -> None:
    connection.info.pop(_WROTE, None)


def _note_writes(connection, _cursor, statement, _parameters, _context, _many) -> None:
    if not _reads_only(statement):
        connection.info[_WROTE] = True


def note_write(connection) -> None:
    """Mark the transaction of `connection` (SQLAlchemy's) as having written, for a write
    sent to the driver directly, past SQLAlchemy's events."""
    connection.info[_WROTE] = True


def _wrote_nothing(connection) -> bool:
    """Whether the connection's transaction is sound and has sent nothing but reads."""
    from psycopg.pq import TransactionStatus

    status = connection.connection.dbapi_connection.info.transaction_status
    if status != TransactionStatus.INTRANS:
        return False  # failed (the next statement would raise) or already ended
    return not connection.info.get(_WROTE, False)


def _register_errors(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError

    def page(code: int, template: str):
        def handler(error):
            if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
                return jsonify(error=code), code
            return render_template(template, error=error), code

        return handler

    for code in (400, 403, 404, 409, 413, 429):
        app.register_error_handler(code, page(code, f"errors/{code}.html"))
    app.register_error_handler(CSRFError, page(400, "errors/400.html"))


def _register_cli(app: Flask) -> None:
    from app.cli import register

    register(app)
