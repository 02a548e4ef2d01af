"""Deterministic demo organisation: the same people, units and roles on every run."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from app import audit
from app.extensions import db
from app.models.org import Administration, OrgUnit, Role, UnitKind, User, UserRole
from app.services.org.passwords import hash_password

DOMAIN = "cciaa-demo.example"
ADMINISTRATION = ("CCIAA-TO-DEMO", "Camera di commercio di Torino (demo)")

# (code, area name, manager, sectors: (code, name, headed by a supervisor?, staff count))
AREAS = [
    ("A1", "Anagrafe economica", ("Marco", "Ferraris"), [
        ("A1.1", "Registro delle imprese", True, 8),
        ("A1.2", "Albo artigiani e ruoli", False, 4),
        ("A1.3", "Servizi digitali e certificazione", False, 5),
    ]),
    ("A2", "Sviluppo del territorio e regolazione del mercato", ("Elena", "Bruno"), [
        ("A2.1", "Promozione e internazionalizzazione", True, 6),
        ("A2.2", "Regolazione del mercato e tutela del consumatore", False, 5),
        ("A2.3", "Metrologia legale e sicurezza prodotti", False, 4),
    ]),
    ("A3", "Risorse finanziarie e provveditorato", ("Paolo", "Gallo"), [
        ("A3.1", "Contabilità e bilancio", True, 5),
        ("A3.2", "Provveditorato e patrimonio", False, 4),
    ]),
    ("A4", "Staff e risorse umane", ("Chiara", "Conti"), [
        ("A4.1", "Risorse umane e organizzazione", False, 5),
        ("A4.2", "Affari generali e segreteria di Giunta", False, 5),
    ]),
]

FIRST_NAMES = [
    "Giulia", "Luca", "Francesca", "Andrea", "Sara", "Matteo", "Valentina", "Alessandro",
    "Martina", "Davide", "Federica", "Simone", "Laura", "Stefano", "Silvia", "Roberto",
    "Anna", "Giorgio", "Paola", "Massimo", "Elisa", "Fabio", "Cristina", "Riccardo",
    "Monica", "Alberto", "Barbara", "Daniele", "Roberta", "Enrico", "Ilaria", "Claudio",
]
LAST_NAMES = [
    "Rossi", "Russo", "Colombo", "Ricci", "Marino", "Greco", "Romano", "Costa",
    "Fontana", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Esposito", "Giordano", "Mancini",
    "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile",
    "Martinelli", "Vitale", "Serra", "Coppola", "De Santis", "D'Angelo", "Marchetti", "Parisi",
    "Villa", "Conte", "Ferri", "Fabbri", "Bianco", "Marini", "Grasso", "Valentini",
    "Messina", "Sala", "De Luca", "Gatti", "Pellegrini", "Palumbo", "Sanna", "Farina",
    "Rizzi", "Monti", "Cattaneo", "Morelli", "Amato", "Silvestri", "Mazza", "Testa",
    "Bellini", "Carbone", "Piras", "Pagano",
]
CATEGORIES = ["B", "C", "C", "D", "C", "B", "C", "D", "A", "C"]
PART_TIME = [Decimal(100)] * 6 + [Decimal("83.33"), Decimal(50), Decimal(100), Decimal(75)]

SG = ("Giovanni", "Bertolino")
OIV = [("Maria", "Zanetti"), ("Franco", "Aimar"), ("Lucia", "Berruti")]
BOARD = ("Renata", "Chiesa")
SUPPORT = ("Antonio", "Deangelis")
ADMIN = ("Irene", "Operti")


def _email(first: str, last: str) -> str:
    slug = "".join(ch for ch in last.lower() if ch.isalpha())
    return f"{first.lower()}.{slug}@{DOMAIN}"


class DemoRefused(Exception):
    """The database holds real data; demo data must never be mixed into it."""


def has_real_users() -> bool:
    return bool(db.session.execute(
        select(func.count(User.id)).where(User.is_demo.is_(False))
    ).scalar_one())


def is_loaded() -> bool:
    return db.session.execute(
        select(Administration.id).where(Administration.code == ADMINISTRATION[0])
    ).scalar_one_or_none() is not None


def load(password: str) -> Administration:
    """Create the demo administration. Refuses on a database with non-demo users;
    running it twice changes nothing."""
    if has_real_users():
        raise DemoRefused("the database already holds non-demo users")
    if is_loaded():
        return db.session.execute(
            select(Administration).where(Administration.code == ADMINISTRATION[0])
        ).scalar_one()
    pw_hash = hash_password(password)
    admin_row = Administration(code=ADMINISTRATION[0], name=ADMINISTRATION[1], is_demo=True)
    db.session.add(admin_row)
    db.session.flush()

    def person(name, category, unit, roles, part_time=Decimal(100), start=date(2010, 1, 1)):
        user = User(
            email=_email(*name), first_name=name[0], last_name=name[1], category=category,
            unit=unit, part_time_percent=part_time, service_start=start,
            password_hash=pw_hash, is_demo=True,
        )
        user.role_rows = [UserRole(role=r.value) for r in roles]
        db.session.add(user)
        return user

    root = OrgUnit(administration_id=admin_row.id, code="CCIAA", name=ADMINISTRATION[1],
                   kind=UnitKind.ADMINISTRATION.value)
    db.session.add(root)
    sg = person(SG, "DIR", root, [Role.SECRETARY_GENERAL, Role.EMPLOYEE])
    root.head = sg
    names = iter(
        (FIRST_NAMES[(i * 7) % len(FIRST_NAMES)], LAST_NAMES[i % len(LAST_NAMES)])
        for i in range(len(LAST_NAMES))
    )
    serial, units = 0, {}
    for code, area_name, manager, sectors in AREAS:
        area = OrgUnit(administration_id=admin_row.id, code=code, name=area_name,
                       kind=UnitKind.AREA.value, parent=root)
        area.head = person(manager, "DIR", area, [Role.MANAGER, Role.EMPLOYEE])
        for s_code, s_name, supervised, staff in sectors:
            sector = OrgUnit(administration_id=admin_row.id, code=s_code, name=s_name,
                             kind=UnitKind.SECTOR.value, parent=area)
            units[s_code] = sector
            for k in range(staff):
                name = next(names)
                roles = [Role.EMPLOYEE]
                if supervised and k == 0:
                    roles.append(Role.SUPERVISOR)
                # a few people joined during the year, one left: service shares differ
                start = date(2022, 3, 1) if serial % 17 == 5 else date(2005 + serial % 15, 1, 1)
                user = person(name, "D" if roles[-1] is Role.SUPERVISOR else
                              CATEGORIES[serial % len(CATEGORIES)], sector, roles,
                              PART_TIME[serial % len(PART_TIME)], start)
                if serial % 29 == 13:
                    user.service_end = date(2022, 2, 15)
                if supervised and k == 0:
                    sector.head = user
                serial += 1
    a42 = units["A4.2"]
    person(SUPPORT, "D", a42, [Role.SUPPORT_UNIT, Role.EMPLOYEE])
    person(BOARD, "C", a42, [Role.BOARD, Role.EMPLOYEE])
    person(ADMIN, "D", a42, [Role.ADMIN, Role.EMPLOYEE])
    for member in OIV:
        person(member, "EXT", None, [Role.OIV])
    db.session.flush()
    audit.record("demo.load", obj=admin_row, after={"users": serial + 12})
    return admin_row


def logins_by_role() -> dict[str, list[str]]:
    rows = db.session.execute(
        select(UserRole.role, User.email)
        .join(User, User.id == UserRole.user_id)
        .where(User.is_demo.is_(True))
        .order_by(UserRole.role, User.email)
    )
    result: dict[str, list[str]] = {}
    for role, email in rows:
        result.setdefault(role, []).append(email)
    return result
