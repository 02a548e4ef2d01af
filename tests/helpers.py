"""Helpers and the demo logins used across the tests."""
import re

from app.extensions import db

DOMAIN = "cciaa-demo.example"
ADMIN = f"irene.operti@{DOMAIN}"
SUPPORT = f"antonio.deangelis@{DOMAIN}"
SG = f"giovanni.bertolino@{DOMAIN}"
MANAGER = f"marco.ferraris@{DOMAIN}"  # head of area A1
OTHER_MANAGER = f"elena.bruno@{DOMAIN}"  # head of area A2
OIV = f"maria.zanetti@{DOMAIN}"
BOARD = f"renata.chiesa@{DOMAIN}"


_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    page = client.get(path)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} (HTTP {page.status_code} {page.location or ''})"
    return match.group(1) or match.group(2)


def login(client, email: str, password: str = "demo"):
    token = csrf_token(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def user_by_email(email: str):
    from sqlalchemy import select

    from app.models.org import User

    db.session.expire_all()  # see what requests committed meanwhile
    return db.session.execute(select(User).where(User.email == email)).scalar_one()

EMPLOYEE_A1 = f"alessandro.russo@{DOMAIN}"  # staff of sector A1.1 (headed by a supervisor)
SUPERVISOR_A1 = f"giulia.rossi@{DOMAIN}"  # head of sector A1.1


def run_jobs(chunk: int | None = None):
    """Do every pending background job item as `flask jobs work --once` would (the real
    worker, in this process); fail on a chunk the database rolled back."""
    from app.services.jobs.worker import work

    report = work(chunk)
    assert not report.errors, report.errors
    return report


class QueryCounter:
    """Counts the SQL statements the database receives while it is open (every session,
    every request of the test client), for the tests that a page's queries do not grow
    with the number of rows."""

    def __init__(self):
        self.count = 0

    def _seen(self, *_args):
        self.count += 1

    def __enter__(self):
        from sqlalchemy import event

        event.listen(db.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc):
        from sqlalchemy import event

        event.remove(db.engine, "before_cursor_execute", self._seen)


def add_people(unit_code: str, number: int, cycle=None, start: int = 0) -> list[int]:
    """`number` more people in a unit with bulk inserts; with a cycle each one gets two
    objectives, an acknowledged sheet and an open evaluation by the unit's head."""
    from sqlalchemy import insert, select

    from app.models.evaluation import Evaluation, ObjectiveSheet
    from app.models.org import OrgUnit, User, UserRole
    from app.models.plan import IndividualObjective

    unit = db.session.execute(select(OrgUnit).where(OrgUnit.code == unit_code)).scalar_one()
    emails = [f"extra{start + i:04d}@list.example" for i in range(number)]
    db.session.execute(insert(User), [
        {"email": e, "first_name": "Extra", "last_name": f"Persona {start + i:04d}",
         "category": "C", "unit_id": unit.id, "active": True, "part_time_percent": 100,
         "reminders_opt_out": False, "is_demo": False, "session_version": 0}
        for i, e in enumerate(emails)])
    ids = list(db.session.execute(select(User.id).where(User.email.in_(emails))).scalars())
    db.session.execute(insert(UserRole), [{"user_id": i, "role": "Employee"} for i in ids])
    if cycle is not None:
        db.session.execute(insert(IndividualObjective), [
            {"cycle_id": cycle.id, "user_id": i, "position": p, "title": "Obiettivo",
             "weight": 50} for i in ids for p in (1, 2)])
        db.session.execute(insert(ObjectiveSheet), [
            {"cycle_id": cycle.id, "user_id": i, "status": "acknowledged"} for i in ids])
        db.session.execute(insert(Evaluation), [
            {"cycle_id": cycle.id, "user_id": i, "status": "open", "evaluator_id": unit.head_id,
             "evaluated_by_board": False, "not_evaluable": False} for i in ids])
    db.session.commit()
    return ids
