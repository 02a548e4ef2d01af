"""Import of the organisation from CSV or XLSX: one row per person.

The file is validated whole before anything is written; any bad row rejects it with the
list of errors per row. It runs as a background job (app.services.org.import_jobs):
validate_file checks the whole file and gives its rows as plain data; apply_rows then
writes them range by range, each range in its own transaction and idempotent (people
are found by e-mail, so a range written twice writes the same values)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from email_validator import EmailNotValidError
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import audit
from app.extensions import db
from app.formats.emails import normalised_email
from app.formats.tables import TableError, parse_date, parse_decimal, read_table
from app.models.org import ASSIGNABLE_ROLES, EvaluatorLink, OrgUnit, Role, User, UserRole
from app.services.org.operations import OrgSnapshot
from app.services.org.permissions import ORG_ADMINS, require_role

COLUMNS = {
    "email": ("email", "e_mail", "mail"),
    "first_name": ("first_name", "nome"),
    "last_name": ("last_name", "cognome"),
    "unit": ("unit", "unit_path", "unita", "struttura"),
    "roles": ("roles", "role", "ruoli", "ruolo"),
    "evaluator_email": ("evaluator_email", "evaluator", "valutatore", "email_valutatore"),
    "category": ("category", "categoria"),
    "part_time": ("part_time", "part_time_percent", "part_time_%", "percentuale_part_time"),
    "service_start": ("service_start", "inizio_servizio"),
    "service_end": ("service_end", "fine_servizio"),
}
REQUIRED = ("email", "first_name", "last_name", "unit", "category")
ROLE_ALIASES = {r.value.lower(): r.value for r in ASSIGNABLE_ROLES} | {
    "amministratore": "Admin", "sts": "SupportUnit", "segretario generale": "SecretaryGeneral",
    "sg": "SecretaryGeneral", "dirigente": "Manager", "posizione organizzativa": "Supervisor",
    "po": "Supervisor", "dipendente": "Employee", "giunta": "Board",
}


@dataclass
class RowError:
    row: int  # the row number as the user sees it in the file (header is row 1)
    message: str


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_data(self) -> dict:
        return {"errors": [[e.row, e.message] for e in self.errors],
                "created": self.created, "updated": self.updated}

    @classmethod
    def from_data(cls, data: dict) -> ImportReport:
        return cls([RowError(row, message) for row, message in data["errors"]],
                   data["created"], data["updated"])


def read_rows(filename: str, content: bytes, report: ImportReport, columns: dict,
              required, also_missing=lambda header: []) -> list[dict] | None:
    """The rows of an uploaded table, or None after recording in `report` why it cannot
    be read: refused by the table reader (row 0) or without a required column (row 1).
    columns maps each key to the header names that mean it; also_missing(header) adds
    keys an importer needs in other ways."""
    try:
        rows = read_table(filename, content)
    except TableError as exc:
        report.errors.append(RowError(0, str(exc)))
        return None
    missing = [k for k in required if not any(a in rows[0] for a in columns[k])]
    missing += also_missing(rows[0])
    if missing:
        report.errors.append(RowError(1, str(_l("Missing columns: %(cols)s",
                                                cols=", ".join(missing)))))
        return None
    return rows


@dataclass
class _Row:
    line: int
    email: str
    first_name: str
    last_name: str
    unit: OrgUnit
    roles: set[str]
    evaluator_email: str
    category: str
    part_time: Decimal
    service_start: object
    service_end: object


def column_sources(header, columns: dict) -> dict[str, str | None]:
    """Which column of the file each key is read from (the first of its names the header
    has, None for none): worked out once from the header, not for every row."""
    return {key: next((name for name in names if name in header), None)
            for key, names in columns.items()}


def canonical(raw: dict[str, str], sources: dict[str, str | None]) -> dict[str, str]:
    """A row keyed by the importer's keys ("" where the file has no such column)."""
    return {key: raw[name] if name else "" for key, name in sources.items()}


@dataclass
class _Known:
    """The people already in the database as the checks need them, read as columns (as
    users with their roles, 25,000 people took seconds, and were read twice): their ids
    by e-mail, and who holds the Admin role, the one role the checks ask about."""
    ids: dict[str, int]
    admins: set[int]

    @classmethod
    def load(cls) -> _Known:
        return cls(dict(db.session.execute(select(User.email, User.id)).all()),
                   set(db.session.scalars(select(UserRole.user_id)
                                          .where(UserRole.role == Role.ADMIN.value))))


def _unit_index() -> dict[str, OrgUnit]:
    """Units by code, by full path and by path below the top unit (all lower case)."""
    index = {}
    for unit in db.session.execute(select(OrgUnit)).scalars():
        parts = [u.name for u in reversed([unit, *unit.ancestors()])]
        index[unit.code.lower()] = unit
        index[" / ".join(parts).lower()] = unit
        if len(parts) > 1:
            index[" / ".join(parts[1:]).lower()] = unit
    return index


