"""Who opened whose evaluation, objectives or bonus. Views call record() when they show
another person's data; a person looking at their own data is not logged."""
from __future__ import annotations

import csv
import io

from sqlalchemy import insert, select

from app.extensions import db
from app.models.privacy import AccessKind, PersonalDataAccess

# A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def record(viewer, subjects, what: AccessKind, page: str, cycle=None) -> int:
    """Log that `viewer` opened the data of each of `subjects` (users or ids) on `page`.
    The caller commits. Returns how many rows were written."""
    ids = {getattr(s, "id", s) for s in subjects} - {viewer.id, None}
    if ids:  # one multi-row INSERT: a list page logs up to a page of people at once
        db.session.execute(insert(PersonalDataAccess), [
            {"viewer_id": viewer.id, "subject_id": subject_id, "what": AccessKind(what).value,
             "cycle_id": getattr(cycle, "id", cycle), "page": page[:200]}
            for subject_id in sorted(ids)])
    return len(ids)


def about(person) -> list[PersonalDataAccess]:
    """Every access to `person`'s data, newest first."""
    return list(db.session.execute(
        select(PersonalDataAccess).where(PersonalDataAccess.subject_id == person.id)
        .order_by(PersonalDataAccess.at.desc(), PersonalDataAccess.id.desc())
    ).scalars())


def safe_cell(value) -> str:
    """A CSV cell a spreadsheet shows as text, never evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(rows: list[PersonalDataAccess], header: list[str], what_label=str) -> str:
    """The rows as CSV under `header`, naming what was opened with `what_label` (the
    reader's language, given by the view)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in (
            row.at.isoformat(timespec="seconds"), row.viewer.email, row.viewer.full_name,
            row.subject.email, row.subject.full_name, what_label(row.what),
            row.cycle.year if row.cycle else "", row.page)])
    return out.getvalue()


def all_rows() -> list[PersonalDataAccess]:
    return list(db.session.execute(
        select(PersonalDataAccess).order_by(PersonalDataAccess.id)).scalars())
