"""`flask cycle start YEAR`: create the cycle of a year (default calendar) and start its
performance_cycle process."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db

cycle_cli = AppGroup("cycle", help="The performance cycle.")


@cycle_cli.command("start")
@click.argument("year", type=click.IntRange(2000, 2100))
@click.option("--administration", "code", default=None,
              help="Code of the administration (default: the only one).")
@click.option("--as", "email", default=None,
              help="E-mail of the support unit member starting it (default: the first one).")
@click.option("--copy-plan/--no-copy-plan", default=False,
              help="Copy the plan of the latest adopted cycle into the new, empty plan.")
def start(year, code, email, copy_plan):
    """Create the cycle of YEAR if needed and start its workflow."""
    from app.models.org import Administration, Role, User
    from app.services.cycle import operations as cycle_service
    from app.services.plan.errors import PlanError

    administrations = db.session.execute(select(Administration).where(
        Administration.code == code) if code else select(Administration)).scalars().all()
    if len(administrations) != 1:
        raise click.ClickException("name the administration with --administration CODE")
    administration = administrations[0]
    actor = db.session.execute(select(User).where(
        User.active, User.role_rows.any(role=Role.SUPPORT_UNIT.value),
        *([User.email == email] if email else [])).order_by(User.id).limit(1)).scalar_one_or_none()
    if actor is None:
        raise click.ClickException("no active support unit member to start the cycle")
    source = cycle_service.latest_plan_cycle(administration.id, year) if copy_plan else None
    try:
        cycle, instance = cycle_service.start(actor, administration.id, year, copy_from=source)
        db.session.commit()
    except (cycle_service.CycleError, PlanError) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Cycle {cycle.year} running: instance {instance.id} "
               f"(business key {instance.business_key}).")
