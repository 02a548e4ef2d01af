"""The living demo: on the day it is loaded every demo role has work, `flask demo users`
says what, the cycle two years back is closed with its Report and rewards, the previous
one is in its evaluations, this year's monitoring round is open with indicators at risk."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from app.demo import agenda, living, org
from app.engine import clock
from app.extensions import db
from app.models.engine import HumanTask, InstanceStatus, TaskDraft, TaskStatus
from app.models.evaluation import Evaluation, EvaluationStatus
from app.models.monitoring import MonitoringRound, RoundKind, RoundStatus
from app.models.org import Role, User
from app.models.plan import Cycle, CycleStatus
from app.services.cycle import measurement
from app.services.cycle import operations as cycle_service
from app.services.reports import figures
from tests.helpers import login


def _cycle(year: int) -> Cycle:
    return db.session.execute(select(Cycle).where(Cycle.year == year)).scalar_one()


def _user(slug: str) -> User:
    return db.session.execute(select(User).where(User.email == f"{slug}@{org.DOMAIN}")).scalar_one()


def _open(cycle: Cycle, bpmn_id: str, **where) -> list[HumanTask]:
    return list(db.session.execute(select(HumanTask).where(
        HumanTask.cycle_id == cycle.id, HumanTask.bpmn_id == bpmn_id,
        HumanTask.status == TaskStatus.OPEN.value, *[getattr(HumanTask, k) == v for k, v in where.items()]
    )).scalars())


def test_the_calendar_puts_today_on_3_november_of_the_current_cycle():
    today = date(2027, 3, 10)
    current, previous = living.calendar(2027, today), living.calendar(2026, today)
    assert current["revision_due"] == today - timedelta(days=3)
    assert current["monitoring_start"] < current["monitoring_due"] < today < current["measurement_due"]
    assert previous["oiv_evaluation_due"] < today < previous["evaluation_due"] <= previous["report_due"]
    assert previous["evaluation_due"] == today + timedelta(days=14)
    assert living.calendar(2025, today)["report_due"] < today  # closed long before


def test_every_demo_role_finds_work_today(living_demo):
    for role, emails in org.logins_by_role().items():
        found = {email: agenda.agenda(_user(email.split("@")[0])).total for email in emails}
        assert any(found.values()), role
        if role in (Role.MANAGER.value, Role.OIV.value, Role.BOARD.value,
                    Role.SECRETARY_GENERAL.value, Role.SUPERVISOR.value):
            assert all(found.values()), (role, found)


def test_demo_users_prints_what_each_person_finds(app, living_demo):
    output = app.test_cli_runner().invoke(args=["demo", "users"]).output
    listed = re.findall(r"^    (\S+@\S+): (.*)$", output, re.MULTILINE)
    assert {email for email, _text in listed} >= {
        f"{slug}@{org.DOMAIN}" for slug in ("elena.bruno", "renata.chiesa", "maria.zanetti")}
    for email, text in listed:
        user = _user(email.split("@")[0])
        found = agenda.agenda(user)
        assert text.startswith(f"{found.total} attività: "), (email, text)
        for task in found.tasks[:agenda.TASKS_NAMED]:
            assert agenda.task_line(task, user) in text
    assert "Valuta gli obiettivi: Giovanni Bertolino (scade il " in output  # the Board's
    assert "Parere dell'OIV sulla revisione (scaduta dal " in output


def test_the_cycle_two_years_back_is_closed_with_report_rewards_and_transparency(client, living_demo):
    cycle = _cycle(living_demo.today.year - 2)
    assert cycle.status == CycleStatus.CLOSED.value
    assert figures.validated_public_report(cycle).startswith(b"%PDF")
    fund = figures.fund(cycle)
    assert fund.distributed > 0 and fund.distributed + fund.remainder == fund.amount
    page = client.get("/trasparenza/").get_data(as_text=True)
    assert str(cycle.year) in page


def test_the_previous_cycle_waits_for_its_evaluations(living_demo):
    cycle = _cycle(living_demo.today.year - 1)
    assert cycle_service.instance_of(cycle).status == InstanceStatus.RUNNING.value
    slow, fast = _user(living.SLOW_MANAGER), _user(living.FAST_MANAGER)
    slow_ratings = _open(cycle, "rate_evaluation", assignee_id=slow.id)
    assert len(slow_ratings) >= 8
    assert db.session.scalar(select(func.count(TaskDraft.id)).where(
        TaskDraft.task_id.in_([t.id for t in slow_ratings]))) == living.DRAFTS_BY_SLOW
    assert _open(cycle, "rate_evaluation", assignee_id=fast.id)
    assert len(_open(cycle, "acknowledge_evaluation")) == living.RATED_BY_FAST - 1
    assert _open(cycle, "self_assessment")
    assert _open(cycle, "rate_evaluation", role=Role.BOARD.value)  # the SG's, by the Giunta
    final = db.session.scalar(select(func.count(Evaluation.id)).where(
        Evaluation.cycle_id == cycle.id, Evaluation.status == EvaluationStatus.FINAL.value))
    assert final == 1


def test_this_years_extra_round_is_open_with_indicators_at_risk_and_the_oiv_late(living_demo):
    cycle = _cycle(living_demo.today.year)
    extra = db.session.execute(select(MonitoringRound).where(
        MonitoringRound.cycle_id == cycle.id, MonitoringRound.kind == RoundKind.EXTRA.value)
    ).scalar_one()
    assert extra.status == RoundStatus.OPEN.value
    assert measurement.at_risk(cycle)
    now = clock.now()
    opinion, = _open(cycle, "oiv_opinion")
    assert opinion.overdue(now)
    monitoring = _open(cycle, "report_monitoring")
    assert len(monitoring) == len(living.LATE_AREAS)
    soon = datetime.combine(living_demo.today + timedelta(days=15), datetime.min.time(), UTC)
    assert all(now < t.due_at < soon for t in monitoring + _open(cycle, "check_objectives"))


def test_each_role_finds_its_tasks_on_its_pages(app, living_demo):
    for slug, path, task in (("marco.ferraris", "/", "Valuta gli obiettivi"),
                             ("maria.zanetti", "/tasks?view=pool", "Parere dell"),
                             ("renata.chiesa", "/tasks?view=pool", "Valuta gli obiettivi")):
        client = app.test_client()
        login(client, f"{slug}@{org.DOMAIN}")
        assert task in client.get(path).get_data(as_text=True), slug


def test_the_demo_plan_2022_stays_the_first_adopted_one(living_demo):
    first = db.session.execute(select(Cycle).order_by(Cycle.year).limit(1)).scalar_one()
    assert first.year == 2022 and first.plan.status == "approved"


def test_a_second_load_changes_nothing(app, living_demo):
    tasks = db.session.scalar(select(func.count(HumanTask.id)))
    output = app.test_cli_runner().invoke(args=["demo", "load"]).output
    assert output.strip().splitlines()[-1] == "Demo administration already loaded."
    assert db.session.scalar(select(func.count(HumanTask.id))) == tasks
