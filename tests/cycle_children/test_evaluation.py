"""individual_evaluation over HTTP: only people with acknowledged objectives are
evaluated; self-assessment; the live score; ratings; acknowledgement; a review asked
within the window and the second-level review; the window closed by its timer; 403."""
from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import select

from app.engine import tick
from app.extensions import db
from app.formats import italian as formatting
from app.models.evaluation import Evaluation
from app.services.cycle import children as cycle_children
from app.services.evaluation import operations as evaluations
from app.services.plan.individual import objectives_of
from app.services.plan.system import system_for
from app.services.privacy import access_log
from tests.cycle_children.helpers import child, messages_to, post_task, rows, sign_in_as
from tests.engine.helpers import open_task
from tests.helpers import QueryCounter, csrf_token, run_jobs


def _acknowledged(cycle, person, evaluator):
    sheet = evaluations.issue_sheet(evaluator, cycle, person)
    evaluations.acknowledge_sheet(person, sheet)
    db.session.commit()


@pytest.fixture
def evaluation(cycle, master, people):
    _acknowledged(cycle, people.employee, people.supervisor)
    assert cycle_children.start_evaluations(people.support, cycle, master) == 1
    run_jobs()
    db.session.commit()
    return child("individual_evaluation", f"evaluation:{cycle.id}:{people.employee.id}")


def _ratings(cycle, person, grades) -> list[dict]:
    return [{"objective_id": str(o.id), "what": str(what), "how": how, "comment": ""}
            for o, (what, how) in zip(objectives_of(cycle, person), grades)]


def _record(cycle, person) -> Evaluation:
    db.session.expire_all()
    return db.session.execute(select(Evaluation).where(
        Evaluation.cycle_id == cycle.id, Evaluation.user_id == person.id)).scalar_one()


def _to_rating(client, signed_in, people, instance, self_assessment: str = "") -> str:
    """The person self-assesses, then the evaluator signs in: the rating form's page."""
    sign_in_as(client, signed_in, people.employee)
    assert post_task(client, open_task(instance.id, "self_assessment").id,
                     {"self_assessment": self_assessment}).status_code == 302
    sign_in_as(client, signed_in, people.supervisor)
    return f"/tasks/{open_task(instance.id, 'rate_evaluation').id}"


def _rate(client, signed_in, people, cycle, instance, grades):
    """Self-assessment given by the person, then the evaluator rates."""
    page = _to_rating(client, signed_in, people, instance, "Ho ridotto l'arretrato del 30%")
    assert post_task(client, int(page.rsplit("/", 1)[1]),
                     rows("rows", _ratings(cycle, people.employee, grades))).status_code == 302


def test_nobody_without_acknowledged_objectives_is_evaluated(cycle, master, people):
    assert cycle_children.start_evaluations(people.support, cycle, master) == 0
    db.session.commit()
    assert messages_to(master.id) == {"evaluations_done": []}
    # and the service refuses to rate anyway
    evaluation = evaluations.open_evaluation(cycle, people.employee)
    with pytest.raises(evaluations.EvaluationError):
        evaluations.rate(people.supervisor, evaluation, [])


