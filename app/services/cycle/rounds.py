"""Monitoring rounds: the cycle's calendar lists its rounds (by default the intermediate
round of monitoring_start / monitoring_due; an administration adds others, e.g. 30
September), which the master process opens one after the other; the support unit or the
OIV opens extra rounds at any time after the plan is adopted. Each round starts, through
app.services.cycle.children, one `monitoring` child per area and one `individual_check`
per evaluator; an extra round has its own `monitoring_round` instance as their parent,
whose last step is the support unit's consolidation.

The children's business keys begin with `monitoring_round:<round id>:`, which is how a
child's task finds its round (round_of)."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import audit, engine
from app.extensions import db
from app.models.engine import ProcessInstance
from app.models.monitoring import MonitoringEntry, MonitoringRound, RoundKind, RoundStatus
from app.models.org import Role, User
from app.models.plan import Cycle, CycleStatus, PlanStatus
from app.models.types import utcnow
from app.services.org.permissions import require_role
from app.services.plan.access import ensure_plan_editor

ROUND_PROCESS = "monitoring_round"
OPENERS = (Role.SUPPORT_UNIT, Role.OIV)


class RoundError(ValueError):
    """A refused round operation; the message is meant for the user interface."""


def rounds(cycle: Cycle) -> list[MonitoringRound]:
    """Opened rounds by number, then the planned ones by date."""
    return list(db.session.execute(
        select(MonitoringRound).where(MonitoringRound.cycle_id == cycle.id)
        .order_by(MonitoringRound.number.is_(None), MonitoringRound.number,
                  MonitoringRound.opens_on, MonitoringRound.id)).scalars())


def ensure_calendar(cycle: Cycle) -> None:
    """A cycle without calendar rounds gets the default one: the intermediate round."""
    if any(r.kind == RoundKind.CALENDAR.value for r in rounds(cycle)):
        return
    db.session.add(MonitoringRound(
        cycle_id=cycle.id, label=_("Intermediate monitoring"), kind=RoundKind.CALENDAR.value,
        status=RoundStatus.PLANNED.value, opens_on=cycle.monitoring_start, due=cycle.monitoring_due))
    db.session.flush()


def add_calendar_round(actor: User, cycle: Cycle, label: str, opens_on: date, due: date) -> MonitoringRound:
    """Another round in the cycle's calendar (e.g. 30 September), opened by the master
    process after the rounds before it."""
    ensure_plan_editor(actor)
    label = (label or "").strip()
    if not label or not isinstance(opens_on, date) or not isinstance(due, date):
        raise RoundError(_l("A round needs a name, an opening date and a due date."))
    if due < opens_on:
        raise RoundError(_l("The round is due before it opens."))
    if cycle.status == CycleStatus.CLOSED.value:
        raise RoundError(_l("The cycle is closed."))
    ensure_calendar(cycle)
    row = MonitoringRound(cycle_id=cycle.id, label=label, kind=RoundKind.CALENDAR.value,
                          status=RoundStatus.PLANNED.value, opens_on=opens_on, due=due)
    db.session.add(row)
    db.session.flush()
    audit.record("monitoring.round.plan", actor=actor, obj=row,
                 after={"label": label, "opens_on": opens_on, "due": due})
    return row


def next_calendar_round(cycle: Cycle) -> MonitoringRound | None:
    planned = [r for r in rounds(cycle)
               if r.kind == RoundKind.CALENDAR.value and r.status == RoundStatus.PLANNED.value]
    return planned[0] if planned else None


def _open(actor: User, row: MonitoringRound) -> None:
    row.number = (db.session.scalar(select(func.max(MonitoringRound.number)).where(
        MonitoringRound.cycle_id == row.cycle_id)) or 0) + 1
    row.status, row.opened_by_id, row.opened_at = RoundStatus.OPEN.value, actor.id, utcnow()
    db.session.flush()
    audit.record("monitoring.round.open", actor=actor, obj=row,
                 after={"number": row.number, "label": row.label, "kind": row.kind,
                        "due": row.due})


def open_calendar_round(actor: User, cycle: Cycle, master: ProcessInstance) -> MonitoringRound:
    """The master's next calendar round: its children report to the master."""
    from app.services.cycle import children

    ensure_plan_editor(actor)
    ensure_calendar(cycle)
    row = next_calendar_round(cycle)
    if row is None:
        raise RoundError(_l("The calendar has no monitoring round left."))
    _open(actor, row)
    children.start_monitoring(actor, cycle, master, row)
    return row


