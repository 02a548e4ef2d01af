"""The unit filter of the list pages at any size: up to UNIT_LIST_LIMIT units it is a
drop-down list; above, a search on a unit's code or name, so that no page carries every
unit of a ministry (2,740 units made a drop-down list of 216 KB on every dashboard view)."""
from __future__ import annotations

from sqlalchemy import func, or_, select

from app.extensions import db
from app.models.org import OrgUnit
from app.services.org.permissions import units_and_below

UNIT_LIST_LIMIT = 200


def choices(scope: set[int] | None = None) -> list | None:
    """(id, code, name) of the units (those of `scope`, or all) by code, as plain rows;
    None when there are more than UNIT_LIST_LIMIT: the filter is then a search."""
    stmt = select(OrgUnit.id, OrgUnit.code, OrgUnit.name).order_by(OrgUnit.code)
    if scope is not None:
        stmt = stmt.where(OrgUnit.id.in_(scope or {-1}))
    rows = db.session.execute(stmt.limit(UNIT_LIST_LIMIT + 1)).all()
    return rows if len(rows) <= UNIT_LIST_LIMIT else None


def code_of(unit_id: int | None) -> str:
    """The code of a unit a filter names by id (a link), shown as the search's text."""
    if unit_id is None:
        return ""
    return db.session.scalar(select(OrgUnit.code).where(OrgUnit.id == unit_id)) or ""


def unit_by_code(code: str) -> int | None:
    """The id of the unit with this code (a form's unit named by code): as typed, or
    else in any case when only one unit's code matches so."""
    code = code.strip()
    found = db.session.scalars(select(OrgUnit.id).where(OrgUnit.code == code)).all() or \
        db.session.scalars(select(OrgUnit.id).where(
            func.lower(OrgUnit.code) == code.lower())).all()
    return found[0] if len(found) == 1 else None


def searched(text: str) -> set[int]:
    """The units a search means, each with the units below it: the unit whose code is
    the text (any case: "a1.2" is A1.2, not A1.20), or else every unit whose code or name
    holds it (no wildcards: % and _ are themselves). Nothing found: the empty set."""
    wanted = text.strip().lower()
    if not wanted:
        return set()
    code = func.lower(OrgUnit.code)
    found = db.session.scalars(select(OrgUnit.id).where(code == wanted)).all()
    if not found:
        found = db.session.scalars(select(OrgUnit.id).where(or_(
            code.contains(wanted, autoescape=True),
            func.lower(OrgUnit.name).contains(wanted, autoescape=True)))).all()
    return units_and_below(found) if found else set()


def within_searched(column, text: str):
    """The condition `column` (a unit id) is one of the units the search means."""
    return column.in_(searched(text) or {-1})
