"""What the agreements add up to: the calendar of a unit (who works remotely on which
day of a month, from the agreements in force) and the figures the integrated plan's
monitoring reads (per unit and per category: the people with an agreement in the year,
the remote days the agreements plan and the days used as the monthly reports give
them, half-days counting half), also as an Excel workbook.

Who reads: the calendar of a unit is open to its members, to the heads of the unit or
of a unit above it, and to the organisation-wide roles; the figures to the
organisation-wide roles and the Board. Anyone else gets Forbidden."""
from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Forbidden

from app.extensions import db
from app.models.org import OrgUnit, Role, User
from app.models.smart_working import AgreementStatus, SmartWorkingAgreement
from app.scoring import smart_working as rules
from app.services.org.permissions import ORG_WIDE, headed_units, unit_and_below
from app.services.reports.excel import add_sheet, new_workbook, workbook_bytes  # the shared layout

# Agreements that were (or are) in force: signed, possibly withdrawn since.
SIGNED = (AgreementStatus.IN_FORCE.value, AgreementStatus.WITHDRAWN.value)


def calendar_units(actor: User) -> list[OrgUnit]:
    """The units whose calendar the actor may read."""
    units = db.session.execute(select(OrgUnit).order_by(OrgUnit.code)).scalars().all()
    if actor.has_role(*ORG_WIDE):
        return list(units)
    allowed = headed_units(actor) | ({actor.unit_id} if actor.unit_id else set())
    return [u for u in units if u.id in allowed]


def _signed_between(first: date, last: date, unit_ids: set[int] | None):
    stmt = select(SmartWorkingAgreement).options(
        selectinload(SmartWorkingAgreement.user), selectinload(SmartWorkingAgreement.unit),
        selectinload(SmartWorkingAgreement.reports)).where(
        SmartWorkingAgreement.status.in_(SIGNED), SmartWorkingAgreement.starts_on <= last,
        SmartWorkingAgreement.ends_on >= first)
    if unit_ids is not None:
        stmt = stmt.where(SmartWorkingAgreement.unit_id.in_(unit_ids))
    return list(db.session.execute(stmt).scalars())


@dataclass
class CalendarRow:
    person: User
    parts: dict[date, str] = field(default_factory=dict)


def month_calendar(actor: User, unit: OrgUnit, month: date) -> tuple[list[date], list[CalendarRow]]:
    """The days of the month and, for each person of the unit (and the units below) with
    an agreement in force in it, the part of each remote day."""
    if unit.id not in {u.id for u in calendar_units(actor)}:
        raise Forbidden()
    first = rules.month_start(month)
    last = first.replace(day=monthrange(first.year, first.month)[1])
    rows: dict[int, CalendarRow] = {}
    for agreement in _signed_between(first, last, unit_and_below(unit.id)):
        row = rows.setdefault(agreement.user_id, CalendarRow(agreement.user))
        start, end = max(first, agreement.starts_on), min(last, agreement.ends_on)
        row.parts.update(rules.remote_dates(agreement.weekly_pattern, start, end))
    days = [first.replace(day=n) for n in range(1, last.day + 1)]
    return days, sorted(rows.values(), key=lambda r: (r.person.last_name, r.person.first_name))


def may_read_figures(actor: User) -> bool:
    return actor.has_role(*ORG_WIDE, Role.BOARD)


@dataclass
class Figure:
    label: str
    people: set[int] = field(default_factory=set)
    planned: Decimal = Decimal(0)
    used: Decimal = Decimal(0)


def _used_in(agreement: SmartWorkingAgreement, year: int) -> Decimal:
    return sum((rules.Usage(r.days, r.half_days).day_equivalent for r in agreement.reports
                if r.month.year == year), Decimal(0))


def year_figures(actor: User, year: int) -> tuple[list[Figure], list[Figure], Figure]:
    """Per unit, per category and in total: people with an agreement in force in the
    year, planned remote days and days used."""
    if not may_read_figures(actor):
        raise Forbidden()
    return figures_of_year(year)


def figures_of_year(year: int) -> tuple[list[Figure], list[Figure], Figure]:
    """year_figures without the reader's check, for documents whose callers decide who
    reads them (the integrated plan shows the total)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    by_unit: dict[str, Figure] = {}
    by_category: dict[str, Figure] = {}
    total = Figure(_("Total"))
    for agreement in _signed_between(first, last, None):
        start, end = max(first, agreement.starts_on), min(last, agreement.ends_on)
        planned = rules.usage(rules.remote_dates(agreement.weekly_pattern, start, end)).day_equivalent
        used = _used_in(agreement, year)
        unit = agreement.unit
        keys = ((by_unit, f"{unit.code} {unit.name}" if unit else _("No unit")),
                (by_category, agreement.user.category))
        for groups, label in keys:
            figure = groups.setdefault(label, Figure(label))
            figure.people.add(agreement.user_id)
            figure.planned += planned
            figure.used += used
        total.people.add(agreement.user_id)
        total.planned += planned
        total.used += used
    return (sorted(by_unit.values(), key=lambda f: f.label),
            sorted(by_category.values(), key=lambda f: f.label), total)


def figures_workbook(actor: User, year: int) -> bytes:
    units, categories, total = year_figures(actor, year)
    columns = [(_("People with an agreement"), "integer"), (_("Remote days planned"), "number"),
               (_("Remote days used"), "number")]
    workbook = new_workbook()
    for title, first, groups in ((_("Per unit"), _("Unit"), units),
                                 (_("Per category"), _("Category"), categories)):
        rows = [(f.label, len(f.people), f.planned, f.used) for f in [*groups, total]]
        add_sheet(workbook, title, [(first, "text"), *columns], rows)
    return workbook_bytes(workbook)
