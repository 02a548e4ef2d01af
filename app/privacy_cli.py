"""`flask person export EMAIL PATH` (GDPR art. 15) and `flask retention apply`."""
from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db

person_cli = AppGroup("person", help="One person's personal data.")
retention_cli = AppGroup("retention", help="Retention of personal data (RETENTION_YEARS).")


@person_cli.command("export")
@click.argument("email")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export(email, path):
    """Write everything held about EMAIL to the zip PATH (data.json and summary.html)."""
    from app.models.org import User
    from app.services.privacy.export import write_export

    person = db.session.execute(select(User).where(User.email == email.strip().lower())
                                ).scalar_one_or_none()
    if person is None:
        raise click.ClickException(f"no user with e-mail {email}")
    counts = write_export(person, path)
    click.echo(f"Personal data of {person.email} written to {path}: "
               + ", ".join(f"{name} {n}" for name, n in counts.items()) + ".")


@retention_cli.command("apply")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
def apply(dry_run):
    """Strip the texts and ratings of evaluations older than RETENTION_YEARS."""
    from app.services.privacy import retention

    years = current_app.config["RETENTION_YEARS"]
    result = retention.apply(None, years, date.today(), dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would be" if dry_run else "were"
    click.echo(
        f"Retention {years} years (cycles before {result.cutoff_year}: "
        f"{', '.join(map(str, result.cycles)) or 'none'}): {result.evaluations} evaluations, "
        f"{result.ratings} ratings, {result.sheets} objective sheets and "
        f"{result.audit_events} audit events {verb} stripped of personal texts.")
