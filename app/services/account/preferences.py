"""The signed-in person's own settings. Today one: whether to receive reminders of tasks
coming due. Assignments and escalations are always sent (app.notify);
only reminders can be turned off. Every change is audited."""
from __future__ import annotations

from app import audit
from app.models.org import User


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
