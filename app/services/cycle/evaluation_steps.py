"""Step handlers of the individual_evaluation diagram. Each calls one service of
app.services.evaluation.operations, which refuses any step out of its state, and returns the
decisions the gateways read: not evaluable, review asked, who reviews. The context
loaders give the forms the person, the evaluation and its objectives, and the live score."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.engine import clock
from app.services.cycle.children import task_subject
from app.services.evaluation import operations as evaluations
from app.services.plan.individual import objectives_of
from app.services.plan.parts import system_for_person
from app.services.tasks import drafts
from app.services.tasks.step_errors import refused
from app.services.tasks.steps import context, step


def rating_inputs(rows: list[dict]) -> list[evaluations.RatingInput]:
    """The ratings of the submitted rows; raises ValueError on a missing or invalid
    what or how (app.scoring and compute() check the ranges)."""
    ratings = []
    for row in rows:
        what, how = (row.get("what") or "").strip(), (row.get("how") or "").strip()
        if not what or not how:
            raise ValueError(_l("Rate what and how for every objective."))
        ratings.append(evaluations.RatingInput(objective_id=row.get("objective_id"),
                                               what=int(what), how=how,
                                               comment=row.get("comment")))
    return ratings


@context("evaluation_self_assessment", "evaluation_acknowledgement")
def evaluation_context(task) -> dict:
    cycle, person = task_subject(task)
    return {"person": person, "cycle": cycle,
            "evaluation": evaluations.evaluation_of(cycle, person),
            "objectives": objectives_of(cycle, person),
            "review_window_days": system_for_person(cycle, person).review_window_days}


@context("evaluation_rating", "evaluation_review")
def rating_context(task) -> dict:
    """Also `score(rows)`: (score, band, value per objective) of the rows being entered,
    or ValueError with a message; and `draft`: the rating's answers saved without
    completing the task (the evaluator's grid), or None."""
    result = evaluation_context(task)
    cycle, objectives, person = result["cycle"], result["objectives"], result["person"]
    result["score"] = lambda rows: evaluations.compute(cycle, objectives, rating_inputs(rows),
                                                       person)
    draft = drafts.draft_of(task) if task.form_key == "evaluation_rating" else None
    result["draft"] = draft.data if draft is not None else None
    return result


def _evaluation(task):
    cycle, person = task_subject(task)
    evaluation = evaluations.evaluation_of(cycle, person)
    if evaluation is None:
        raise evaluations.EvaluationError(_l("The evaluation of this person is not open."))
    return evaluation


@step("evaluation_self_assessment")
def self_assess(actor, task, form_data: dict) -> dict:
    with refused():
        evaluations.self_assess(actor, _evaluation(task), form_data.get("self_assessment") or "")
    return {"self_assessed": bool((form_data.get("self_assessment") or "").strip())}


@step("evaluation_rating")
def rate(actor, task, form_data: dict) -> dict:
    with refused():
        evaluation = _evaluation(task)
        if form_data.get("not_evaluable"):
            evaluations.mark_not_evaluable(actor, evaluation, form_data.get("not_evaluable_reason"))
            return {"not_evaluable": True}
        evaluations.rate(actor, evaluation, rating_inputs(form_data["rows"]),
                         form_data.get("comment"), now=clock.now())
    return {"not_evaluable": False,
            "review_window_ends": evaluation.review_window_ends_at.isoformat()}


@step("evaluation_acknowledgement")
def acknowledge(actor, task, form_data: dict) -> dict:
    with refused():
        evaluation = _evaluation(task)
        if form_data["decision"] != "review":
            evaluations.acknowledge(actor, evaluation)
            return {"review_requested": False}
        evaluations.request_review(actor, evaluation, form_data.get("reason") or "",
                                   now=clock.now())
    if evaluation.reviewer_id is None:
        return {"review_requested": True, "review_by_board": True}
    # The Evaluator lane of the review resolves to the second-level evaluator.
    return {"review_requested": True, "review_by_board": False,
            "evaluator_id": evaluation.reviewer_id}


@step("evaluation_review")
def review(actor, task, form_data: dict) -> dict:
    amend = form_data["outcome"] == "amend"
    with refused():
        evaluations.review(actor, _evaluation(task), form_data.get("reasons") or "",
                           rating_inputs(form_data["rows"]) if amend else None)
    return {"review_outcome": "amended" if amend else "confirmed"}