@lru_cache(maxsize=4096)  # a file names its few hundred units again and again
def _norm_path(text: str) -> str:
    return " / ".join(p.strip() for p in text.replace(">", "/").split("/")).lower()


def validate_file(actor: User, filename: str, content: bytes) -> tuple[ImportReport, list[dict]]:
    """Check the whole file, writing nothing: the report (its errors, or how many people
    the file adds and changes) and, when it is clean, its rows as plain data for
    apply_rows."""
    require_role(actor, *ORG_ADMINS)
    report = ImportReport()
    raw_rows = read_rows(filename, content, report, COLUMNS, REQUIRED)
    if raw_rows is None:
        return report, []
    known = _Known.load()
    rows = _validate_rows(actor, raw_rows, report, known)
    if report.ok:
        _check_evaluator_loops(rows, report, known)
    if not report.ok:
        return report, []
    report.updated = sum(row.email in known.ids for row in rows)
    report.created = len(rows) - report.updated
    return report, [_as_data(row) for row in rows]


def _as_data(row: _Row) -> dict:
    return {"line": row.line, "email": row.email, "first_name": row.first_name,
            "last_name": row.last_name, "unit_id": row.unit.id, "roles": sorted(row.roles),
            "evaluator_email": row.evaluator_email, "category": row.category,
            "part_time": str(row.part_time),
            "service_start": row.service_start.isoformat() if row.service_start else None,
            "service_end": row.service_end.isoformat() if row.service_end else None}


def _from_data(data: dict) -> _Row:
    unit = db.session.get(OrgUnit, data["unit_id"])
    if unit is None:
        raise LookupError(_l("Row %(row)d: its unit no longer exists; send the file again.",
                             row=data["line"]))
    day = date.fromisoformat
    return _Row(data["line"], data["email"], data["first_name"], data["last_name"], unit,
                set(data["roles"]), data["evaluator_email"], data["category"],
                Decimal(data["part_time"]),
                day(data["service_start"]) if data["service_start"] else None,
                day(data["service_end"]) if data["service_end"] else None)


def apply_rows(actor: User, rows: list[dict], first: int, last: int) -> None:
    """Write rows[first:last] of a validated file. A row whose evaluator is a new person
    of another range writes that person too (the same values its own range writes), so
    the ranges can be written in any order, by any worker."""
    chosen = rows[first:last]
    by_email = {row["email"]: row for row in rows}
    wanted = {row["evaluator_email"] for row in chosen if row["evaluator_email"]}
    present = set(db.session.scalars(select(User.email).where(User.email.in_(wanted))))
    evaluators = [by_email[email] for email in sorted(wanted - present) if email in by_email]
    _apply(actor, [_from_data(row) for row in chosen + evaluators],
           [_from_data(row) for row in chosen])


def _validate_rows(actor: User, raw_rows, report: ImportReport, known: _Known) -> list[_Row]:
    units = _unit_index()
    sources = column_sources(raw_rows[0], COLUMNS)
    actor_is_admin = actor.has_role(Role.ADMIN)
    file_emails = {}
    rows: list[_Row] = []
    for number, raw in enumerate(raw_rows, start=2):
        data = canonical(raw, sources)
        errors = []
        for key in REQUIRED:
            if not data[key]:
                errors.append(str(_l("'%(col)s' is required.", col=key)))
        email = data["email"].strip().lower()
        if email:
            try:
                email = normalised_email(email)
            except EmailNotValidError:
                errors.append(str(_l("'%(value)s' is not a valid e-mail address.", value=email)))
            if email in file_emails:
                errors.append(str(_l("E-mail %(email)s repeats row %(row)d.", email=email,
                                     row=file_emails[email])))
            file_emails.setdefault(email, number)
        unit = units.get(_norm_path(data["unit"])) if data["unit"] else None
        if data["unit"] and unit is None:
            errors.append(str(_l("Unknown unit '%(unit)s'.", unit=data["unit"])))
        roles = set()
        for token in data["roles"].replace("|", ",").replace(";", ",").split(","):
            token = token.strip()
            if not token:
                continue
            role = ROLE_ALIASES.get(token.lower())
            if role is None:
                errors.append(str(_l("Unknown role '%(role)s'.", role=token)))
            else:
                roles.add(role)
        part_time = Decimal(100)
        if data["part_time"]:
            try:
                part_time = parse_decimal(data["part_time"])
                if not Decimal(0) < part_time <= Decimal(100):
                    raise ValueError
            except ValueError:
                errors.append(str(_l("Part-time percentage '%(value)s' must be a number above 0 "
                                     "and at most 100.", value=data["part_time"])))
        dates = {}
        for key in ("service_start", "service_end"):
            dates[key] = None
            if data[key]:
                try:
                    dates[key] = parse_date(data[key])
                except ValueError as exc:
                    errors.append(str(exc))
        if dates["service_start"] and dates["service_end"] and dates["service_end"] < dates["service_start"]:
            errors.append(str(_l("The end of service precedes its start.")))
        current = known.ids.get(email)
        was_admin = current in known.admins
        if was_admin != (Role.ADMIN.value in roles) and not actor_is_admin:
            errors.append(str(_l("Only an administrator may grant or withdraw the Admin role.")))
        elif was_admin and not actor_is_admin:  # permissions.can_manage, by the flag
            errors.append(str(_l("Only an administrator may change an administrator.")))
        evaluator = data["evaluator_email"].strip().lower()
        if evaluator and evaluator == email:
            errors.append(str(_l("Nobody can evaluate themselves.")))
        for message in errors:
            report.errors.append(RowError(number, message))
        if not errors:
            rows.append(_Row(number, email, data["first_name"], data["last_name"], unit, roles,
                             evaluator, data["category"], part_time, dates["service_start"],
                             dates["service_end"]))
    for row in rows:
        if row.evaluator_email and not (row.evaluator_email in known.ids
                                        or row.evaluator_email in file_emails):
            report.errors.append(RowError(row.line, str(_l(
                "Evaluator %(email)s is neither in the file nor among the users.",
                email=row.evaluator_email))))
    return rows


