"""`flask engine deploy` and `flask engine tick [--loop]`."""
from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db

engine_cli = AppGroup("engine", help="The workflow engine.")


@engine_cli.command("deploy")
@click.option("--directory", default=None,
              help="Where the .bpmn and .dmn files are (default: workflows/).")
def deploy(directory):
    """Deploy every workflow file; unchanged processes keep their version."""
    from app.engine import DeploymentError, deploy_directory

    path = Path(directory) if directory else Path(current_app.root_path).parent / "workflows"
    try:
        results = deploy_directory(path)
        db.session.commit()
    except DeploymentError as exc:
        db.session.rollback()
        raise click.ClickException("deployment refused:\n" + str(exc)) from exc
    if not results:
        click.echo(f"No workflow files in {path}.")
    for result in results:
        d = result.definition
        state = "deployed" if result.created else "unchanged"
        click.echo(f"{d.process_id} v{d.version} {state} ({d.source_name}, {d.sha256[:12]})")


@engine_cli.command("tick")
@click.option("--loop", is_flag=True, help="Keep ticking (for production).")
@click.option("--interval", default=60, show_default=True, type=click.IntRange(1),
              help="Seconds between ticks with --loop.")
def tick(loop, interval):
    """Fire due timers, send reminders and escalations, make the daily digests, send
    queued mail (retrying failures after their backoff), and anchor the
    audit trail when AUDIT_ANCHOR_MINUTES have passed. Each unit of work commits on its
    own, so the loop holds no transaction while it sleeps."""
    from app.audit_anchors import anchor_if_due
    from app.engine import tick as run_tick

    while True:
        try:
            report = run_tick()
            anchor = anchor_if_due()
        except Exception as exc:  # a daemon outlives a database restart
            if not loop:
                raise
            db.session.rollback()
            click.echo(f"tick failed: {exc}", err=True)
            time.sleep(interval)
            continue
        click.echo(f"timers fired: {report.timers_fired}, reminders: {report.reminders}, "
                   f"escalations: {report.escalations}, digests: {report.digests}, "
                   f"mails sent: {report.mails_sent}")
        for error in report.errors:
            click.echo(f"error: {error}", err=True)
        if anchor is not None:
            click.echo(f"audit anchored at event {anchor.last_id}")
        if not loop:
            break
        time.sleep(interval)
