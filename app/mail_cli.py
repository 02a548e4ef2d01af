"""`flask mail digest`: send each person's held task messages as one digest."""
from __future__ import annotations

import click
from flask.cli import AppGroup

mail_cli = AppGroup("mail", help="Task e-mails.")


@mail_cli.command("digest")
@click.option("--include-today", is_flag=True,
              help="Also bundle the messages held today (by default only earlier days').")
def digest(include_today):
    """Bundle the messages held for the daily digest into one per person and send the
    queued mail. `flask engine tick` does the same for the days before today."""
    from app import mailer
    from app.models.types import utcnow
    from app.notify import day_start

    until = utcnow() if include_today else day_start(utcnow())
    made = mailer.send_digests(until)
    sent = mailer.dispatch()
    click.echo(f"digests: {made}, mails sent: {sent}")