def _check_evaluator_loops(rows: list[_Row], report: ImportReport, known: _Known) -> None:
    """Simulate the organisation after the import and look for evaluation loops."""
    snap = OrgSnapshot.load()
    ids = dict(known.ids)
    next_id = -1
    for row in rows:  # people not yet in the database get provisional negative ids
        if row.email not in ids:
            ids[row.email], next_id = next_id, next_id - 1
    for row in rows:
        uid = ids[row.email]
        snap.user_unit[uid] = row.unit.id
        if "SecretaryGeneral" in row.roles:
            snap.secretary_general.add(uid)
        else:
            snap.secretary_general.discard(uid)
        if row.evaluator_email:
            snap.overrides[uid] = ids[row.evaluator_email]
        else:
            snap.overrides.pop(uid, None)
    free: set[int] = set()
    for row in rows:
        loop = snap.find_cycle(ids[row.email], free)
        if loop:
            emails = {v: k for k, v in ids.items()}
            chain = " -> ".join(emails.get(i, str(i)) for i in loop)
            report.errors.append(RowError(row.line, str(_l(
                "The evaluators form a loop: %(chain)s.", chain=chain))))


def _apply(actor: User, people: list[_Row], rows: list[_Row]) -> None:
    """Write `people` (the rows and the new evaluators they need), then the evaluator
    links of `rows`; one audit event."""
    emails = {row.email for row in people} | {row.evaluator_email for row in rows if row.evaluator_email}
    existing = {u.email: u for u in db.session.scalars(
        select(User).where(User.email.in_(emails)).options(selectinload(User.role_rows)))}
    created = 0
    for row in people:
        user = existing.get(row.email)
        if user is None:
            user = User(email=row.email)
            db.session.add(user)
            existing[row.email] = user
            created += 1
        user.first_name, user.last_name = row.first_name, row.last_name
        user.unit, user.category, user.part_time_percent = row.unit, row.category, row.part_time
        user.service_start, user.service_end = row.service_start, row.service_end
        if user.id is not None and user.roles != row.roles:
            user.end_sessions()  # as set_roles: sessions under the old roles end
        for role_row in list(user.role_rows):
            if role_row.role not in row.roles:
                user.role_rows.remove(role_row)
        for role in sorted(row.roles - user.roles):
            user.role_rows.append(UserRole(role=role))
    db.session.flush()
    ids = [existing[row.email].id for row in rows]
    links = {
        link.evaluatee_id: link
        for link in db.session.execute(
            select(EvaluatorLink).where(EvaluatorLink.cycle_id.is_(None),
                                        EvaluatorLink.evaluatee_id.in_(ids))
        ).scalars()
    }
    for row in rows:
        user = existing[row.email]
        link = links.get(user.id)
        if row.evaluator_email:
            if link is None:
                link = EvaluatorLink(evaluatee_id=user.id, cycle_id=None, reason="import")
                db.session.add(link)
            link.evaluator_id = existing[row.evaluator_email].id
        elif link is not None:
            db.session.delete(link)
    db.session.flush()
    audit.record(
        "org.import", actor=actor, object_type="Organisation",
        after={"created": created, "updated": len(people) - created,
               "emails": [r.email for r in people]},
    )
