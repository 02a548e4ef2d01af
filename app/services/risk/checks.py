"""The RPCT's checks table (PIAO.md: "Determina di affidamento | MGU33 | A campione |
Annuale") and what each period's check found. A check falls due at the end of each
period of its periodicity; one without periodicity ("-", every case as it comes) is
accounted for once, at year end. Each check runs as its own small process
(workflows/risk_check.bpmn) whose task comes back due at the next period's end."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models.org import Role, User
from app.models.risk_register import (
    CheckMethod,
    CheckOutcome,
    PeriodicCheck,
    Periodicity,
    RiskYear,
)
from app.services.org.permissions import require_role
from app.services.risk.access import ensure_editor
from app.services.risk.errors import RiskError
from app.services.risk.years import ensure_draft

_PERIOD_MONTHS = {Periodicity.MONTHLY.value: 1, Periodicity.QUARTERLY.value: 3,
                  Periodicity.HALF_YEARLY.value: 6, Periodicity.YEARLY.value: 12,
                  Periodicity.NONE.value: 12}


def due_dates(year: int, periodicity: str) -> list[date]:
    """The ends of the periods of a year: (2023, "quarterly") -> 31/3, 30/6, 30/9, 31/12."""
    step = _PERIOD_MONTHS[periodicity]
    return [date(year, month, calendar.monthrange(year, month)[1])
            for month in range(step, 13, step)]


def next_due(year: int, periodicity: str, after: date) -> date | None:
    return next((d for d in due_dates(year, periodicity) if d > after), None)


@dataclass(frozen=True)
class CheckData:
    process_name: str
    measure_code: str
    method: str
    periodicity: str


def save_check(actor: User, year: RiskYear, data: CheckData,
               check: PeriodicCheck | None = None) -> PeriodicCheck:
    """A row of the checks table of a draft year."""
    ensure_editor(actor)
    ensure_draft(year)
    if not data.process_name.strip() or not data.measure_code.strip():
        raise RiskError(_l("Give the process and the measure's code."))
    if data.method not in {m.value for m in CheckMethod} or data.periodicity not in _PERIOD_MONTHS:
        raise RiskError(_l("Choose the method and the periodicity."))
    if check is None:
        check = PeriodicCheck(year_id=year.id, position=len(year.checks))
        db.session.add(check)
    check.process_name, check.measure_code = data.process_name.strip(), data.measure_code.strip()
    check.method, check.periodicity = data.method, data.periodicity
    db.session.flush()
    audit.record("risk.check.save", actor=actor, obj=check,
                 after={"process": check.process_name, "measure": check.measure_code,
                        "method": check.method, "periodicity": check.periodicity})
    return check


def record_outcome(actor: User, check: PeriodicCheck, due: date, cases_checked: int,
                   irregular_cases: int, note: str | None) -> CheckOutcome:
    """What the check of the period ending on `due` found."""
    require_role(actor, Role.RPCT)
    if cases_checked < 0 or not 0 <= irregular_cases <= cases_checked:
        raise RiskError(_l("The irregular cases are between none and the cases checked."))
    if irregular_cases and not (note or "").strip():
        raise RiskError(_l("Describe the irregularities found."))
    outcome = db.session.execute(select(CheckOutcome).where(
        CheckOutcome.check_id == check.id, CheckOutcome.due == due)).scalar_one_or_none()
    if outcome is None:
        outcome = CheckOutcome(check_id=check.id, due=due)
        db.session.add(outcome)
    outcome.cases_checked, outcome.irregular_cases = cases_checked, irregular_cases
    outcome.note, outcome.recorded_by_id = (note or "").strip() or None, actor.id
    db.session.flush()
    audit.record("risk.check.outcome", actor=actor, obj=outcome,
                 after={"check_id": check.id, "due": due, "cases_checked": cases_checked,
                        "irregular_cases": irregular_cases})
    return outcome