def open_extra_round(actor: User, cycle: Cycle, label: str, due: date) -> MonitoringRound:
    """An extra round opened by the support unit or the OIV while the cycle runs, after
    the plan is adopted; its own process instance waits for its children, then asks the
    support unit to consolidate."""
    from app.services.cycle import children

    require_role(actor, *OPENERS)
    label = (label or "").strip()
    if not label or not isinstance(due, date):
        raise RoundError(_l("A round needs a name and a due date."))
    if cycle.status != CycleStatus.RUNNING.value:
        raise RoundError(_l("Extra rounds are opened while the cycle runs."))
    if cycle.plan is None or cycle.plan.status == PlanStatus.DRAFT.value:
        raise RoundError(_l("Extra rounds are opened once the plan is adopted."))
    row = MonitoringRound(cycle_id=cycle.id, label=label, kind=RoundKind.EXTRA.value,
                          opens_on=date.today(), due=due)
    db.session.add(row)
    db.session.flush()
    _open(actor, row)
    parent = engine.start(ROUND_PROCESS, business_key=f"{ROUND_PROCESS}:{row.id}", actor=actor,
                          data={"cycle_id": cycle.id, "round_id": row.id,
                                "monitoring_due": due.isoformat()})
    children.start_monitoring(actor, cycle, parent, row)
    return row


def round_of(instance: ProcessInstance) -> MonitoringRound:
    """The round a child (or an extra round's own instance) belongs to. A monitoring
    started before rounds existed (business key monitoring:<cycle>:<area>) belongs to its
    cycle's current calendar round, round 1 since the migration."""
    prefix, _sep, rest = instance.business_key.partition(":")
    if prefix == ROUND_PROCESS:
        row = db.session.get(MonitoringRound, int(rest.split(":")[0]))
    else:
        cycle = db.session.get(Cycle, instance.cycle_id) if instance.cycle_id else None
        row = current_round(cycle) if cycle else None
    if row is None:
        raise RoundError(_l("This task belongs to no monitoring round."))
    return row


def current_round(cycle: Cycle) -> MonitoringRound | None:
    """The calendar round the master is in (the last one opened)."""
    opened = [r for r in rounds(cycle) if r.kind == RoundKind.CALENDAR.value and r.number]
    return opened[-1] if opened else None


def close_round(actor: User, row: MonitoringRound, note: str | None) -> None:
    """The support unit's consolidation ends the round."""
    ensure_plan_editor(actor)
    if row.status != RoundStatus.OPEN.value:
        raise RoundError(_l("The round is not open."))
    row.status, row.closed_at = RoundStatus.CLOSED.value, utcnow()
    row.consolidation_note = (note or "").strip() or None
    db.session.flush()
    audit.record("monitoring.round.close", actor=actor, obj=row,
                 before={"status": RoundStatus.OPEN.value},
                 after={"status": row.status, "note": row.consolidation_note})


def next_round_data(cycle: Cycle) -> dict:
    """What the master's loop gateway reads: whether a calendar round is left, and its
    dates for the due dates of the next round's tasks."""
    row = next_calendar_round(cycle)
    if row is None:
        return {"more_rounds": False}
    return {"more_rounds": True, "monitoring_start": row.opens_on.isoformat(),
            "monitoring_due": row.due.isoformat()}


def record_entry(actor: User, row: MonitoringRound, indicator) -> MonitoringEntry:
    """Keep the indicator's monitoring as just recorded (app.services.plan's
    record_monitoring) as this round's entry, so later rounds leave it as it was."""
    if row.status != RoundStatus.OPEN.value:
        raise RoundError(_l("The round is not open."))
    entry = db.session.execute(select(MonitoringEntry).where(
        MonitoringEntry.round_id == row.id, MonitoringEntry.indicator_id == indicator.id)
    ).scalar_one_or_none() or MonitoringEntry(round_id=row.id, indicator_id=indicator.id)
    entry.value, entry.forecast = indicator.monitoring_value, indicator.monitoring_forecast
    entry.at_risk, entry.note = bool(indicator.at_risk), indicator.monitoring_note
    entry.recorded_by_id, entry.recorded_at = actor.id, utcnow()
    db.session.add(entry)
    db.session.flush()
    audit.record("monitoring.entry", actor=actor, obj=entry,
                 after={"round": row.number, "indicator": indicator.code, "at_risk": entry.at_risk})
    return entry


def reader_scope(actor: User) -> set[int] | None:
    """Who reads the rounds: every unit (None) for the support unit, the OIV, the
    Secretary General, the Admin and the Board; a manager's or supervisor's own units;
    anyone else is refused (403)."""
    from app.services.org.permissions import ORG_WIDE, units_in_scope

    if actor.has_role(*ORG_WIDE, Role.BOARD):
        return None
    if not actor.has_role(Role.MANAGER, Role.SUPERVISOR):
        require_role(actor, *ORG_WIDE, Role.BOARD)
    return units_in_scope(actor)


def visible_results(actor: User, cycle: Cycle) -> list[tuple[MonitoringRound, list, list]]:
    """Every round with the entries and individual checks the actor may see (a manager:
    the indicators of their units, the people they check or have in scope)."""
    scope = reader_scope(actor)
    result = []
    for row in rounds(cycle):
        entries = [e for e in row.entries
                   if scope is None or e.indicator.objective.owner_unit_id in scope]
        checks = [c for c in row.checks if scope is None or c.checker_id == actor.id
                  or c.user.unit_id in scope]
        result.append((row, sorted(entries, key=lambda e: e.indicator.code), checks))
    return result
