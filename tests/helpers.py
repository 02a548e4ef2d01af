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
    html = client.get(path).get_data(as_text=True)
    match = _CSRF.search(html)
    assert match, f"no CSRF token on {path}"
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


def run_jobs(chunk: int = 10):
    """Do every pending background job item as `flask jobs work --once` would (the real
    worker, in this process); fail on a chunk the database rolled back."""
    from app.services.jobs.worker import work

    report = work(chunk)
    assert not report.errors, report.errors
    return report
