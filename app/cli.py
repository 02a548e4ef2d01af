"""Command-line administration: `flask demo ...`, `flask audit verify|anchor`, `flask users ...`."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.extensions import db

demo_cli = AppGroup("demo", help="The demo administration (for evaluation only).")
audit_cli = AppGroup("audit", help="The audit trail.")


def _load_living_demo() -> bool:
    """The living demo as of today (app.demo.living); False when it was there already."""
    import time
    from datetime import date

    from app.demo import living, org

    started = time.perf_counter()
    try:
        loaded = living.load(current_app.config["DEMO_PASSWORD"], date.today())
    except org.DemoRefused as exc:
        db.session.rollback()
        raise click.ClickException(f"Demo data refused: {exc}.") from exc
    if loaded:
        click.echo(f"Demo administration loaded in {time.perf_counter() - started:.0f} s.")
    return loaded


@demo_cli.command("load")
def demo_load():
    """Load the demo administration with its cycles as of today (refused on a database
    with real users; a second run changes nothing)."""
    if not _load_living_demo():
        click.echo("Demo administration already loaded.")


@demo_cli.command("load-if-empty")
def demo_load_if_empty():
    """Load the demo administration only when the database has no users at all."""
    from sqlalchemy import func, select

    from app.models.org import User

    if db.session.execute(select(func.count(User.id))).scalar_one():
        click.echo("Database not empty: demo data not loaded.")
        return
    _load_living_demo()


@demo_cli.command("users")
def demo_users():
    """List the demo logins per role and what each one finds to do today."""
    from flask_babel import force_locale

    from app.demo import agenda, org
    from app.web.labels import role_label

    logins = org.logins_by_role()
    if not logins:
        click.echo("No demo users: run `flask demo load` first.")
        return
    password = current_app.config["DEMO_PASSWORD"]
    click.echo(f"Demo logins (password: {password})")
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for role, rows in agenda.lines(logins):
            click.echo(f"  {role} ({role_label(role)}):")
            for email, found in rows:
                click.echo(f"    {email}: {found}" if email else f"    {found}")


@demo_cli.command("run-cycle")
@click.option("--year", type=int, default=None,
              help="Year of the new cycle (default: the year after the latest adopted plan).")
@click.option("--seed", type=int, default=2023, show_default=True,
              help="Seed of the synthetic inputs.")
def demo_run_cycle(year, seed):
    """Run a complete demo cycle headless and print its summary."""
    import time

    from app import engine
    from app.demo import cycle as demo_cycle
    from app.services.cycle import children
    from app.services.cycle.operations import PROCESS_ID

    missing = engine.undeployed((PROCESS_ID, children.ASSIGNMENT, children.MONITORING,
                                 children.EVALUATION))
    if missing:
        raise click.ClickException(
            f"The workflows {', '.join(missing)} are not deployed: run `flask engine deploy` "
            "first (make run does it).")
    started = time.perf_counter()
    cycle = demo_cycle.run(year, seed)
    for line in demo_cycle.summary(cycle):
        click.echo(line)
    click.echo(f"Wall time: {time.perf_counter() - started:.1f} s")


@audit_cli.command("verify")
def audit_verify():
    """Check the audit trail: the keyed hash chain, every anchor in the anchor file, and
    that every score, band, actual, weight and reward amount equals its last audited
    value. Exits 1 on any finding."""
    import time

    from app.audit import verify
    from app.audit_anchors import check_anchors
    from app.audit_values import ValueLedger

    started = time.perf_counter()
    ledger = ValueLedger()
    result = verify(on_event=ledger)
    findings = [] if result.ok else [
        (f"Audit trail broken at event {result.broken_id}: {result.reason} "
        f"({result.checked} events before it are intact).")]
    findings += check_anchors() + ledger.findings()
    elapsed = time.perf_counter() - started
    if not findings:
        click.echo(f"Audit trail intact: {result.checked} events checked, anchors and "
                   f"audited values match ({elapsed:.2f} s).")
        return
    for finding in findings:
        click.echo(finding, err=True)
    click.echo(f"{len(findings)} finding(s) in {elapsed:.2f} s.", err=True)
    raise SystemExit(1)


@audit_cli.command("anchor")
def audit_anchor():
    """Append a signed checkpoint of the chain's head to AUDIT_ANCHOR_PATH."""
    from app.audit_anchors import anchor_path, write_anchor

    anchor = write_anchor()
    if anchor is None:
        click.echo("Nothing new to anchor.")
        return
    click.echo(f"Anchored event {anchor.last_id} ({anchor.count} events) in {anchor_path()}.")


def register(app: Flask) -> None:
    from app.backup_cli import backup_command, restore_command
    from app.cycle_cli import cycle_cli
    from app.engine.cli import engine_cli
    from app.jobs_cli import jobs_cli
    from app.mail_cli import mail_cli
    from app.plan_cli import plan_cli
    from app.privacy_cli import person_cli, retention_cli
    from app.transparency_cli import transparency_cli
    from app.users_cli import users_cli

    app.cli.add_command(demo_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(engine_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(plan_cli)
    app.cli.add_command(transparency_cli)
    app.cli.add_command(cycle_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(person_cli)
    app.cli.add_command(retention_cli)
