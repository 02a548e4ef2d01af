"""What people do with smart-working agreements, each in the caller's transaction with
its audit event: the employee requests one (or its renewal) and signs it, the head of
the unit authorises or refuses, the Secretary General grants or refuses an exception
beyond the limits, the employee reports each month, and the employee or the head of the
unit withdraws it.

A request starts the `smart_working_agreement` process (business key
`smart_working:<agreement id>`); the decisions come back here through its step handlers
(agreement_steps.py). Withdrawal brings the agreement's end forward: the process asks
for the report of the last month, up to the new end, and ends."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import Conflict, Forbidden

from app import audit, engine
from app.engine import clock
from app.extensions import db
from app.models.org import Role, User
from app.models.smart_working import AgreementStatus, SmartWorkingAgreement, SmartWorkingReport
from app.models.types import utcnow
from app.scoring import smart_working as rules
from app.services.org.permissions import ORG_WIDE, headed_units
from app.services.smart_working import policy as policies
from app.services.smart_working import remotability

PROCESS_ID = "smart_working_agreement"
PLACES, EQUIPMENT = ("home", "other"), ("administration", "own")
OPEN_STATUSES = (AgreementStatus.REQUESTED.value, AgreementStatus.EXCEPTION.value,
                 AgreementStatus.TO_SIGN.value, AgreementStatus.IN_FORCE.value)
DECISION_WITHIN = timedelta(days=10)  # the head's (and the SG's) task is due in 10 days
SIGN_WITHIN = timedelta(days=7)


class AgreementError(ValueError):
    """A refused request or decision; the message is meant for the user interface."""


@dataclass
class RequestData:
    starts_on: date
    ends_on: date
    pattern: dict[int, str]
    place: str
    equipment: str
    place_detail: str = ""
    own_equipment_safe: bool = False
    exception_reason: str = ""


def today() -> date:
    return clock.now().astimezone(_zone()).date()


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Rome"))


def get(agreement_id: int) -> SmartWorkingAgreement | None:
    return db.session.get(SmartWorkingAgreement, agreement_id)


def heads_unit_of(actor: User, agreement: SmartWorkingAgreement) -> bool:
    """The actor heads the agreement's unit or a unit above it."""
    return agreement.unit_id is not None and agreement.unit_id in headed_units(actor)


def may_view(actor: User, agreement: SmartWorkingAgreement) -> bool:
    return (actor.id == agreement.user_id or actor.has_role(*ORG_WIDE)
            or heads_unit_of(actor, agreement))


def may_withdraw(actor: User, agreement: SmartWorkingAgreement) -> bool:
    return agreement.status == AgreementStatus.IN_FORCE.value and (
        actor.id == agreement.user_id or heads_unit_of(actor, agreement))


def agreements_of(user: User) -> list[SmartWorkingAgreement]:
    return list(db.session.execute(
        select(SmartWorkingAgreement).where(SmartWorkingAgreement.user_id == user.id)
        .order_by(SmartWorkingAgreement.starts_on.desc(), SmartWorkingAgreement.id.desc())
    ).scalars())


def _month_label(day: date) -> str:
    return format_date(day, "MMMM y")


def _check_request(actor: User, data: RequestData, limits: rules.Limits) -> bool:
    """Refuse what cannot be asked; whether the request exceeds the limits."""
    if not actor.has_role(Role.EMPLOYEE) or actor.unit_id is None:
        raise AgreementError(_("Only members of staff with a unit may ask for smart working."))
    if data.starts_on < today():
        raise AgreementError(_("The agreement cannot start in the past."))
    if data.ends_on < data.starts_on:
        raise AgreementError(_("The agreement ends before it starts."))
    if (data.ends_on - data.starts_on).days >= 366:
        raise AgreementError(_("An agreement lasts at most one year: ask for its renewal then."))
    try:
        rules.check_pattern(data.pattern)
    except rules.PatternError:
        raise AgreementError(_("Choose at least one weekday, Monday to Friday, as a whole "
                               "day or a half-day.")) from None
    if data.place not in PLACES or (data.place == "other" and not data.place_detail.strip()):
        raise AgreementError(_("Say where you will work: at home, or the other place."))
    if data.equipment not in EQUIPMENT:
        raise AgreementError(_("Say whose equipment you will use."))
    if data.equipment == "own" and not data.own_equipment_safe:
        raise AgreementError(_("Your own equipment may be used only if it meets the "
                               "administration's security rules: confirm it does."))
    overlapping = db.session.scalar(select(SmartWorkingAgreement.id).where(
        SmartWorkingAgreement.user_id == actor.id,
        SmartWorkingAgreement.status.in_(OPEN_STATUSES),
        SmartWorkingAgreement.starts_on <= data.ends_on,
        SmartWorkingAgreement.ends_on >= data.starts_on).limit(1))
    if overlapping is not None:
        raise AgreementError(_("You already have an agreement or a request for these dates."))
    over = [p for p in rules.usage_by_period(data.pattern, data.starts_on, data.ends_on, limits)
            if not p.within]
    if over and not data.exception_reason.strip():
        first = over[0]
        raise AgreementError(_(
            "The days asked exceed the limits (at most %(days)s days or %(half)s half-days "
            "per %(period)s; from %(start)s: %(used)s days and %(used_half)s half-days). "
            "Ask fewer days, or give the reason for an exception, which the Secretary "
            "General decides.", days=limits.max_days, half=limits.max_half_days,
            period=period_label(limits.period), start=format_date(first.start, "d MMMM y"),
            used=first.usage.days, used_half=first.usage.half_days))
    return bool(over)


