"""A monitoring round's check of individual objectives: one task per evaluator listing
all their people (the Secretary General checks the managers, each manager or delegated
supervisor their staff); on track / at risk with a note, recorded per round; refused to
anyone else (403) and answered 409 when the form is stale. And each round keeps its own
indicator results."""
from __future__ import annotations

from sqlalchemy import select, update

from app.extensions import db
from app.models.engine import ProcessInstance
from app.models.evaluation import ObjectiveSheet
from app.models.monitoring import IndividualCheck, MonitoringEntry, MonitoringRound
from app.models.org import OrgUnit
from app.services.cycle import children as cycle_children
from app.services.cycle.monitoring_steps import area_indicators
from tests.cycle_children.helpers import child, post_task, rows, sign_in_as
from tests.engine.helpers import actions, open_task
from tests.helpers import csrf_token, run_jobs


def _open_round(cycle, master, people, number: int) -> MonitoringRound:
    row = MonitoringRound(cycle_id=cycle.id, number=number, label=f"Round {number}",
                          kind="calendar", status="open", due=cycle.monitoring_due)
    db.session.add(row)
    db.session.flush()
    cycle_children.start_monitoring(people.support, cycle, master, row)
    run_jobs()
    db.session.commit()
    return row


def _sheets(cycle, *persons):
    for person in persons:
        db.session.add(ObjectiveSheet(cycle_id=cycle.id, user_id=person.id, status="acknowledged"))
    db.session.commit()


def _check_task(row, checker):
    return open_task(child("individual_check", f"monitoring_round:{row.id}:check:{checker.id}").id,
                     "check_objectives")


def test_each_evaluator_checks_their_people_on_one_page(client, signed_in, cycle, master, people):
    _sheets(cycle, people.employee, people.other_employee, people.supervisor, people.manager)
    row = _open_round(cycle, master, people, 1)
    staff_task = _check_task(row, people.supervisor)
    assert staff_task.role == "Evaluator" and staff_task.assignee_id == people.supervisor.id
    assert _check_task(row, people.manager).assignee_id == people.manager.id
    assert _check_task(row, people.sg).assignee_id == people.sg.id

    from tests.helpers import OTHER_MANAGER, user_by_email

    sign_in_as(client, signed_in, user_by_email(OTHER_MANAGER))
    assert client.get(f"/tasks/{staff_task.id}").status_code == 403
    sign_in_as(client, signed_in, people.manager)  # may see and hand it over, not answer it
    token = csrf_token(client, "/tasks")
    items = [{"user_id": str(p.id), "outcome": "on_track", "note": ""}
             for p in (people.employee, people.other_employee)]
    answer = client.post(f"/tasks/{staff_task.id}", data={"csrf_token": token, **rows("rows", items)})
    assert answer.status_code == 403

    sign_in_as(client, signed_in, people.supervisor)
    page = client.get(f"/tasks/{staff_task.id}").get_data(as_text=True)
    assert 'data-testid="check-rows"' in page and people.employee.last_name in page
    staff = sorted((people.employee, people.other_employee), key=lambda p: (p.last_name, p.first_name))
    items = [{"user_id": str(p.id), "outcome": "on_track", "note": ""} for p in staff]
    items[0].update(outcome="at_risk")
    assert post_task(client, staff_task.id, rows("rows", items)).status_code == 422
    items[0].update(note="Formazione non ancora svolta")
    assert post_task(client, staff_task.id, rows("rows", items)).status_code == 302

    db.session.expire_all()
    checks = {c.user_id: c for c in db.session.execute(select(IndividualCheck)).scalars()}
    assert set(checks) == {p.id for p in staff}
    assert checks[staff[0].id].outcome == "at_risk"
    assert checks[staff[0].id].note == "Formazione non ancora svolta"
    assert {c.round_id for c in checks.values()} == {row.id}
    assert {c.checker_id for c in checks.values()} == {people.supervisor.id}

    sign_in_as(client, signed_in, people.employee)
    assert client.get("/monitoraggi/2022").status_code == 403
    sign_in_as(client, signed_in, people.manager)
    seen = client.get("/monitoraggi/2022").get_data(as_text=True)
    assert "Formazione non ancora svolta" in seen


def test_a_stale_check_form_is_answered_409_and_nothing_is_saved(client, signed_in, cycle, master,
                                                                 people, monkeypatch):
    from app.services.tasks import steps

    _sheets(cycle, people.manager)
    row = _open_round(cycle, master, people, 1)
    task = _check_task(row, people.sg)
    sign_in_as(client, signed_in, people.sg)
    token = csrf_token(client, f"/tasks/{task.id}")
    original = steps.decisions

    def lose_the_race(actor, human_task, form_data):
        with db.engine.begin() as connection:
            connection.execute(update(ProcessInstance).where(
                ProcessInstance.id == human_task.instance_id).values(version=ProcessInstance.version + 1))
        return original(actor, human_task, form_data)

    monkeypatch.setattr(steps, "decisions", lose_the_race)
    answer = client.post(f"/tasks/{task.id}", data={
        "csrf_token": token, **rows("rows", [{"user_id": str(people.manager.id),
                                              "outcome": "on_track", "note": ""}])})
    monkeypatch.undo()
    assert answer.status_code == 409
    assert open_task(task.instance_id, "check_objectives").id == task.id
    assert "task.complete" not in actions(task.instance_id)
    db.session.expire_all()
    assert db.session.execute(select(IndividualCheck)).first() is None


def _report(client, row, area, value):
    task = open_task(child("monitoring", f"monitoring_round:{row.id}:area:{area.id}").id,
                     "report_monitoring")
    token = csrf_token(client, "/tasks")
    assert client.post(f"/tasks/{task.id}/claim", data={"csrf_token": token}).status_code == 302
    indicators = area_indicators(task)
    items = [{"indicator_id": str(i.id), "value": value if i.unit == "number" else "",
              "forecast": "", "note": ""} for i in indicators]
    assert post_task(client, task.id, rows("rows", items)).status_code == 302
    return next(i for i in indicators if i.unit == "number")


def test_each_round_keeps_its_own_results_and_managers_see_their_areas(client, signed_in, cycle, master, people):
    area = db.session.get(OrgUnit, people.manager.unit_id)
    first = _open_round(cycle, master, people, 1)
    sign_in_as(client, signed_in, people.manager)
    indicator = _report(client, first, area, "10")
    second = _open_round(cycle, master, people, 2)
    _report(client, second, area, "25")
    db.session.expire_all()
    values = dict(db.session.execute(select(MonitoringEntry.round_id, MonitoringEntry.value).where(
        MonitoringEntry.indicator_id == indicator.id)).all())
    assert values == {first.id: 10, second.id: 25}
    assert f'data-indicator="{indicator.code}"' in client.get("/monitoraggi/2022").get_data(as_text=True)
    from tests.helpers import OTHER_MANAGER, user_by_email

    sign_in_as(client, signed_in, user_by_email(OTHER_MANAGER))
    other = client.get("/monitoraggi/2022")
    assert other.status_code == 200 and f'data-indicator="{indicator.code}"' not in other.get_data(as_text=True)
