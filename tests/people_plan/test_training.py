"""The training plan: a mandatory entry gives each person of its audience a due date
and a reminder task (a background job starts them; the engine's tick reminds and
escalates); the person declares the attendance on the task (nobody else may, 403), or
the HR office records it and the task closes; the figures per sector that the plan's
indicators read."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from app import engine
from app.extensions import db
from app.models.engine import HumanTask, Notification
from app.models.training import TrainingAttendance, TrainingDue
from app.services.people_plan import training
from tests.cycle.helpers import post_task, sign_in
from tests.helpers import EMPLOYEE_A1, SUPERVISOR_A1, SUPPORT, run_jobs, user_by_email

SAFETY = training.EntryData(area="Salute e sicurezza", action="Aggiornamento sicurezza",
                            beneficiaries="Personale di categoria C", timing="Ogni 5 anni",
                            teaching="external", topic="safety", every_years=5, within_days=60,
                            categories="C")
ANTICORRUPTION = training.EntryData(area="Prevenzione della corruzione", action="E-learning",
                                    beneficiaries="Tutto il personale", timing="Entro luglio",
                                    teaching="external", topic="anticorruption")


@pytest.fixture
def plan(cycle, training_deployed):
    support = user_by_email(SUPPORT)
    row = training.open_plan(support, cycle)
    training.add_entry(support, row, None, SAFETY)
    training.add_entry(support, row, None, ANTICORRUPTION)
    db.session.commit()
    return row


def _open_tasks(user_id: int) -> list[HumanTask]:
    db.session.expire_all()
    return list(db.session.execute(select(HumanTask).where(
        HumanTask.form_key == "training_attendance", HumanTask.status == "open",
        HumanTask.assignee_id == user_id)).scalars())


def test_a_mandatory_entry_gives_its_audience_due_dates_and_reminder_tasks(plan):
    support = user_by_email(SUPPORT)
    created = training.schedule_dues(support, plan)
    db.session.commit()
    audience = {p.id for p in training.audience(plan.entries[0])}
    assert {d.user_id for d in created} == audience and audience
    for due in created:  # never trained: 60 days after a hiring in the plan, else by year end
        hired = due.user.service_start
        assert due.due_on == (date(2022, 4, 30) if hired == date(2022, 3, 1) else date(2022, 12, 31))
    run_jobs()
    assert all(len(_open_tasks(user_id)) == 1 for user_id in audience)
    assert training.schedule_dues(support, plan) == []  # pending due dates are kept
    report = engine.tick()
    db.session.commit()
    assert report.escalations >= 1  # the due dates of 2022 are past
    assert db.session.scalar(select(Notification.id).where(Notification.kind == "escalation"))


def test_the_person_declares_the_attendance_and_nobody_else_may(client, plan):
    employee = user_by_email(EMPLOYEE_A1)
    employee.category = "C"
    db.session.commit()
    training.schedule_dues(user_by_email(SUPPORT), plan)
    db.session.commit()
    run_jobs()
    (task,) = _open_tasks(employee.id)
    for someone in (SUPERVISOR_A1, SUPPORT):
        sign_in(client, someone)
        assert post_task(client, task.id, {"attended_on": "2022-05-10", "confirm": "y"}
                         ).status_code == 403
    sign_in(client, EMPLOYEE_A1)
    assert post_task(client, task.id, {"attended_on": "2022-05-10", "hours": "4",
                                       "confirm": "y"}).status_code == 302
    db.session.expire_all()
    due = db.session.execute(select(TrainingDue).where(TrainingDue.user_id == employee.id)).scalar_one()
    assert due.done_on == date(2022, 5, 10)
    assert db.session.execute(select(TrainingAttendance.hours).where(
        TrainingAttendance.user_id == employee.id)).scalar_one() == D(4)


def test_the_offices_record_of_the_attendance_closes_the_reminder(plan):
    support = user_by_email(SUPPORT)
    created = training.schedule_dues(support, plan)
    db.session.commit()
    run_jobs()
    person = created[0].user_id
    training.record_attendance(support, plan.entries[0], [person], date(2022, 9, 1))
    db.session.commit()
    assert _open_tasks(person) == []
    assert db.session.get(TrainingDue, created[0].id).done_on == date(2022, 9, 1)


def test_the_indicators_read_the_people_trained_per_sector(plan, cycle):
    support = user_by_email(SUPPORT)
    employee, supervisor = user_by_email(EMPLOYEE_A1), user_by_email(SUPERVISOR_A1)
    training.record_attendance(support, plan.entries[1], [employee.id, supervisor.id],
                               date(2022, 7, 1))
    db.session.commit()
    per_sector = training.trained_per_sector(cycle, "anticorruption")
    assert per_sector["A1.1"] == 2
    assert per_sector["A2.1"] == 0  # a sector nobody of which attended
    assert training.trained_per_sector(cycle, "safety")["A1.1"] == 0
    a11 = next(f for f in training.figures_by_unit(plan) if f.unit.code == "A1.1")
    assert a11.trained == 2 and a11.people >= 2


def test_attendance_in_the_future_is_refused(plan):
    with pytest.raises(training.PeoplePlanError):
        training.record_attendance(user_by_email(SUPPORT), plan.entries[0],
                                   [user_by_email(EMPLOYEE_A1).id], date(2999, 1, 1))


def test_the_training_page_is_edited_by_the_hr_office_only_and_a_stale_form_is_409(
        client, signed_in, plan):
    from tests.helpers import BOARD, csrf_token

    url = "/people/2022/training"
    entry = {"area": "Inserimento", "action": "Nuovi assunti", "beneficiaries": "Neoassunti",
             "timing": "Primo anno", "teaching": "internal", "topic": "", "within_days": "365"}
    for who in (EMPLOYEE_A1, BOARD):
        signed_in(who)
        token = csrf_token(client, url + "/")
        assert client.post(url + "/entries", data={"csrf_token": token, "version": plan.version,
                                                   **entry}).status_code == 403
        assert client.post(url + "/attendance", data={"csrf_token": token}).status_code == 403
        client.post("/logout", data={"csrf_token": token})
    signed_in(SUPPORT)
    token = csrf_token(client, url + "/")
    stale = plan.version
    assert client.post(url + "/entries", data={"csrf_token": token, "version": stale,
                                               **entry}).status_code == 302
    assert client.post(url + "/entries", data={"csrf_token": token, "version": stale,
                                               **entry}).status_code == 409
    page = client.get(url + "/").get_data(as_text=True)
    assert "Nuovi assunti" in page and "entro 365 giorni" in page


def test_above_the_list_limit_the_attendance_names_people_by_e_mail(
        client, signed_in, plan, monkeypatch):
    """A ministry's 25,000 people are not listed on the page: their e-mails are typed."""
    from app.services.org import listing
    from tests.helpers import csrf_token

    url = "/people/2022/training"
    signed_in(SUPPORT)
    assert 'name="user_ids"' in client.get(url + "/").get_data(as_text=True)
    monkeypatch.setattr(listing, "PEOPLE_LIST_LIMIT", 2)
    html = client.get(url + "/").get_data(as_text=True)
    assert 'name="emails"' in html and 'name="user_ids"' not in html
    employee, supervisor = user_by_email(EMPLOYEE_A1), user_by_email(SUPERVISOR_A1)
    form = {"csrf_token": csrf_token(client, url + "/"), "entry_id": str(plan.entries[1].id),
            "attended_on": "2022-09-01"}

    def recorded() -> set[int]:
        db.session.expire_all()
        return set(db.session.execute(select(TrainingAttendance.user_id)).scalars())

    page = client.post(url + "/attendance", data={
        **form, "emails": f"{employee.email}\n nessuno@cciaa-demo.example"},
        follow_redirects=True).get_data(as_text=True)
    assert "Nessuna persona attiva ha queste e-mail: nessuno@cciaa-demo.example" in page
    assert recorded() == set()  # one unknown address: nobody is recorded
    page = client.post(url + "/attendance", data={
        **form, "emails": f"{employee.email.upper()}, {supervisor.email}\n"},
        follow_redirects=True).get_data(as_text=True)
    assert recorded() == {employee.id, supervisor.id}, page
    assert client.post(url + "/attendance", data={  # a listed id is not enough now
        **form, "user_ids": str(employee.id)}).status_code == 302
    assert len(recorded()) == 2