def period_label(period: str) -> str:
    return _("week") if period == rules.WEEK else _("month")


def request_agreement(actor: User, data: RequestData,
                      renewal_of: SmartWorkingAgreement | None = None) -> SmartWorkingAgreement:
    """Record the request and start its workflow (the head of the unit decides next).
    A person none of whose sub-processes is remotable is refused with the reason."""
    policy = policies.policy_of(policies.administration_of(actor))
    limits = policies.limits_of(policy)
    exceeds = _check_request(actor, data, limits)
    reason = remotability.refusal(actor)
    if reason is not None:
        raise AgreementError(reason)
    if renewal_of is not None and renewal_of.user_id != actor.id:
        raise Forbidden()
    row = SmartWorkingAgreement(
        user_id=actor.id, unit_id=actor.unit_id, status=AgreementStatus.REQUESTED.value,
        starts_on=data.starts_on, ends_on=data.ends_on,
        pattern={str(k): v for k, v in sorted(rules.check_pattern(data.pattern).items())},
        place=data.place, place_detail=data.place_detail.strip() or None,
        equipment=data.equipment, exceeds_limits=exceeds,
        exception_reason=data.exception_reason.strip() or None if exceeds else None,
        renewal_of_id=renewal_of.id if renewal_of else None, requested_at=utcnow())
    db.session.add(row)
    db.session.flush()
    audit.record("smart_working.request", actor=actor, obj=row, after={
        "starts_on": row.starts_on, "ends_on": row.ends_on, "pattern": row.pattern,
        "place": row.place, "equipment": row.equipment, "exceeds_limits": exceeds,
        "renewal_of": row.renewal_of_id})
    start_workflow(actor, row)
    return row


def start_workflow(actor: User, agreement: SmartWorkingAgreement) -> None:
    """The agreement's process: the head of the unit decides next."""
    engine.start(PROCESS_ID, business_key=f"smart_working:{agreement.id}", actor=actor, data={
        "employee_id": agreement.user_id, "unit_id": agreement.unit_id,
        "agreement_id": agreement.id, "exceeds_limits": agreement.exceeds_limits,
        "decision_due": (today() + DECISION_WITHIN).isoformat()})


def renewal_defaults(agreement: SmartWorkingAgreement) -> RequestData:
    """A renewal asks for the same terms from the day after the agreement ends."""
    starts = max(agreement.ends_on + timedelta(days=1), today())
    length = agreement.ends_on - agreement.starts_on
    return RequestData(starts_on=starts, ends_on=starts + length,
                       pattern=agreement.weekly_pattern, place=agreement.place,
                       equipment=agreement.equipment, place_detail=agreement.place_detail or "")


def _require_status(agreement: SmartWorkingAgreement, *statuses: AgreementStatus) -> None:
    if agreement.status not in {s.value for s in statuses}:
        raise Conflict(description=_("This agreement has changed meanwhile: reload the page."))


def decide(actor: User, agreement: SmartWorkingAgreement, authorised: bool, note: str) -> None:
    """The head of the unit's decision; a refusal says why."""
    _require_status(agreement, AgreementStatus.REQUESTED)
    note = (note or "").strip()
    if not authorised and not note:
        raise AgreementError(_("Give the reason for the refusal."))
    if authorised:
        exception = agreement.exceeds_limits
        agreement.status = (AgreementStatus.EXCEPTION if exception else AgreementStatus.TO_SIGN).value
    else:
        agreement.status = AgreementStatus.REFUSED.value
    agreement.decided_by_id, agreement.decided_at = actor.id, utcnow()
    agreement.decision_note = note or None
    db.session.flush()
    audit.record("smart_working.decide", actor=actor, obj=agreement,
                 before={"status": AgreementStatus.REQUESTED.value},
                 after={"status": agreement.status, "note": agreement.decision_note})


