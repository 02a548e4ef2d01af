"""A larger administration for load runs (bench/cycle_bench.py, the jobs tests): the demo
administration grown to a given number of people to evaluate, in the demo's shape.

Each added area has a manager and three sectors; the first sector is headed by a
supervisor who evaluates its staff, the others are evaluated by the manager. Staff vary
as real staff do: categories, part-time shares, people who joined during the year, a
few who left (and are no longer active). Deterministic for a given size."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.demo import org
from app.extensions import db
from app.models.org import Administration, OrgUnit, Role, UnitKind, User, UserRole
from app.services.cycle.children import people_to_evaluate

STAFF_PER_SECTOR = 12
SECTORS_PER_AREA = 3


def _person(serial: int, unit: OrgUnit, roles, category: str) -> User:
    first = org.FIRST_NAMES[serial % len(org.FIRST_NAMES)]
    last = org.LAST_NAMES[(serial // len(org.FIRST_NAMES)) % len(org.LAST_NAMES)]
    user = User(email=f"load{serial}@{org.DOMAIN}", first_name=first, last_name=f"{last} {serial}",
                category=category, unit=unit, part_time_percent=org.PART_TIME[serial % len(org.PART_TIME)],
                service_start=date(2022, 4, 1) if serial % 23 == 7 else date(2000 + serial % 20, 1, 1),
                password_hash=None, is_demo=True, active=True)
    if serial % 97 == 41:  # left during the year
        user.service_end, user.active = date(2022, 5, 31), False
    user.role_rows = [UserRole(role=role.value) for role in roles]
    db.session.add(user)
    return user


def grow(people: int, cycle) -> int:
    """Add areas of staff to the loaded demo administration until at least `people`
    active people are to be evaluated in `cycle`; returns how many there are."""
    administration = db.session.execute(select(Administration).where(
        Administration.code == org.ADMINISTRATION[0])).scalar_one()
    root = db.session.execute(select(OrgUnit).where(
        OrgUnit.administration_id == administration.id,
        OrgUnit.kind == UnitKind.ADMINISTRATION.value)).scalar_one()
    count, serial, area_number = len(people_to_evaluate(cycle)), 0, 0
    while count < people:
        area_number += 1
        area = OrgUnit(administration_id=administration.id, code=f"L{area_number}",
                       name=f"Area di carico {area_number}", kind=UnitKind.AREA.value, parent=root)
        area.head = _person(serial, area, [Role.MANAGER, Role.EMPLOYEE], "DIR")
        serial, count = serial + 1, count + 1
        for number in range(1, SECTORS_PER_AREA + 1):
            if count >= people:
                break  # no empty sector (it would hang off the area outside the session)
            sector = OrgUnit(administration_id=administration.id, code=f"L{area_number}.{number}",
                             name=f"Settore {area_number}.{number}", kind=UnitKind.SECTOR.value,
                             parent=area)
            for k in range(STAFF_PER_SECTOR):
                if count >= people:
                    break
                supervisor = number == 1 and k == 0
                roles = [Role.EMPLOYEE, Role.SUPERVISOR] if supervisor else [Role.EMPLOYEE]
                user = _person(serial, sector, roles,
                               "D" if supervisor else org.CATEGORIES[serial % len(org.CATEGORIES)])
                if supervisor:
                    sector.head = user
                serial += 1
                count += user.active
        db.session.flush()
    return len(people_to_evaluate(cycle))
