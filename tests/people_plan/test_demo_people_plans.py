"""The demo's people plans leave work for the people concerned, as after `make run`:
the Board adopts the staffing plan, the support unit files the committee's opinion on
the positive actions plan, employees have mandatory training due; loading twice
changes nothing; `flask demo users` says who has what."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models.engine import HumanTask
from app.models.training import TrainingDue
from tests.helpers import EMPLOYEE_A1, run_jobs, user_by_email


def test_the_demo_leaves_open_tasks_for_the_people_concerned(cycle, adoption_deployed,
                                                             training_deployed):
    from app.demo import people_plan as demo_people

    demo_people.load(cycle)
    db.session.commit()
    run_jobs()
    open_keys = dict(db.session.execute(
        select(HumanTask.form_key, func.count()).where(HumanTask.status == "open")
        .group_by(HumanTask.form_key)).all())
    assert open_keys["people_plan_deliberation"] == 1
    assert open_keys["people_plan_cug_opinion"] == 1
    employee = user_by_email(EMPLOYEE_A1)
    assert db.session.scalar(select(func.count()).select_from(HumanTask).where(
        HumanTask.form_key == "training_attendance", HumanTask.assignee_id == employee.id,
        HumanTask.status == "open")) == 1
    dues = db.session.scalar(select(func.count(TrainingDue.id)))
    demo_people.load(cycle)
    db.session.commit()
    assert db.session.scalar(select(func.count(TrainingDue.id))) == dues
