"""Individual evaluations: the objective sheet acknowledged by the person, the optional
self-assessment, the evaluator's ratings (what 0-6, how A/B/C) with the score and band
from app.scoring, the person's acknowledgement or request for review within the window,
and the second-level review. Each step is allowed only in its state, so nothing can
happen out of order whatever the caller does."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import Forbidden

from app import audit
from app.engine.sandbox import register_function
from app.extensions import db
from app.models.evaluation import (
    Evaluation,
    EvaluationStatus,
    ObjectiveRating,
    ObjectiveSheet,
    SheetStatus,
)
from app.models.org import Role, User
from app.models.plan import Cycle, IndividualObjective
from app.models.types import utcnow
from app.scoring import band, individual_score, matrix_value
from app.services.org.operations import OrgSnapshot, superior_of
from app.services.plan.individual import objectives_of
from app.services.plan.parts import system_for_person
from app.services.unique import one_by_key


class EvaluationError(ValueError):
    """A refused step; the message is meant for the user interface."""


@dataclass(frozen=True)
class RatingInput:
    objective_id: int
    what: int
    how: str
    comment: str | None = None


# --- the objective sheet -----------------------------------------------------------------

def sheet_of(cycle: Cycle, person: User) -> ObjectiveSheet | None:
    return one_by_key(ObjectiveSheet, cycle_id=cycle.id, user_id=person.id)


def issue_sheet(actor: User, cycle: Cycle, person: User,
                objectives: list | None = None) -> ObjectiveSheet:
    """Hand the person their objectives (already saved, weights summing to 100) for
    acknowledgement. Re-issuing after a change asks for a new acknowledgement.
    `objectives`: those the caller has just saved, when it has them (not read again)."""
    if not (objectives_of(cycle, person) if objectives is None else objectives):
        raise EvaluationError(_l("Assign at least one objective before sending the sheet."))
    sheet = sheet_of(cycle, person) or ObjectiveSheet(cycle_id=cycle.id, user_id=person.id)
    db.session.add(sheet)
    sheet.status, sheet.assigned_by_id, sheet.assigned_at = (
        SheetStatus.ASSIGNED.value, actor.id, utcnow())
    sheet.acknowledged_at = None
    db.session.flush()
    audit.record("objectives.issue", actor=actor, obj=sheet,
                 after={"cycle": cycle.year, "user_id": person.id})
    return sheet


def request_sheet_changes(actor: User, sheet: ObjectiveSheet, reason: str) -> None:
    """The person asks the evaluator to change the objectives; the sheet stays to be
    acknowledged and the reason is kept on it for the evaluator to read."""
    if actor.id != sheet.user_id:
        raise Forbidden()
    if sheet.status != SheetStatus.ASSIGNED.value:
        raise EvaluationError(_l("These objectives have already been acknowledged."))
    if not (reason or "").strip():
        raise EvaluationError(_l("Say what should change in your objectives."))
    sheet.employee_comment = reason.strip()
    audit.record("objectives.changes_requested", actor=actor, obj=sheet,
                 after={"reason": sheet.employee_comment})


def acknowledge_sheet(actor: User, sheet: ObjectiveSheet, comment: str | None = None) -> None:
    if actor.id != sheet.user_id:
        raise Forbidden()
    if sheet.status != SheetStatus.ASSIGNED.value:
        raise EvaluationError(_l("These objectives have already been acknowledged."))
    sheet.status, sheet.acknowledged_at = SheetStatus.ACKNOWLEDGED.value, utcnow()
    sheet.employee_comment = (comment or "").strip() or None
    audit.record("objectives.acknowledge", actor=actor, obj=sheet,
                 after={"comment": sheet.employee_comment})


# --- the evaluation ----------------------------------------------------------------------

def evaluation_of(cycle: Cycle, person: User) -> Evaluation | None:
    return one_by_key(Evaluation, cycle_id=cycle.id, user_id=person.id)


def evaluation_shown(cycle: Cycle, person: User) -> Evaluation | None:
    """evaluation_of with its ratings and its evaluator, read in one statement: what the
    person's own page shows of it."""
    return db.session.execute(
        select(Evaluation).where(Evaluation.cycle_id == cycle.id, Evaluation.user_id == person.id)
        .options(joinedload(Evaluation.ratings), joinedload(Evaluation.evaluator))
    ).unique().scalar_one_or_none()


