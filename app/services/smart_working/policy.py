"""The administration's smart-working policy: the period the limits count over (a month
by default, or a week), the maximum whole days and half-days in it (8 and 16), how many
days after a month its report is due, and how a sub-process's four remotability
conditions make its score (their minimum by default, or their mean) with the threshold
of a remotable one (2). One row per administration; until an
administrator saves one, the defaults of PIAO.md apply."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models.org import Role, User
from app.models.smart_working import SmartWorkingPolicy
from app.models.types import utcnow
from app.scoring.smart_working import MINIMUM, PERIODS, SCORE_RULES, Limits
from app.services.org.permissions import require_role

EDITORS = (Role.ADMIN, Role.SUPPORT_UNIT)
DEFAULT_THRESHOLD = Decimal(2)


class PolicyError(ValueError):
    """Refused settings; the message is meant for the user interface."""


def policy_of(administration_id: int | None) -> SmartWorkingPolicy:
    """The saved policy, or an unsaved one holding the defaults."""
    row = db.session.execute(select(SmartWorkingPolicy).where(
        SmartWorkingPolicy.administration_id == administration_id)).scalar_one_or_none()
    return row or SmartWorkingPolicy(administration_id=administration_id, period="month",
                                     max_days=8, max_half_days=16, report_due_days=10,
                                     score_rule=MINIMUM, threshold=DEFAULT_THRESHOLD)


def limits_of(policy: SmartWorkingPolicy) -> Limits:
    return Limits(policy.max_days, policy.max_half_days, policy.period)


def administration_of(user: User) -> int | None:
    return user.unit.administration_id if user.unit is not None else None


def save_policy(actor: User, administration_id: int, *, period: str, max_days: int,
                max_half_days: int, report_due_days: int, score_rule: str,
                threshold: Decimal) -> SmartWorkingPolicy:
    require_role(actor, *EDITORS)
    if period not in PERIODS:
        raise PolicyError(_l("Choose the period the limits count over."))
    if not (0 <= max_days <= 31 and 0 <= max_half_days <= 62):
        raise PolicyError(_l("The limits are at most 31 days and 62 half-days."))
    if max_days == 0 and max_half_days == 0:
        raise PolicyError(_l("Allow at least some days or half-days."))
    if not 1 <= report_due_days <= 31:
        raise PolicyError(_l("The report is due 1 to 31 days after the month."))
    if score_rule not in SCORE_RULES:
        raise PolicyError(_l("Choose how the four conditions make the score."))
    if threshold is None or not Decimal(0) <= threshold <= Decimal(5):
        raise PolicyError(_l("The remotability threshold is between 0 and 5."))
    row = policy_of(administration_id)
    before = {"period": row.period, "max_days": row.max_days,
              "max_half_days": row.max_half_days, "report_due_days": row.report_due_days,
              "score_rule": row.score_rule, "threshold": row.threshold}
    row.period, row.max_days, row.max_half_days = period, max_days, max_half_days
    row.report_due_days, row.updated_by_id, row.updated_at = report_due_days, actor.id, utcnow()
    row.score_rule, row.threshold = score_rule, threshold
    db.session.add(row)
    db.session.flush()
    audit.record("smart_working.policy", actor=actor, obj=row, before=before,
                 after={"period": period, "max_days": max_days, "max_half_days": max_half_days,
                        "report_due_days": report_due_days, "score_rule": score_rule,
                        "threshold": threshold})
    return row
