"""`flask plan import FILE --cycle YEAR` and `flask plan export --cycle YEAR`: the same
import and export as the plan screens, for scripts. The acting user (for permissions and
the audit trail) is given with --as, by default the first administrator."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db

plan_cli = AppGroup("plan", help="The performance plan of a cycle.")


def _actor(email: str | None):
    from app.models.org import Role, User, UserRole

    stmt = select(User).where(User.active)
    if email:
        stmt = stmt.where(User.email == email.strip().lower())
    else:
        stmt = stmt.join(UserRole).where(UserRole.role == Role.ADMIN.value).order_by(User.id)
    user = db.session.execute(stmt.limit(1)).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"No active user {email}." if email else
                                   "No administrator: give one with --as EMAIL.")
    return user


def _administration_id() -> int:
    from app.services.org.errors import OrgError
    from app.services.org.units import default_administration_id

    try:
        return default_administration_id()
    except OrgError as exc:
        raise click.ClickException(str(exc)) from exc


@plan_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--cycle", "year", type=int, required=True, help="Year of the cycle.")
@click.option("--as", "email", help="E-mail of the acting Admin or SupportUnit user.")
def import_command(path: Path, year: int, email: str | None):
    """Import the plan of a cycle from CSV or XLSX (the cycle is created if missing)."""
    from werkzeug.exceptions import Forbidden

    from app.services.plan.cycles import create_cycle, cycle_by_year
    from app.services.plan.imports import import_plan

    actor = _actor(email)
    try:
        cycle = cycle_by_year(_administration_id(), year) or \
            create_cycle(actor, _administration_id(), year)
        report = import_plan(actor, cycle, path.name, path.read_bytes())
    except Forbidden as exc:
        db.session.rollback()
        raise click.ClickException(f"{actor.email} may not edit the plan.") from exc
    if not report.ok:
        db.session.rollback()
        for error in report.errors:
            click.echo(f"row {error.row}: {error.message}", err=True)
        raise click.ClickException(f"{path.name} rejected: {len(report.errors)} errors, "
                                   "nothing saved.")
    db.session.commit()
    click.echo(f"Plan {year} imported: {report.created} indicators added, "
               f"{report.updated} updated.")


@plan_cli.command("export")
@click.option("--cycle", "year", type=int, required=True, help="Year of the cycle.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output, CSV only).")
def export_command(year: int, fmt: str, output: Path | None):
    """Export the plan of a cycle, one row per indicator."""
    from app.services.plan import export as plan_export
    from app.services.plan.cycles import cycle_by_year

    cycle = cycle_by_year(_administration_id(), year)
    if cycle is None or cycle.plan is None:
        raise click.ClickException(f"No plan for {year}.")
    body = plan_export.to_csv(cycle.plan) if fmt == "csv" else plan_export.to_xlsx(cycle.plan)
    if output is not None:
        output.write_bytes(body)
        click.echo(f"Plan {year} written to {output}.")
    elif fmt == "csv":
        sys.stdout.buffer.write(body)
    else:
        raise click.ClickException("XLSX needs --output FILE.")
