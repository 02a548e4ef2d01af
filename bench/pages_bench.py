"""Every list page at the size of a large administration, timed through the Flask test
client signed in as each role.

    python bench/pages_bench.py [--people 25000] [--repeats 5]
    scripts/with-postgres /work/main/.venv/bin/python bench/pages_bench.py

It builds the demo administration and its evaluated cycle 2022, then adds --people
synthetic people with bulk inserts (not the services, so 25,000 build in minutes): 100
people per new sector under the demo areas, each sector headed by a supervisor, and for
the cycle their individual objectives, objective sheets and evaluations in every state,
one workflow instance each and the open tasks of evaluators, of the people themselves
and of the pools. Then it opens each page as Admin, SupportUnit, Secretary General,
Manager, Supervisor, OIV, Board and Employee and prints p50 / p95 / max per page and role
(pages a role may not open are left out). Target: every page under 1 s at 25,000 people.
The app is warmed up first as the production server's master warms it (app.warmup:
modules, libraries, templates, catalogues), so the first visit to a page is a served
page's, not a fresh process's.

DATABASE_URL selects an empty database (default: a temporary SQLite file).
tests/bench/test_pages_bench_smoke.py runs it with --people 200 so that it cannot rot."""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade
from sqlalchemy import func, insert, select, text, update

from app import create_app, engine
from app.extensions import db
from app.models.engine import HumanTask, ProcessDefinition, ProcessInstance
from app.models.evaluation import Evaluation, ObjectiveSheet
from app.models.org import OrgUnit, Role, UnitKind, User, UserRole
from app.models.plan import IndividualObjective
from app.models.types import utcnow
from app.services.org.passwords import hash_password
from app.warmup import warm_up
from config import Config

PER_SECTOR = 100
PASSWORD = "bench"
FIRST = ["Anna", "Luca", "Giulia", "Marco", "Sara", "Paolo", "Chiara", "Davide", "Elena",
         "Franco", "Ilaria", "Matteo", "Laura", "Stefano", "Silvia", "Andrea"]
LAST = ["Rossi", "Bianchi", "Verdi", "Esposito", "Romano", "Colombo", "Ricci", "Marino",
        "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Costa", "Giordano", "Mancini",
        "Rizzo", "Lombardi", "Moretti", "Barbieri"]
DOMAIN = "cciaa-demo.example"
ROLES = {  # role -> who signs in (the Supervisor and the Employee are synthetic)
    "Admin": f"irene.operti@{DOMAIN}", "SupportUnit": f"antonio.deangelis@{DOMAIN}",
    "SecretaryGeneral": f"giovanni.bertolino@{DOMAIN}", "Manager": f"marco.ferraris@{DOMAIN}",
    "Supervisor": "p00000@bench.example", "OIV": f"maria.zanetti@{DOMAIN}",
    "Board": f"renata.chiesa@{DOMAIN}", "Employee": "p00001@bench.example",
}
YEAR = 2022
PAGES = [
    "/", "/tasks", "/tasks?view=pool", "/tasks?view=pool&page=9999", "/tasks?overdue=1",
    f"/dashboard/{YEAR}", f"/dashboard/{YEAR}?late=1&page=9999", f"/dashboard/{YEAR}?q=rossi",
    f"/team/{YEAR}", f"/team/{YEAR}?late=1&page=2", f"/team/{YEAR}/objectives",
    "/admin/users", "/admin/users?q=bianchi", "/admin/users?page=9999", "/admin/org",
    f"/plan/{YEAR}/people", f"/plan/{YEAR}/people?page=9999", f"/plan/{YEAR}/people?q=verdi",
    f"/me/{YEAR}", f"/oiv/{YEAR}",
    # Pages that once listed everyone, and the other pages whose data grows with people.
    "/admin/evaluators", "/admin/evaluators?q=rossi&page=2", "/admin/units/new",
    f"/team/evaluations?cycle={YEAR}", "/instances", "/admin/outbox", f"/plan/{YEAR}",
    f"/monitoraggi/{YEAR}", f"/people/{YEAR}/training/", "/lavoro-agile/calendario",
    "/me/history",
]