def open_evaluation(cycle: Cycle, person: User, actor: User | None = None,
                    snapshot: OrgSnapshot | None = None) -> Evaluation:
    """Create the person's evaluation with the evaluator the chain gives for the cycle
    (from `snapshot`, the organisation as loaded once for many people, if given)."""
    existing = evaluation_of(cycle, person)
    if existing is not None:
        return existing
    evaluator = (snapshot or OrgSnapshot.around(cycle.id)).evaluator(person.id)
    evaluation = Evaluation(cycle_id=cycle.id, user_id=person.id, evaluator_id=evaluator.user_id,
                            evaluated_by_board=evaluator.board)
    db.session.add(evaluation)
    db.session.flush()
    audit.record("evaluation.open", actor=actor, obj=evaluation,
                 after={"user_id": person.id, "evaluator_id": evaluator.user_id,
                        "board": evaluator.board})
    return evaluation


def is_evaluator(actor: User, evaluation: Evaluation) -> bool:
    if evaluation.evaluated_by_board:
        return actor.has_role(Role.BOARD)
    return actor.id == evaluation.evaluator_id


def _require_state(evaluation: Evaluation, *states: EvaluationStatus) -> None:
    if evaluation.status not in {s.value for s in states}:
        raise EvaluationError(_l("This step is not possible at this stage of the evaluation."))


def self_assess(actor: User, evaluation: Evaluation, text: str) -> None:
    if actor.id != evaluation.user_id:
        raise Forbidden()
    _require_state(evaluation, EvaluationStatus.OPEN)
    evaluation.self_assessment = (text or "").strip() or None
    audit.record("evaluation.self_assessment", actor=actor, obj=evaluation)


def compute(cycle: Cycle, objectives: list[IndividualObjective],
            ratings: list[RatingInput], person: User) -> tuple[Decimal, str, dict[int, int]]:
    """Score, band and matrix value per objective, by the system of the person's unit;
    raises ValueError (from app.scoring, worded for the interface) on a what outside 0-6,
    a how outside A/B/C or weights that do not sum to 100. Used by the form's live
    preview and by rate()."""
    system = system_for_person(cycle, person)
    matrix = system.matrix
    by_id = {r.objective_id: r for r in ratings}
    missing = [o for o in objectives if o.id not in by_id]
    if missing or len(by_id) != len(objectives):
        raise EvaluationError(_l("Rate every objective of the person, and only those."))
    values = {o.id: matrix_value(by_id[o.id].what, by_id[o.id].how, matrix) for o in objectives}
    score = individual_score(
        [(by_id[o.id].what, by_id[o.id].how, o.weight) for o in objectives], matrix
    )
    return score, band(score, system.bands), values


def _store_ratings(evaluation, objectives, ratings, values, stage) -> None:
    by_id = {r.objective_id: r for r in ratings}
    for row in [r for r in evaluation.ratings if r.stage == stage]:
        evaluation.ratings.remove(row)
    db.session.flush()
    for objective in objectives:
        given = by_id[objective.id]
        evaluation.ratings.append(ObjectiveRating(
            individual_objective_id=objective.id, stage=stage, what=given.what, how=given.how,
            value=values[objective.id], weight=objective.weight,
            comment=(given.comment or "").strip() or None,
        ))


def rate(actor: User, evaluation: Evaluation, ratings: list[RatingInput],
         comment: str | None = None, now: datetime | None = None) -> None:
    """The evaluator's ratings. Needs the objective sheet acknowledged."""
    if not is_evaluator(actor, evaluation):
        raise Forbidden()
    _require_state(evaluation, EvaluationStatus.OPEN)
    cycle, person = db.session.get(Cycle, evaluation.cycle_id), db.session.get(User, evaluation.user_id)
    sheet = sheet_of(cycle, person)
    if sheet is None or sheet.status != SheetStatus.ACKNOWLEDGED.value:
        raise EvaluationError(_l("The person has not yet acknowledged their objectives."))
    objectives = objectives_of(cycle, person)
    score, score_band, values = compute(cycle, objectives, ratings, person)
    # Read before the changes below: asked after them, it would flush them first and
    # the review window would follow in an UPDATE of its own.
    window = timedelta(days=system_for_person(cycle, person).review_window_days)
    _store_ratings(evaluation, objectives, ratings, values, "evaluation")
    now = now or utcnow()
    evaluation.score, evaluation.band = score, score_band
    evaluation.evaluator_comment = (comment or "").strip() or None
    evaluation.status, evaluation.rated_at = EvaluationStatus.RATED.value, now
    evaluation.review_window_ends_at = now + window
    db.session.flush()
    audit.record("evaluation.rate", actor=actor, obj=evaluation,
                 after={"score": score, "band": score_band,
                        "ratings": [(r.objective_id, r.what, r.how) for r in ratings]})


def acknowledge(actor: User, evaluation: Evaluation) -> None:
    if actor.id != evaluation.user_id:
        raise Forbidden()
    _require_state(evaluation, EvaluationStatus.RATED)
    now = utcnow()
    evaluation.acknowledged_at = evaluation.final_at = now
    evaluation.status = EvaluationStatus.FINAL.value
    audit.record("evaluation.acknowledge", actor=actor, obj=evaluation)


