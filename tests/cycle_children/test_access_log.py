"""The task pages of an individual evaluation log the evaluator's opening of another
person's evaluation, never the person's own."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.privacy import PersonalDataAccess
from tests.cycle_children.helpers import post_task, sign_in_as
from tests.cycle_children.test_evaluation import evaluation  # noqa: F401  (fixture)
from tests.engine.helpers import open_task


def _accesses() -> list[PersonalDataAccess]:
    db.session.expire_all()
    return list(db.session.execute(select(PersonalDataAccess)).scalars())


def test_the_evaluator_opening_an_evaluation_task_is_logged_the_person_is_not(
        client, signed_in, cycle, people, evaluation):  # noqa: F811
    sign_in_as(client, signed_in, people.employee)
    own = open_task(evaluation.id, "self_assessment")
    assert client.get(f"/tasks/{own.id}").status_code == 200
    assert _accesses() == []
    assert post_task(client, own.id, {"self_assessment": "Fatto"}).status_code == 302

    sign_in_as(client, signed_in, people.supervisor)
    rate = open_task(evaluation.id, "rate_evaluation")
    assert client.get(f"/tasks/{rate.id}").status_code == 200
    [row] = _accesses()
    assert (row.viewer_id, row.subject_id, row.what, row.cycle_id) == (
        people.supervisor.id, people.employee.id, "evaluation", cycle.id)
    assert row.page == f"/tasks/{rate.id}"
