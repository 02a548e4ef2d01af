"""The synthetic answers of app.demo.child_inputs complete every child task through the
task page (forms and services), and are the same for the same random seed."""
from __future__ import annotations

import random

from app.demo.child_inputs import synthetic
from app.extensions import db
from app.models.monitoring import MonitoringRound
from app.models.org import OrgUnit
from app.services.cycle import children as cycle_children
from tests.cycle_children.helpers import child, messages_to, post_task, sign_in_as
from tests.engine.helpers import open_task, open_tasks
from tests.helpers import csrf_token, run_jobs


def _answer(client, signed_in, user, task, rng, **options):
    sign_in_as(client, signed_in, user)
    if task.assignee_id is None:
        token = csrf_token(client, "/tasks")
        assert client.post(f"/tasks/{task.id}/claim", data={"csrf_token": token}).status_code == 302
    response = post_task(client, task.id, synthetic(task, rng, **options))
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]


def test_synthetic_answers_complete_every_child_task(client, signed_in, cycle, master, people):
    rng = random.Random(7)
    cycle_children.start_assignments(people.support, cycle, master)
    run_jobs()
    db.session.commit()
    assignment = child("objective_assignment", f"assignment:{cycle.id}:{people.employee.id}")
    task = open_task(assignment.id, "assign_objectives")
    assert synthetic(task, random.Random(3)) == synthetic(task, random.Random(3))
    _answer(client, signed_in, people.supervisor, task, rng)
    _answer(client, signed_in, people.employee, open_task(assignment.id, "acknowledge_objectives"), rng)
    assert child("objective_assignment", assignment.business_key).status == "completed"

    round_ = MonitoringRound(cycle_id=cycle.id, number=1, label="Intermedio", kind="calendar",
                             status="open", due=cycle.monitoring_due)
    db.session.add(round_)
    db.session.flush()
    cycle_children.start_monitoring(people.support, cycle, master, round_)
    run_jobs()
    db.session.commit()
    area = db.session.get(OrgUnit, people.manager.unit_id)
    monitoring = child("monitoring", f"monitoring_round:{round_.id}:area:{area.id}")
    _answer(client, signed_in, people.manager, open_task(monitoring.id, "report_monitoring"), rng)
    assert child("monitoring", monitoring.business_key).status == "completed"
    check = child("individual_check", f"monitoring_round:{round_.id}:check:{people.supervisor.id}")
    _answer(client, signed_in, people.supervisor, open_task(check.id, "check_objectives"), rng)
    assert child("individual_check", check.business_key).status == "completed"

    cycle_children.start_evaluations(people.support, cycle, master)
    run_jobs()
    db.session.commit()
    evaluation = child("individual_evaluation", f"evaluation:{cycle.id}:{people.employee.id}")
    _answer(client, signed_in, people.employee, open_task(evaluation.id, "self_assessment"), rng)
    _answer(client, signed_in, people.supervisor, open_task(evaluation.id, "rate_evaluation"), rng)
    _answer(client, signed_in, people.employee, open_task(evaluation.id, "acknowledge_evaluation"),
            rng, ask_review=True)
    _answer(client, signed_in, people.manager, open_task(evaluation.id, "review_evaluation"), rng)
    assert child("individual_evaluation", evaluation.business_key).status == "completed"
    assert open_tasks(evaluation.id) == []
    assert messages_to(master.id)["evaluations_done"] == [evaluation.id]
