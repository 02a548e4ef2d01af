"""objective_assignment over HTTP: weights that do not add up to 100 are refused and
change nothing; the person asks for changes (the evaluator sees why), then acknowledges;
the reminder timer; the wrong person gets 403; the SG's objectives go to the Board."""
from __future__ import annotations

from sqlalchemy import func, select

from app import engine
from app.engine import tick
from app.extensions import db
from app.models.engine import Notification
from app.models.evaluation import ObjectiveSheet
from app.models.plan import IndividualObjective
from app.services.cycle import children as cycle_children
from tests.cycle_children.helpers import child, messages_to, post_task, rows, sign_in_as
from tests.engine.helpers import actions, open_task, open_tasks
from tests.helpers import run_jobs

GOOD = [{"title": "Ridurre i tempi di evasione", "weight": "60", "actions": "Smaltire l'arretrato"},
        {"title": "Formazione", "weight": "40,0", "behaviours": "Collaborazione"}]


def _objectives(person_id: int, cycle_id: int) -> list[tuple[str, str]]:
    db.session.expire_all()
    return [(o.title, str(o.weight)) for o in db.session.execute(
        select(IndividualObjective).where(IndividualObjective.user_id == person_id,
                                          IndividualObjective.cycle_id == cycle_id)
        .order_by(IndividualObjective.position)).scalars()]


def _start(people, cycle, master):
    count = cycle_children.start_assignments(people.support, cycle, master)
    run_jobs()
    db.session.commit()
    return count, child("objective_assignment", f"assignment:{cycle.id}:{people.employee.id}")


def test_one_assignment_per_person_to_evaluate(cycle, master, people):
    count, _instance = _start(people, cycle, master)
    evaluated = cycle_children.people_to_evaluate(cycle)
    emails = {p.email for p in evaluated}
    assert count == len(evaluated)
    assert people.sg.email in emails and people.board.email in emails  # staff, with a unit
    assert not any(e.startswith("maria.zanetti") for e in emails)  # the OIV is external
    sg_task = open_task(child("objective_assignment", f"assignment:{cycle.id}:{people.sg.id}").id,
                        "assign_objectives")
    assert sg_task.role == "Board" and sg_task.assignee_id is None
    mine = open_task(child("objective_assignment", f"assignment:{cycle.id}:{people.employee.id}").id,
                     "assign_objectives")
    assert mine.assignee_id == people.supervisor.id and mine.due_at is not None


def test_assign_refuse_ask_changes_then_acknowledge(client, signed_in, cycle, master, people):
    _count, instance = _start(people, cycle, master)
    before = _objectives(people.employee.id, cycle.id)
    assign = open_task(instance.id, "assign_objectives")

    signed_in(people.supervisor.email)
    page = client.get(f"/tasks/{assign.id}").get_data(as_text=True)
    assert "rows-0-title" in page and before[0][0] in page  # prefilled with the current ones
    bad = rows("rows", [{**GOOD[0], "weight": "50"}, GOOD[1]])
    response = post_task(client, assign.id, bad)
    assert response.status_code == 422
    assert "The weights add up to 90, not 100." in response.get_data(as_text=True)
    response = post_task(client, assign.id, rows("rows", [{**GOOD[0], "weight": "abc"}]))
    assert response.status_code == 422 and "&#39;abc&#39;" in response.get_data(as_text=True)
    assert _objectives(people.employee.id, cycle.id) == before
    assert open_task(instance.id, "assign_objectives").id == assign.id

    assert post_task(client, assign.id, rows("rows", GOOD)).status_code == 302
    assert _objectives(people.employee.id, cycle.id) == [
        ("Ridurre i tempi di evasione", "60.0000"), ("Formazione", "40.0000")]
    acknowledge = open_task(instance.id, "acknowledge_objectives")
    assert acknowledge.assignee_id == people.employee.id

    # Someone else cannot answer for the person.
    sign_in_as(client, signed_in, people.other_employee)
    assert client.get(f"/tasks/{acknowledge.id}").status_code == 403
    assert client.post(f"/tasks/{acknowledge.id}", data={"decision": "acknowledge"}).status_code in (400, 403)

    sign_in_as(client, signed_in, people.employee)
    page = client.get(f"/tasks/{acknowledge.id}").get_data(as_text=True)
    assert "Ridurre i tempi di evasione" in page
    response = post_task(client, acknowledge.id, {"decision": "changes", "comment": ""})
    assert response.status_code == 422
    assert post_task(client, acknowledge.id, {"decision": "changes",
                                              "comment": "Il peso della formazione è eccessivo"}).status_code == 302
    again = open_task(instance.id, "assign_objectives")
    sign_in_as(client, signed_in, people.supervisor)
    page = client.get(f"/tasks/{again.id}").get_data(as_text=True)
    assert "Il peso della formazione è eccessivo" in page and 'data-testid="changes-requested"' in page
    changed = [{**GOOD[0], "weight": "70"}, {**GOOD[1], "weight": "30"}]
    assert post_task(client, again.id, rows("rows", changed)).status_code == 302

    sign_in_as(client, signed_in, people.employee)
    final = open_task(instance.id, "acknowledge_objectives")
    assert post_task(client, final.id, {"decision": "acknowledge", "comment": "Va bene"}).status_code == 302
    sheet = db.session.execute(select(ObjectiveSheet).where(
        ObjectiveSheet.user_id == people.employee.id)).scalar_one()
    assert sheet.status == "acknowledged" and sheet.employee_comment == "Va bene"
    assert child("objective_assignment", instance.business_key).status == "completed"
    assert "assignments_done" not in messages_to(master.id)  # the others are still running


def test_reminder_timer_reopens_the_acknowledgement(client, signed_in, cycle, master, people, clock):
    _count, instance = _start(people, cycle, master)
    signed_in(people.supervisor.email)
    assign = open_task(instance.id, "assign_objectives")
    assert post_task(client, assign.id, rows("rows", GOOD)).status_code == 302
    first = open_task(instance.id, "acknowledge_objectives")

    def notifications() -> int:
        return db.session.scalar(select(func.count(Notification.id)).where(
            Notification.user_id == people.employee.id))

    sent = notifications()
    clock.advance(days=3)
    assert tick().timers_fired == 0
    clock.advance(days=5)
    report = tick()
    assert report.timers_fired >= 1
    second = open_task(instance.id, "acknowledge_objectives")
    assert second.id != first.id and notifications() > sent
    workflow = engine.load(child("objective_assignment", instance.business_key))
    assert max(t.data["reminders"] for t in workflow.get_tasks(spec_name="acknowledge_objectives")) == 1
    assert len(open_tasks(instance.id)) == 1


def test_no_person_still_lets_the_master_go_on(cycle, master, people, monkeypatch):
    from sqlalchemy import false

    monkeypatch.setattr(cycle_children, "_to_evaluate", lambda: (false(),))  # nobody
    assert cycle_children.start_assignments(people.support, cycle, master) == 0
    db.session.commit()
    assert messages_to(master.id) == {"assignments_done": []}
    assert "message.deliver" in actions(master.id)
