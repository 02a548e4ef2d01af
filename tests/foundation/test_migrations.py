"""The Alembic migrations and the models describe the same schema: a model change without
its migration fails here, on SQLite and on PostgreSQL."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db


def test_migrations_match_the_models(app_context):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_one_migration_head(app):
    from alembic.script import ScriptDirectory
    from flask_migrate import Migrate  # noqa: F401  (the extension configures Alembic)

    config = app.extensions["migrate"].migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
