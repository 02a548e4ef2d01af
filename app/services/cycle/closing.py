"""The cycle's last steps, once the OIV's validation is attached to the Report: the
rewards computed from the fund the Report states (a background job the master waits
for), the Secretary General's approval, the Board's confirmation of the fund, and the
publication that closes the cycle."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import audit
from app.extensions import db
from app.models.cycle import BoardDeliberation, DeliberationSubject
from app.models.engine import ProcessInstance
from app.models.org import Role, User
from app.models.plan import Cycle, CycleStatus
from app.services.cycle.deliberations import DeliberationInput, record_deliberation
from app.services.cycle.operations import remark
from app.services.cycle.report import require_validated
from app.services.evaluation import rewards
from app.services.org.permissions import require_role
from app.services.plan.access import ensure_plan_editor

# The message the master waits for once the rewards' job has distributed every pool.
REWARDS_COMPUTED = "rewards_computed"


def compute_rewards(actor: User, cycle: Cycle, master: ProcessInstance):
    """Record the job distributing the fund the validated Report states (only after the
    OIV's validation); the master waits for its end message."""
    require_validated(cycle, _l("Bonuses need the OIV's validation of the Report."))
    return rewards.compute(actor, cycle, parent=master, message=REWARDS_COMPUTED)


def approve_rewards(actor: User, cycle: Cycle, approved: bool, reason: str | None) -> None:
    if approved:
        rewards.approve(actor, cycle)
    else:
        require_role(actor, Role.SECRETARY_GENERAL)
        remark(actor, cycle, "cycle_rewards_approval", "rewards", reason)


def confirm_fund(actor: User, cycle: Cycle, data: DeliberationInput) -> BoardDeliberation:
    row = record_deliberation(actor, cycle, DeliberationSubject.FUND, data, "rewards")
    if data.approved:
        rewards.confirm(actor, cycle, row.number)
    return row


def publish(actor: User, cycle: Cycle) -> None:
    """Close the cycle: its aggregated data appear on the transparency page."""
    ensure_plan_editor(actor)
    require_validated(cycle, _l("The Report has not been validated."))
    before = cycle.status
    cycle.status = CycleStatus.CLOSED.value
    db.session.flush()
    audit.record("cycle.publish", actor=actor, obj=cycle, before={"status": before},
                 after={"status": cycle.status})
