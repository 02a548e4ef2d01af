"""The demo administration's transparency: the default grid of obligations, most published
recently and a few late (their owners have an update task), and the OIV's attestation of
the year opened on ten obligations (the OIV has the grid to fill)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.engine import clock
from app.extensions import db
from app.models.org import Role, User, UserRole
from app.models.plan import Cycle
from app.services.transparency import attestation, grid, updates

LATE = ("PE02", "PA01", "BC01")  # published long ago: their update is late
ATTESTED = ("DG01", "OR01", "OR02", "CC01", "PE01", "BC01", "GC01", "SC01", "BI01", "PA01")


def load(cycle: Cycle) -> None:
    today = clock.now().date()
    for obligation in grid.ensure_default_grid(cycle.administration_id):
        days = 400 if obligation.code in LATE else 10 + len(obligation.code) * 2
        obligation.last_published = today - timedelta(days=days)
    updates.open_due_updates(cycle.administration_id, today)
    support = db.session.execute(select(User).join(UserRole).where(
        UserRole.role == Role.SUPPORT_UNIT.value).order_by(User.id)).scalars().first()
    ids = [o.id for o in grid.grid(cycle.administration_id) if o.code in ATTESTED]
    attestation.open_attestation(support, cycle.administration_id, cycle.year, ids,
                                 "zero_to_three", date(cycle.year + 1, 4, 30))
    db.session.commit()
