"""Nobody acts on a task about themselves, and reassignment never locks the rightful
evaluator out: the attack of a Manager taking over the Secretary General's rating of
himself, reproduced over HTTP with the demo administration."""
from __future__ import annotations

import pytest
from werkzeug.exceptions import Forbidden

from app.extensions import db
from app.services.cycle import children as cycle_children
from app.services.evaluation import operations as evaluations
from app.services.tasks import inbox
from app.services.tasks import operations as tasks
from tests.cycle_children.helpers import child, post_task, sign_in_as
from tests.engine.helpers import open_task
from tests.helpers import ADMIN, csrf_token, run_jobs, user_by_email


def _rating_of(person, evaluator, cycle, master):
    """The evaluator's rating task of the person, after the person's self-assessment."""
    sheet = evaluations.issue_sheet(evaluator, cycle, person)
    evaluations.acknowledge_sheet(person, sheet)
    db.session.commit()
    cycle_children.start_evaluations(user_by_email(ADMIN), cycle, master)
    run_jobs()
    db.session.commit()
    instance = child("individual_evaluation", f"evaluation:{cycle.id}:{person.id}")
    tasks.complete(person, open_task(instance.id, "self_assessment").id, {"self_assessment": ""})
    db.session.commit()
    return open_task(instance.id, "rate_evaluation")


@pytest.fixture
def manager_rating(cycle, master, people):
    """The Secretary General's rating of the Manager heading area A1 (whose unit it is)."""
    return _rating_of(people.manager, people.sg, cycle, master)


def _reassign(client, task_id: int, user_id: int):
    token = csrf_token(client, "/tasks")
    return client.post(f"/tasks/{task_id}/reassign", data={
        "csrf_token": token, "reassign-user_id": str(user_id), "reassign-reason": "mine"})


def test_manager_cannot_open_or_take_over_the_rating_of_himself(client, signed_in, people,
                                                                  manager_rating):
    assert manager_rating.assignee_id == people.sg.id
    assert manager_rating.subject_id == people.manager.id
    sign_in_as(client, signed_in, people.manager)
    assert client.get(f"/tasks/{manager_rating.id}").status_code == 403
    for how in ("reassign", "delegate"):  # the hand-over pages, which list people
        assert client.get(f"/tasks/{manager_rating.id}/{how}").status_code == 403
    assert _reassign(client, manager_rating.id, people.manager.id).status_code == 403
    assert post_task(client, manager_rating.id, {}).status_code in (400, 403)
    assert open_task(manager_rating.instance_id, "rate_evaluation").assignee_id == people.sg.id
    for view in inbox.VIEWS:
        html = client.get(f"/tasks?view={view}").get_data(as_text=True)
        assert f'data-task-id="{manager_rating.id}"' not in html


def test_nobody_reassigns_delegates_or_completes_a_task_about_themselves(people, manager_rating):
    admin = user_by_email(ADMIN)
    with pytest.raises(Forbidden):
        tasks.reassign(people.manager, manager_rating.id, people.manager.id, "mine")
    with pytest.raises(tasks.TaskError):
        tasks.reassign(admin, manager_rating.id, people.manager.id, "let him")
    with pytest.raises(tasks.TaskError):
        tasks.delegate(people.sg, manager_rating.id, people.manager.id, "busy")
    assert not tasks.may_view(people.manager, manager_rating)
    assert not tasks.may_complete(people.manager, manager_rating)


def test_an_evaluating_task_goes_only_up_the_chain_and_the_evaluator_takes_it_back(
        cycle, master, people):
    rating = _rating_of(people.supervisor, people.manager, cycle, master)
    admin = user_by_email(ADMIN)
    with pytest.raises(tasks.TaskError):  # a colleague outside the line of superiors
        tasks.reassign(admin, rating.id, people.other_employee.id, "help")
    tasks.reassign(admin, rating.id, people.sg.id, "the SG rates")  # above the manager
    db.session.commit()
    assert tasks.may_reassign(people.manager, rating)  # the rightful evaluator takes it back
    tasks.reassign(people.manager, rating.id, people.manager.id, "I rate my people")
    db.session.commit()
    assert open_task(rating.instance_id, "rate_evaluation").assignee_id == people.manager.id



def test_the_board_takes_back_the_secretary_generals_rating(cycle, master, people):
    rating = _rating_of(people.sg, people.board, cycle, master)
    assert rating.role == "Board" and rating.assignee_id is None
    admin = user_by_email(ADMIN)
    with pytest.raises(tasks.TaskError):
        tasks.reassign(admin, rating.id, people.manager.id, "the manager knows")
    assert not tasks.may_view(people.sg, rating)
    tasks.reassign(admin, rating.id, people.board.id, "to the Board's president")
    db.session.commit()
    assert tasks.may_complete(people.board, rating)
