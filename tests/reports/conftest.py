"""A cycle with results to report on: the demo plan 2022 (measured, revised, individual
objectives for everyone), objective sheets and final evaluations for the people of
area A1 and for the Secretary General, one evaluation still in its review window, one
sheet never acknowledged, and both reward pools computed."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.demo import plan as demo_plan
from app.extensions import db
from app.models.org import OrgUnit, Role, User
from app.services.evaluation import operations as ev
from app.services.evaluation import rewards
from app.services.plan.individual import objectives_of
from tests.helpers import BOARD, EMPLOYEE_A1, SG, SUPPORT, run_jobs, user_by_email
from tests.snapshots import cached

# (what, how) per person in turn: matrix values give scores 6, 5, 4, 3, 4, 2, 1
RATINGS = [(6, "A"), (5, "A"), (4, "A"), (3, "A"), (5, "B"), (2, "A"), (1, "A")]
STAFF_FUND, MANAGER_FUND = Decimal("73431.24"), Decimal("7898.03")


def _evaluator(evaluation) -> User:
    if evaluation.evaluated_by_board:
        return user_by_email(BOARD)
    return db.session.get(User, evaluation.evaluator_id)


def _rate(cycle, person, what_how, final=True):
    objectives = objectives_of(cycle, person)
    sheet = ev.issue_sheet(user_by_email(SUPPORT), cycle, person)
    ev.acknowledge_sheet(person, sheet, None)
    evaluation = ev.open_evaluation(cycle, person)
    what, how = what_how
    ev.rate(_evaluator(evaluation), evaluation,
            [ev.RatingInput(o.id, what, how, f"Commento {o.position}") for o in objectives],
            "Valutazione complessiva")
    if final:
        ev.acknowledge(person, evaluation)
    return evaluation


def area_people(code: str) -> list[User]:
    area = db.session.execute(select(OrgUnit).where(OrgUnit.code == code)).scalar_one()
    units = {area.id, *(c.id for c in area.children)}
    return list(db.session.execute(
        select(User).where(User.unit_id.in_(units)).order_by(User.id)).scalars())


@pytest.fixture
def report_cycle(demo):
    return cached("report_cycle", lambda: build_report_cycle(demo))


def build_report_cycle(demo):
    """The evaluated cycle 2022 over the demo administration (see the module docstring)."""
    cycle = demo_plan.load(demo)
    db.session.commit()
    employee = user_by_email(EMPLOYEE_A1)
    *rated, unacknowledged = [p for p in area_people("A1") if p.id != employee.id]
    for n, person in enumerate([user_by_email(SG), *rated]):
        _rate(cycle, person, RATINGS[n % len(RATINGS)])
    ev.issue_sheet(user_by_email(SUPPORT), cycle, unacknowledged)
    _rate(cycle, employee, (5, "A"), final=False)  # still in its review window
    support = user_by_email(SUPPORT)
    rewards.set_pool(support, cycle, "staff", STAFF_FUND)
    rewards.set_pool(support, cycle, "managers", MANAGER_FUND)
    rewards.compute(support, cycle)
    db.session.commit()
    run_jobs()
    return cycle


@pytest.fixture
def closed_cycle(report_cycle):
    """The same cycle once closed: what the transparency page publishes. Built once (its
    Report PDFs take seconds to render) and written back for every later test."""
    return cached("closed_cycle", lambda: close_cycle(report_cycle))


def close_cycle(cycle):
    """The Report drafted, approved by the Board, validated by the OIV (the validation
    attached by the worker); the cycle closed."""
    from datetime import date

    from app.demo.cycle import PDF
    from app.services.cycle import deliberations
    from app.services.cycle import report as cycle_report

    cycle_report.draft_report(user_by_email(SUPPORT), cycle, None)
    cycle_report.approve_report(user_by_email(BOARD), cycle, deliberations.DeliberationInput(
        "41/2023", date(2023, 6, 20), True, attachment_name="delibera.pdf", attachment=PDF))
    cycle_report.validate_report(role_holder(Role.OIV), cycle, True, "L'OIV valida la Relazione.")
    db.session.commit()
    run_jobs()
    cycle.status = "closed"
    db.session.commit()
    return cycle


def role_holder(role: Role) -> User:
    from app.models.org import UserRole

    return db.session.execute(select(User).join(UserRole).where(UserRole.role == role.value)
                              .order_by(User.id).limit(1)).scalar_one()


def assert_no_personal_data(text: str) -> None:
    """No user's name (either order) or e-mail appears in a published text."""
    for user in db.session.execute(select(User)).scalars():
        for shown in (user.full_name, f"{user.last_name} {user.first_name}", user.email):
            assert shown not in text, shown
