"""The signed-in person's own settings: whether to receive reminders of tasks coming
due (assignments and escalations are always sent, app.notify), and whether task
messages come one per task, as a daily digest, or automatically (a digest once a day
brings more than app.notify.DIGEST_THRESHOLD). Every change is audited."""
from __future__ import annotations

from app import audit
from app.models.org import User
from app.notify import MAIL_MODES


def set_mail_mode(actor: User, mode: str | None) -> bool:
    """"each", "digest", or None (automatic); True when something changed. The caller
    commits. An unknown mode is refused with ValueError."""
    mode = mode or None
    if mode is not None and mode not in MAIL_MODES:
        raise ValueError(mode)
    if actor.mail_mode == mode:
        return False
    before = {"mail_mode": actor.mail_mode}
    actor.mail_mode = mode
    audit.record("user.mail_mode", actor=actor, obj=actor, before=before,
                 after={"mail_mode": mode})
    return True


def set_reminders_opt_out(actor: User, opt_out: bool) -> bool:
    """Turn the actor's own reminders off (True) or back on; True when something
    changed. The caller commits."""
    opt_out = bool(opt_out)
    if bool(actor.reminders_opt_out) == opt_out:
        return False
    before = {"reminders_opt_out": bool(actor.reminders_opt_out)}
    actor.reminders_opt_out = opt_out
    audit.record("user.reminders_opt_out", actor=actor, obj=actor, before=before,
                 after={"reminders_opt_out": opt_out})
    return True