def decide_exception(actor: User, agreement: SmartWorkingAgreement, approved: bool,
                     note: str) -> None:
    """The Secretary General's decision on days beyond the limits."""
    if not actor.has_role(Role.SECRETARY_GENERAL):
        raise Forbidden()
    _require_status(agreement, AgreementStatus.EXCEPTION)
    note = (note or "").strip()
    if not approved and not note:
        raise AgreementError(_("Give the reason for the refusal."))
    agreement.status = (AgreementStatus.TO_SIGN if approved else AgreementStatus.REFUSED).value
    agreement.exception_by_id, agreement.exception_at = actor.id, utcnow()
    agreement.exception_note = note or None
    db.session.flush()
    audit.record("smart_working.exception", actor=actor, obj=agreement,
                 before={"status": AgreementStatus.EXCEPTION.value},
                 after={"status": agreement.status, "note": agreement.exception_note})


def acknowledge(actor: User, agreement: SmartWorkingAgreement) -> None:
    """The employee signs: the agreement is in force."""
    if actor.id != agreement.user_id:
        raise Forbidden()
    _require_status(agreement, AgreementStatus.TO_SIGN)
    agreement.status, agreement.acknowledged_at = AgreementStatus.IN_FORCE.value, utcnow()
    db.session.flush()
    audit.record("smart_working.sign", actor=actor, obj=agreement,
                 before={"status": AgreementStatus.TO_SIGN.value},
                 after={"status": agreement.status})


def sign_due() -> str:
    return (today() + SIGN_WITHIN).isoformat()


def report_schedule(agreement: SmartWorkingAgreement, month: date) -> dict:
    """The task data of the report of `month`: when it opens (the first moment of the next
    month, local time), when it is due, and whether a month follows it."""
    policy = policies.policy_of(agreement.unit.administration_id if agreement.unit else None)
    following = rules.next_month(month)
    opens = datetime.combine(following, time(0), _zone())
    return {"report_month": month.isoformat(), "report_opens_at": opens.isoformat(),
            "report_due": (following + timedelta(days=policy.report_due_days - 1)).isoformat()}


def planned_usage(agreement: SmartWorkingAgreement, first: date, last: date) -> rules.Usage:
    """The remote days the agreement plans between two dates (cut to the agreement)."""
    start, end = max(first, agreement.starts_on), min(last, agreement.ends_on)
    if start > end:
        return rules.Usage()
    return rules.usage(rules.remote_dates(agreement.weekly_pattern, start, end))


def record_report(actor: User, agreement: SmartWorkingAgreement, month: date, days: int,
                  half_days: int, activities: str, problems: str) -> SmartWorkingReport:
    """The report of one month; more remote time than the agreement plans in that month
    (half-days counting half) is refused."""
    if actor.id != agreement.user_id:
        raise Forbidden()
    activities = (activities or "").strip()
    if not activities:
        raise AgreementError(_("Describe the work done."))
    last = rules.next_month(month) - timedelta(days=1)
    planned = planned_usage(agreement, month, last)
    worked = rules.Usage(days, half_days)
    if days < 0 or half_days < 0 or worked.day_equivalent > planned.day_equivalent:
        raise AgreementError(_("The agreement plans %(days)s days and %(half)s half-days "
                               "remotely in this month: report at most those.",
                               days=planned.days, half=planned.half_days))
    row = db.session.execute(select(SmartWorkingReport).where(
        SmartWorkingReport.agreement_id == agreement.id, SmartWorkingReport.month == month)
    ).scalar_one_or_none() or SmartWorkingReport(agreement_id=agreement.id, month=month)
    row.days, row.half_days, row.activities = days, half_days, activities
    row.problems, row.submitted_at = (problems or "").strip() or None, utcnow()
    db.session.add(row)
    db.session.flush()
    audit.record("smart_working.report", actor=actor, obj=row,
                 after={"agreement": agreement.id, "month": month, "days": days,
                        "half_days": half_days})
    return row


def withdraw(actor: User, agreement: SmartWorkingAgreement, reason: str, effective: date,
             version: int | None = None) -> None:
    """The employee or the head of the unit ends the agreement early, from `effective`
    (today at the earliest); the report of the last month is still asked for."""
    if not (actor.id == agreement.user_id or heads_unit_of(actor, agreement)):
        raise Forbidden()
    if version is not None and version != agreement.version:
        raise Conflict(description=_("This agreement has changed meanwhile: reload the page."))
    _require_status(agreement, AgreementStatus.IN_FORCE)
    reason = (reason or "").strip()
    if not reason:
        raise AgreementError(_("Give the reason for the withdrawal."))
    if effective < today() or effective > agreement.ends_on:
        raise AgreementError(_("The withdrawal takes effect between today and the end of "
                               "the agreement."))
    before = {"status": agreement.status, "ends_on": agreement.ends_on}
    agreement.status, agreement.ends_on = AgreementStatus.WITHDRAWN.value, effective
    agreement.withdrawn_by_id, agreement.withdrawn_at = actor.id, utcnow()
    agreement.withdrawal_reason = reason
    db.session.flush()
    audit.record("smart_working.withdraw", actor=actor, obj=agreement, before=before,
                 after={"status": agreement.status, "ends_on": effective, "reason": reason})
