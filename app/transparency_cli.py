"""`flask transparency due`: open the owners' update tasks of the publication obligations
whose update falls due (run it daily, beside `flask engine tick`); idempotent."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db

transparency_cli = AppGroup("transparency", help="The transparency obligations.")


@transparency_cli.command("due")
def due():
    """Open a task for every obligation whose update falls due."""
    from app.engine import clock
    from app.models.org import Administration
    from app.services.transparency.updates import open_due_updates

    today = clock.now().date()
    started = 0
    for administration_id in db.session.execute(select(Administration.id)).scalars():
        started += open_due_updates(administration_id, today)
    db.session.commit()
    click.echo(f"{started} update tasks opened.")
