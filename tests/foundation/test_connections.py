"""What every new database connection is set to: SQLite enforces foreign keys, and
PostgreSQL compiles no query with JIT, which cost the dashboard's counts over 25,000
people about 40 ms of compiling for 50 ms of work (app._set_up_connections)."""
from sqlalchemy import text

from app.extensions import db


def _fresh(statement: str):
    """The setting as a connection the pool has just opened sees it, after a rollback
    (the pool's reset on return), which must not undo it."""
    db.engine.dispose()
    with db.engine.connect() as connection:
        connection.connection.rollback()
        return connection.execute(text(statement)).scalar()


def test_each_connection_has_the_settings_the_application_relies_on(is_postgres):
    if is_postgres:
        assert _fresh("SHOW jit") == "off"
    else:
        assert _fresh("PRAGMA foreign_keys") == 1
