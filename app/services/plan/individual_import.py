"""Import of individual objectives from CSV or XLSX: one row per person and objective.
Every person named in the file gets exactly the objectives of their rows; people not in
the file keep theirs. Any bad row rejects the whole file.

It runs as background jobs (app.services.plan.import_jobs, through
app.services.jobs.imports): validate_file checks the whole file, writing nothing, and
gives each person's set of objectives as plain data; apply_people then writes them by
ranges of people, each range in its own transaction. A person's set is never cut (the
set is what is checked), and a range written again gives its people the same objectives,
so the ranges can be written in any order, by any worker. In one transaction, 25,000
people took minutes."""
from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from email_validator import EmailNotValidError
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.formats.emails import normalised_email
from app.formats.tables import is_not_available, parse_decimal
from app.models.org import User
from app.models.plan import Cycle
from app.services.org.imports import ImportReport, RowError, canonical, column_sources, read_rows
from app.services.plan.access import ensure_plan_editor
from app.services.plan.fields import HUNDRED
from app.services.plan.individual import IndividualObjectiveData, replace_objectives, set_errors

COLUMNS = {
    "email": ("email", "e_mail", "mail"),
    "cycle": ("cycle", "ciclo", "anno"),
    "title": ("title", "objective", "obiettivo", "titolo"),
    "actions": ("actions", "azioni", "cosa"),
    "behaviours": ("behaviours", "behaviors", "comportamenti", "come"),
    "measures": ("measures", "misure", "indicatori"),
    "weight": ("weight", "peso"),
    "operational_code": ("operational_code", "codice_op", "obiettivo_operativo"),
}
REQUIRED = ("email", "title", "weight")


def validate_file(actor: User, cycle: Cycle, filename: str,
                  content: bytes) -> tuple[ImportReport, list[dict]]:
    """Check the whole file, writing nothing: the report (its errors, or how many
    objectives for how many people) and, when it is clean, one entry per person in file
    order (the line of their first row, their id and their objectives) for apply_people."""
    ensure_plan_editor(actor)
    report = ImportReport()
    raw_rows = read_rows(filename, content, report, COLUMNS, REQUIRED)
    if raw_rows is None:
        return report, []
    people = dict(db.session.execute(select(User.email, User.id)).all())
    codes = {o.code: o.id for o in (cycle.plan.objectives if cycle.plan else ())
             if not o.is_strategic}
    sources = column_sources(raw_rows[0], COLUMNS)
    sets: dict[str, list[IndividualObjectiveData]] = {}
    first_row: dict[str, int] = {}
    incomplete: set[str] = set()  # people with a bad row: their sum is not checked
    for number, raw in enumerate(raw_rows, start=2):
        errors, email, item = _read_row(canonical(raw, sources), cycle, people, codes)
        report.errors.extend(RowError(number, m) for m in errors)
        if email:
            sets.setdefault(email, []).append(item)
            first_row.setdefault(email, number)
            if errors:
                incomplete.add(email)
    operational = set(codes.values())
    for email, items in sets.items():
        if email not in incomplete:
            report.errors.extend(RowError(first_row[email], f"{email}: {m}")
                                 for m in set_errors(cycle, items, operational))
    if not report.ok:
        return report, []
    report.created = sum(len(v) for v in sets.values())
    report.updated = len(sets)
    return report, [{"line": first_row[email], "user_id": people[email],
                     "items": [{**asdict(item), "weight": str(item.weight)} for item in items]}
                    for email, items in sets.items()]


def apply_people(actor: User, cycle: Cycle, people: list[dict], first: int, last: int) -> None:
    """Give each person of people[first:last] (validate_file's entries) exactly their
    objectives of the file."""
    chosen = people[first:last]
    users = {user.id: user for user in db.session.scalars(
        select(User).where(User.id.in_([person["user_id"] for person in chosen])))}
    for person in chosen:
        user = users.get(person["user_id"])
        if user is None:
            raise LookupError(_l("Row %(row)d: this person no longer exists; send the file "
                                 "again.", row=person["line"]))
        replace_objectives(actor, cycle, user, [
            IndividualObjectiveData(**{**item, "weight": Decimal(item["weight"])})
            for item in person["items"]])


def _read_row(row, cycle, people, codes):
    errors = []
    email = row["email"].strip().lower()
    try:
        email = normalised_email(email)
    except EmailNotValidError:
        errors.append(str(_l("'%(value)s' is not a valid e-mail address.", value=email)))
        email = ""
    if email and email not in people:
        errors.append(str(_l("Nobody has the e-mail %(email)s.", email=email)))
        email = ""
    if row["cycle"] and row["cycle"].strip() != str(cycle.year):
        errors.append(str(_l("The row is for cycle %(row)s, not %(year)d.", row=row["cycle"],
                             year=cycle.year)))
    if not row["title"].strip():
        errors.append(str(_l("The title is required.")))
    weight = None
    try:
        weight = parse_decimal(row["weight"])
        if not Decimal(0) < weight <= HUNDRED:
            errors.append(str(_l("The weight must be above 0 and at most 100.")))
    except ValueError as exc:
        errors.append(str(exc))
    code = row["operational_code"].strip()
    if code and not is_not_available(code) and code not in codes:
        errors.append(str(_l("No operational objective has code %(code)s.", code=code)))
    item = IndividualObjectiveData(
        title=row["title"], weight=weight, actions=row["actions"],
        behaviours=row["behaviours"], measures=row["measures"],
        objective_id=codes.get(code),
    )
    return errors, email, item