def test_rate_with_live_score_then_acknowledge(client, signed_in, cycle, people, evaluation, master):
    instance = evaluation
    sign_in_as(client, signed_in, people.employee)
    self_task = open_task(instance.id, "self_assessment")
    assert self_task.assignee_id == people.employee.id
    assert post_task(client, self_task.id, {"self_assessment": "Obiettivi raggiunti"}).status_code == 302

    rate = open_task(instance.id, "rate_evaluation")
    assert rate.assignee_id == people.supervisor.id
    assert client.get(f"/tasks/{rate.id}").status_code == 403  # the person cannot rate
    sign_in_as(client, signed_in, people.supervisor)
    page = client.get(f"/tasks/{rate.id}").get_data(as_text=True)
    assert "Obiettivi raggiunti" in page and "data-preview-url" in page

    grades = [(6, "A"), (4, "B"), (2, "C")]
    ratings = rows("rows", _ratings(cycle, people.employee, grades))
    token = csrf_token(client, f"/tasks/{rate.id}")
    preview = client.post(f"/tasks/{rate.id}/preview-score", data={"csrf_token": token, **ratings},
                          headers={"Accept": "application/json"})
    objectives = objectives_of(cycle, people.employee)
    expected = evaluations.compute(cycle, objectives, [
        evaluations.RatingInput(o.id, what, how) for o, (what, how) in zip(objectives, grades)],
        people.employee)
    assert preview.status_code == 200
    assert preview.json["score"] == f"{expected[0]:.2f}" and preview.json["band"] == expected[1]
    # with how it is computed: one line per objective, the weighted mean, the band
    assert len(preview.json["explanation"]) == len(objectives) + 2
    assert preview.json["explanation"][-2].endswith(formatting.number(expected[0]))
    wrong = client.post(f"/tasks/{rate.id}/preview-score",
                        data={"csrf_token": token, **ratings, "rows-0-what": "9"})
    assert wrong.status_code == 200 and wrong.json["score"] is None and wrong.json["error"]
    below = ("sotto soglia (nessun premio)", "below threshold (no bonus)")  # the reader's language
    assert not preview.json["band_label"].endswith(below)
    unpaid = rows("rows", _ratings(cycle, people.employee, [(1, "A")] * len(grades)))
    low = client.post(f"/tasks/{rate.id}/preview-score", data={"csrf_token": token, **unpaid})
    assert low.json["band_label"].endswith(below)  # score 1 pays no bonus

    bad = post_task(client, rate.id, {**ratings, "rows-1-how": "D"})
    assert bad.status_code == 422 and _record(cycle, people.employee).status == "open"
    assert post_task(client, rate.id, ratings).status_code == 302
    record = _record(cycle, people.employee)
    assert record.status == "rated" and record.score == expected[0]
    late = client.post(f"/tasks/{rate.id}/preview-score", data={"csrf_token": token, **ratings})
    assert late.status_code == 200 and late.json["score"] is None  # a preview racing "Completa"

    sign_in_as(client, signed_in, people.employee)
    answer = open_task(instance.id, "acknowledge_evaluation")
    assert answer.due_at is not None  # the window's end
    page = client.get(f"/tasks/{answer.id}").get_data(as_text=True)
    assert 'data-testid="evaluation-summary"' in page
    assert post_task(client, answer.id, {"decision": "review", "reason": ""}).status_code == 422
    assert post_task(client, answer.id, {"decision": "acknowledge"}).status_code == 302
    assert _record(cycle, people.employee).status == "final"
    assert child("individual_evaluation", instance.business_key).status == "completed"
    assert messages_to(master.id)["evaluations_done"] == [instance.id]


def test_review_by_the_second_level_evaluator(client, signed_in, cycle, people, evaluation):
    instance = evaluation
    _rate(client, signed_in, people, cycle, instance, [(3, "B"), (3, "B"), (3, "B")])
    sign_in_as(client, signed_in, people.employee)
    answer = open_task(instance.id, "acknowledge_evaluation")
    assert post_task(client, answer.id, {"decision": "review",
                                         "reason": "Il secondo obiettivo è stato superato"}).status_code == 302
    review = open_task(instance.id, "review_evaluation")
    assert review.assignee_id == people.manager.id  # the supervisor's own evaluator

    sign_in_as(client, signed_in, people.supervisor)
    assert client.get(f"/tasks/{review.id}").status_code == 403
    sign_in_as(client, signed_in, people.manager)
    page = client.get(f"/tasks/{review.id}").get_data(as_text=True)
    assert "Il secondo obiettivo è stato superato" in page
    amended = rows("rows", _ratings(cycle, people.employee, [(3, "B"), (6, "A"), (3, "B")]))
    assert post_task(client, review.id, {"outcome": "amend", "reasons": "", **amended}).status_code == 422
    assert post_task(client, review.id, {"outcome": "amend", "reasons": "Dati verificati",
                                         **amended}).status_code == 302
    record = _record(cycle, people.employee)
    assert record.status == "final" and record.review_outcome == "amended"
    assert record.reviewer_id == people.manager.id and record.score > 3
    assert child("individual_evaluation", instance.business_key).status == "completed"


def test_the_timer_closes_the_review_window(client, signed_in, cycle, people, evaluation, clock):
    instance = evaluation
    _rate(client, signed_in, people, cycle, instance, [(4, "A"), (4, "A"), (4, "A")])
    answer = open_task(instance.id, "acknowledge_evaluation")
    clock.advance(days=system_for(cycle).review_window_days - 1)
    assert tick().timers_fired == 0 and _record(cycle, people.employee).status == "rated"
    clock.advance(days=2)
    assert tick().timers_fired == 1
    record = _record(cycle, people.employee)
    assert record.status == "final" and record.acknowledged_at is None
    assert child("individual_evaluation", instance.business_key).status == "completed"
    db.session.expire_all()
    assert answer.status == "cancelled"
    sign_in_as(client, signed_in, people.employee)
    assert post_task(client, answer.id, {"decision": "review", "reason": "Troppo tardi"}).status_code in (403, 409)