def _sectors(administration_id: int, people: int) -> list[int]:
    areas = db.session.execute(select(OrgUnit).where(OrgUnit.kind == UnitKind.AREA.value)
                               .order_by(OrgUnit.code)).scalars().all()
    rows = [{"administration_id": administration_id, "parent_id": areas[n % len(areas)].id,
             "code": f"B{n:04d}", "name": f"Settore {n:04d}", "kind": UnitKind.SECTOR.value}
            for n in range(max(1, -(-people // PER_SECTOR)))]
    db.session.execute(insert(OrgUnit), rows)
    return list(db.session.execute(select(OrgUnit.id).where(OrgUnit.code.like("B%"))
                                   .order_by(OrgUnit.code)).scalars())


def _people(sectors: list[int], people: int) -> list[tuple[int, int]]:
    """(user id, unit id) of the synthetic people; the first of each sector heads it."""
    pw, now = hash_password(PASSWORD), utcnow()
    rows = [{"email": f"p{i:05d}@bench.example", "first_name": FIRST[i % len(FIRST)],
             "last_name": LAST[(i // len(FIRST)) % len(LAST)], "category": "C",
             "unit_id": sectors[i // PER_SECTOR], "active": i % 97 != 50,
             "password_hash": pw, "part_time_percent": 100, "reminders_opt_out": False,
             "is_demo": False, "session_version": 0, "created_at": now} for i in range(people)]
    for start in range(0, people, 5000):
        db.session.execute(insert(User), rows[start:start + 5000])
    found = db.session.execute(select(User.id, User.unit_id).where(User.email.like("p%@bench.example"))
                               .order_by(User.email)).all()
    heads = found[::PER_SECTOR]
    db.session.execute(insert(UserRole), [
        {"user_id": uid, "role": Role.EMPLOYEE.value} for uid, _unit in found]
        + [{"user_id": uid, "role": Role.SUPERVISOR.value} for uid, _unit in heads])
    db.session.execute(update(OrgUnit), [{"id": unit, "head_id": uid} for uid, unit in heads])
    return [tuple(r) for r in found]


def _cycle_data(rng: random.Random, cycle, people: list[tuple[int, int]]) -> None:
    """Objectives, sheets and evaluations in every state, one instance and open tasks."""
    head = {unit: uid for uid, unit in people[::PER_SECTOR]}
    now, objectives, sheets, evaluations = utcnow(), [], [], []
    for uid, unit in people:
        stage = rng.random()
        if stage < 0.1:
            continue  # nothing assigned yet
        for position in (1, 2):
            objectives.append({"cycle_id": cycle.id, "user_id": uid, "position": position,
                               "title": f"Obiettivo {position}", "weight": Decimal(50),
                               "assigned_at": now})
        if stage < 0.25:
            continue
        sheets.append({"cycle_id": cycle.id, "user_id": uid, "assigned_at": now,
                       "status": "acknowledged" if stage > 0.35 else "assigned"})
        if stage < 0.5:
            continue
        status = rng.choice(["open", "rated", "review_requested", "final", "final"])
        score = None if status == "open" else Decimal(rng.randint(0, 600)) / 100
        evaluations.append({"cycle_id": cycle.id, "user_id": uid, "status": status,
                            "evaluator_id": head[unit] if head[unit] != uid else None,
                            "evaluated_by_board": False, "not_evaluable": False,
                            "score": score, "created_at": now})
    for table, rows in ((IndividualObjective, objectives), (ObjectiveSheet, sheets),
                        (Evaluation, evaluations)):
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(table), rows[start:start + 5000])
    _tasks(rng, cycle, people, head)


def _tasks(rng: random.Random, cycle, people, head) -> None:
    definition = db.session.execute(select(ProcessDefinition).where(
        ProcessDefinition.process_id == "individual_evaluation")).scalars().first()
    now = utcnow()
    db.session.execute(insert(ProcessInstance), [
        {"definition_id": definition.id, "process_id": definition.process_id,
         "business_key": f"bench-{uid}", "cycle_id": cycle.id, "org_unit_id": unit,
         "subject_id": uid, "status": "running", "state": "{}", "serializer_version": "1.5",
         "started_at": now, "updated_at": now, "version": 1} for uid, unit in people])
    instances = dict(db.session.execute(select(ProcessInstance.subject_id, ProcessInstance.id)
                                        .where(ProcessInstance.business_key.like("bench-%"))).all())
    pools = [Role.SUPPORT_UNIT.value, Role.OIV.value, Role.MANAGER.value]
    rows = []
    for n, (uid, unit) in enumerate(people):
        kind = rng.random()
        role, assignee = ((rng.choice(pools), None) if kind < 0.2 else
                          (Role.EMPLOYEE.value, uid) if kind < 0.5 else
                          (Role.EVALUATOR.value, head[unit]))
        rows.append({"instance_id": instances[uid], "task_guid": f"bench-{n:08d}",
                     "bpmn_id": rng.choice(["evaluate", "acknowledge", "assign"]),
                     "title": "Attività di prova", "form_key": "acknowledgement", "role": role,
                     "assignee_id": assignee, "org_unit_id": unit, "cycle_id": cycle.id,
                     "subject_id": uid, "status": "open" if kind < 0.8 else "completed",
                     "due_at": now + timedelta(days=rng.randint(-90, 120)),
                     "created_at": now, "version": 1})
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(HumanTask), rows[start:start + 5000])


def build(people: int, seed: int = 13) -> None:
    """The demo administration with its cycle, plus `people` synthetic people."""
    from app.demo import org
    from app.demo import plan as demo_plan

    started = time.perf_counter()
    administration = org.load(PASSWORD)
    cycle = demo_plan.load(administration)
    engine.deploy_directory(ROOT / "workflows")
    db.session.commit()
    found = _people(_sectors(administration.id, people), people)
    _cycle_data(random.Random(seed), cycle, found)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    total = db.session.scalar(select(func.count(User.id)))
    print(f"Built {total} people in {time.perf_counter() - started:.1f} s "
          f"({db.engine.dialect.name})")


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_pages(app, repeats: int) -> list[tuple[str, str, float, float, float]]:
    """(role, page, p50, p95, max) in ms for every page the role may open; raises on
    any answer other than 200 or 403 (a page that fails is a bug, not a figure)."""
    import re

    figures = []
    for role, email in ROLES.items():
        client = app.test_client()
        login = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login).group(1)
        signed = client.post("/login", data={"email": email, "password": PASSWORD,
                                             "csrf_token": token})
        if signed.status_code != 302:
            raise RuntimeError(f"{role} ({email}) could not sign in")
        for page in PAGES:
            samples = []
            for _ in range(repeats):
                started = time.perf_counter()
                response = client.get(page)
                samples.append((time.perf_counter() - started) * 1000)
                status = response.status_code
                started = time.perf_counter()
                response.close()  # as the server does once the page is sent
                after = (time.perf_counter() - started) * 1000
                if after >= 5:  # work left for after the page: the dashboard's figures
                    AFTER_THE_PAGE.append((role, page, after))
                if status not in (200, 403):
                    raise RuntimeError(f"{page} as {role}: HTTP {status}")
            if status == 200:
                figures.append((role, page, statistics.median(samples),
                                _percentile(samples, 0.95), max(samples)))
    return figures


def report(figures) -> None:
    print(f"{'role':<17} {'page':<42} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for role, page, p50, p95, top in figures:
        flag = "  OVER 1 s" if p95 >= 1000 else ""
        print(f"{role:<17} {page:<42} {p50:8.1f} {p95:8.1f} {top:8.1f}{flag}")
    worst = max(figures, key=lambda f: f[3])
    print(f"Slowest p95: {worst[3]:.1f} ms ({worst[1]} as {worst[0]})")
    if AFTER_THE_PAGE:
        took = [ms for _role, _page, ms in AFTER_THE_PAGE]
        print(f"Drawn after the page was sent (the dashboard's figures, kept "
              f"{BenchConfig.DASHBOARD_FIGURES_SECONDS} s): {len(took)} times, "
              f"p50 {statistics.median(took):.1f} ms, max {max(took):.1f} ms")


# Work a page leaves for after its response: (role, page, ms).
AFTER_THE_PAGE: list[tuple[str, str, float]] = []


class BenchConfig(Config):
    TESTING = True
    MAIL_SERVER = ""
    WTF_CSRF_ENABLED = True
    DASHBOARD_FIGURES_SECONDS = 30  # as in production: drawn after the page, kept 30 s


def run(people: int, repeats: int, url: str):
    BenchConfig.SQLALCHEMY_DATABASE_URI = url
    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
        if db.session.scalar(select(func.count(User.id))):
            sys.exit("pages_bench needs an empty database.")
        build(people)
        db.session.remove()
    warm_up(app)  # as gunicorn's master does before forking the workers (gunicorn.conf.py)
    figures = time_pages(app, repeats)
    report(figures)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=25_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    path = None
    if not url:
        handle, path = tempfile.mkstemp(prefix="pages-bench-", suffix=".db")
        os.close(handle)
        url = f"sqlite:///{path}"
    try:
        run(args.people, args.repeats, url)
    finally:
        if path:
            Path(path).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
