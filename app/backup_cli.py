"""`flask backup PATH` and `flask restore PATH`: the whole database as one archive."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(path):
    """Write the whole database (tables, stored PDFs and acts) to the zip archive PATH."""
    from app.services.backup.backup import write_backup

    manifest = write_backup(path)
    rows = sum(manifest["tables"].values())
    click.echo(f"Backup written to {path}: {len(manifest['tables'])} tables, {rows} rows, "
               f"schema revision {manifest['alembic_revision']}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def restore_command(path):
    """Load the archive PATH into this EMPTY database (run `flask db upgrade` first)."""
    from app.services.backup.archive import ArchiveError
    from app.services.backup.restore import restore

    try:
        manifest = restore(path)
    except ArchiveError as exc:
        raise click.ClickException(f"Restore refused: {exc}.") from exc
    rows = sum(manifest["tables"].values())
    click.echo(f"Restored {rows} rows in {len(manifest['tables'])} tables from {path} "
               f"(made {manifest['created_at']}).")
