"""`flask users set-password EMAIL`: set a password from the server's console, for the
first administrator or one who is locked out. The password is asked twice, never taken
on the command line (it would stay in the shell history), and meets the policy."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db

users_cli = AppGroup("users", help="People who sign in.")


@users_cli.command("set-password")
@click.argument("email")
@click.password_option("--password", prompt="New password",
                       help="Asked twice when omitted (recommended).")
def users_set_password(email: str, password: str):
    """Set EMAIL's password and end the person's sessions."""
    from app.models.org import User
    from app.services.org.errors import OrgError
    from app.services.org.passwords import set_password_from_console

    user = db.session.execute(
        select(User).where(User.email == email.strip().lower())).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"No user has the e-mail address {email}.")
    try:
        set_password_from_console(user, password)
    except OrgError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Password set for {user.email}; their sessions have been signed out.")