def request_review(actor: User, evaluation: Evaluation, reason: str,
                   now: datetime | None = None) -> None:
    if actor.id != evaluation.user_id:
        raise Forbidden()
    _require_state(evaluation, EvaluationStatus.RATED)
    now = now or utcnow()
    if evaluation.review_window_ends_at is not None and now > evaluation.review_window_ends_at:
        raise EvaluationError(_l("The time to ask for a review has run out."))
    if not (reason or "").strip():
        raise EvaluationError(_l("Say why you ask for a review."))
    person = db.session.get(User, evaluation.user_id)
    reviewer = superior_of(person, evaluation.cycle_id)
    evaluation.reviewer_id = reviewer.user_id
    evaluation.status = EvaluationStatus.REVIEW_REQUESTED.value
    evaluation.review_requested_at, evaluation.review_request_reason = now, reason.strip()
    audit.record("evaluation.review_request", actor=actor, obj=evaluation,
                 after={"reason": evaluation.review_request_reason,
                        "reviewer_id": evaluation.reviewer_id})


def close_review_window(evaluation: Evaluation, now: datetime | None = None) -> bool:
    """Called by the timer: a rated evaluation nobody acknowledged becomes final once the
    window has closed. Returns whether it did."""
    now = now or utcnow()
    if evaluation.status != EvaluationStatus.RATED.value or (
        evaluation.review_window_ends_at and now < evaluation.review_window_ends_at
    ):
        return False
    evaluation.status, evaluation.final_at = EvaluationStatus.FINAL.value, now
    audit.record("evaluation.window_closed", obj=evaluation)
    return True


def close_review_window_for(cycle_id: int, employee_id: int) -> bool:
    """The individual_evaluation diagram's timer step (a script function): close the
    window of the person's evaluation at the engine's time."""
    from app.engine import clock

    evaluation = db.session.execute(
        select(Evaluation).where(Evaluation.cycle_id == cycle_id, Evaluation.user_id == employee_id)
    ).scalar_one_or_none()
    return evaluation is not None and close_review_window(evaluation, now=clock.now())


register_function("close_review_window_for", close_review_window_for)


def is_reviewer(actor: User, evaluation: Evaluation) -> bool:
    if evaluation.reviewer_id is None:
        return actor.has_role(Role.BOARD)
    return actor.id == evaluation.reviewer_id


def review(actor: User, evaluation: Evaluation, reasons: str,
           ratings: list[RatingInput] | None = None) -> None:
    """The second-level evaluator confirms (ratings None) or amends with reasons."""
    if not is_reviewer(actor, evaluation):
        raise Forbidden()
    _require_state(evaluation, EvaluationStatus.REVIEW_REQUESTED)
    if not (reasons or "").strip():
        raise EvaluationError(_l("Give the reasons of the review."))
    before = {"score": evaluation.score, "band": evaluation.band}
    if ratings is not None:
        cycle = db.session.get(Cycle, evaluation.cycle_id)
        person = db.session.get(User, evaluation.user_id)
        objectives = objectives_of(cycle, person)
        score, score_band, values = compute(cycle, objectives, ratings, person)
        _store_ratings(evaluation, objectives, ratings, values, "review")
        evaluation.score, evaluation.band = score, score_band
    now = utcnow()
    evaluation.review_outcome = "amended" if ratings is not None else "confirmed"
    evaluation.review_reasons, evaluation.reviewed_at = reasons.strip(), now
    evaluation.status, evaluation.final_at = EvaluationStatus.FINAL.value, now
    db.session.flush()
    audit.record("evaluation.review", actor=actor, obj=evaluation, before=before,
                 after={"outcome": evaluation.review_outcome, "score": evaluation.score,
                        "band": evaluation.band})


def mark_not_evaluable(actor: User, evaluation: Evaluation, reason: str) -> None:
    """Service too short (or another documented reason): band low, no bonus."""
    if not (is_evaluator(actor, evaluation) or actor.has_role(Role.SUPPORT_UNIT, Role.ADMIN)):
        raise Forbidden()
    _require_state(evaluation, EvaluationStatus.OPEN)
    if not (reason or "").strip():
        raise EvaluationError(_l("Give the reason why the person cannot be evaluated."))
    now = utcnow()
    evaluation.not_evaluable, evaluation.not_evaluable_reason = True, reason.strip()
    evaluation.score, evaluation.band = None, "low"
    evaluation.status, evaluation.final_at = EvaluationStatus.FINAL.value, now
    audit.record("evaluation.not_evaluable", actor=actor, obj=evaluation,
                 after={"reason": evaluation.not_evaluable_reason, "score": None,
                        "band": evaluation.band})