def test_the_self_assessment_is_optional(cycle, people, evaluation, clock):
    clock.advance(days=15)
    assert tick().timers_fired == 1
    assert open_task(evaluation.id, "rate_evaluation").assignee_id == people.supervisor.id


def test_the_secretary_general_is_evaluated_and_reviewed_by_the_board(cycle, master, people):
    _acknowledged(cycle, people.sg, people.board)
    cycle_children.start_evaluations(people.support, cycle, master)
    run_jobs()
    db.session.commit()
    instance = child("individual_evaluation", f"evaluation:{cycle.id}:{people.sg.id}")
    from tests.engine.helpers import complete

    complete(people.sg, open_task(instance.id, "self_assessment"), self_assessment="")
    rate = open_task(instance.id, "rate_evaluation")
    assert rate.role == "Board" and rate.assignee_id is None


# The statements of one rating posted through the page, from the signed-in person to the
# audit events (measured; SQLite writes the ratings and audit events one INSERT each).
# A completion is the unit of a cycle's cost: a statement more here is paid 25,000 times
# per step, so this test fails until the new figure is written down on purpose.
RATING_STATEMENTS = {"sqlite": 26, "postgresql": 22}


def test_a_rating_posted_costs_a_known_number_of_statements(client, signed_in, cycle, people,
                                                             evaluation):
    page = _to_rating(client, signed_in, people, evaluation)
    data = {"csrf_token": csrf_token(client, page),
            **rows("rows", _ratings(cycle, people.employee, [(4, "A"), (3, "B"), (5, "A")]))}
    db.session.expire_all()  # the request reads what it needs, as a server's would
    with QueryCounter() as statements:
        response = client.post(page, data=data)
    assert response.status_code == 302
    assert _record(cycle, people.employee).score is not None
    assert open_task(evaluation.id, "acknowledge_evaluation")
    assert statements.count <= RATING_STATEMENTS[db.engine.dialect.name]


# The statements of the rating form drawn for its evaluator (measured), the personal-data
# access log included: the access is committed after the page is drawn, so nothing is
# read twice (48 statements before); the unit's path is read at once (27 before); the
# people the task may be handed over to are read on the reassign and delegate pages
# only (23 before).
RATING_PAGE_STATEMENTS = {"sqlite": 14, "postgresql": 14}


def test_the_rating_page_costs_a_known_number_of_statements(client, signed_in, cycle, people,
                                                            evaluation):
    page = _to_rating(client, signed_in, people, evaluation)
    client.get(page)
    db.session.expire_all()
    with QueryCounter() as statements:
        html = client.get(page).get_data(as_text=True)
    assert "/reassign\"" in html and "/delegate\"" in html and 'name="reassign-reason"' not in html
    unit = open_task(evaluation.id, "rate_evaluation").org_unit
    assert unit.parent is not None and str(escape(unit.path)) in html
    accesses = access_log.about(people.employee)
    assert [(a.viewer_id, a.page) for a in accesses[:2]] == [(people.supervisor.id, page)] * 2
    assert statements.count <= RATING_PAGE_STATEMENTS[db.engine.dialect.name]


# The statements of the person's own page once rated (measured): the evaluation comes
# with its ratings and its evaluator, and the plan objectives the person's objectives
# serve in one statement (12 before with these three objectives: one more for each).
# On PostgreSQL one more at the end: whether the request wrote nothing, so that it ends
# with COMMIT and keeps its prepared statements (app._end_reading_with_commit).
OWN_PAGE_STATEMENTS = {"sqlite": 9, "postgresql": 10}


def test_the_persons_own_page_costs_a_known_number_of_statements(client, signed_in, cycle,
                                                                people, evaluation):
    _rate(client, signed_in, people, cycle, evaluation, [(4, "A"), (3, "B"), (5, "A")])
    sign_in_as(client, signed_in, people.employee)
    page = f"/me/{cycle.year}"
    client.get(page)
    db.session.expire_all()
    with QueryCounter() as statements:
        html = client.get(page).get_data(as_text=True)
    objectives = objectives_of(cycle, people.employee)
    linked = [o.objective for o in objectives if o.objective is not None]
    assert len(linked) >= 2 and all(o.code in html for o in linked)
    assert people.supervisor.full_name in html and 'data-testid="my-score"' in html
    assert statements.count <= OWN_PAGE_STATEMENTS[db.engine.dialect.name]
