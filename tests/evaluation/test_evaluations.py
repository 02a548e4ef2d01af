"""Individual evaluations through the service: order of the steps, who may act, the
score and band from the matrix, the review window and the second-level review."""
from datetime import timedelta
from decimal import Decimal

import pytest
from werkzeug.exceptions import Forbidden

from app.extensions import db
from app.models.evaluation import EvaluationStatus
from app.models.types import utcnow
from app.services.evaluation import operations as ev
from app.services.plan.cycles import create_cycle
from app.services.plan.individual import IndividualObjectiveData, set_individual_objectives
from tests.helpers import (
    BOARD,
    EMPLOYEE_A1,
    MANAGER,
    SG,
    SUPERVISOR_A1,
    SUPPORT,
    user_by_email,
)


@pytest.fixture
def cycle(demo):
    created = create_cycle(user_by_email(SUPPORT), demo.id, 2022)
    db.session.commit()
    return created


def _objectives(cycle, evaluator_email, person_email, weights=(60, 40)):
    person = user_by_email(person_email)
    items = [IndividualObjectiveData(title=f"Obiettivo {i + 1}", weight=Decimal(w))
             for i, w in enumerate(weights)]
    rows = set_individual_objectives(user_by_email(evaluator_email), cycle, person, items)
    db.session.commit()
    return person, rows


def _ready(cycle, evaluator_email=SUPERVISOR_A1, person_email=EMPLOYEE_A1):
    """Objectives assigned and acknowledged, evaluation open."""
    person, rows = _objectives(cycle, evaluator_email, person_email)
    sheet = ev.issue_sheet(user_by_email(evaluator_email), cycle, person)
    ev.acknowledge_sheet(person, sheet, "Visto")
    evaluation = ev.open_evaluation(cycle, person)
    db.session.commit()
    return person, rows, evaluation


def test_rating_before_acknowledgement_is_refused(cycle):
    person, rows = _objectives(cycle, SUPERVISOR_A1, EMPLOYEE_A1)
    ev.issue_sheet(user_by_email(SUPERVISOR_A1), cycle, person)
    evaluation = ev.open_evaluation(cycle, person)
    with pytest.raises(ev.EvaluationError, match="acknowledged"):
        ev.rate(user_by_email(SUPERVISOR_A1), evaluation,
                [ev.RatingInput(r.id, 4, "A") for r in rows])
    assert evaluation.status == EvaluationStatus.OPEN.value


def test_only_the_person_acknowledges(cycle):
    person, _ = _objectives(cycle, SUPERVISOR_A1, EMPLOYEE_A1)
    sheet = ev.issue_sheet(user_by_email(SUPERVISOR_A1), cycle, person)
    with pytest.raises(Forbidden):
        ev.acknowledge_sheet(user_by_email(SUPERVISOR_A1), sheet)


def test_rate_acknowledge(cycle):
    person, rows, evaluation = _ready(cycle)
    supervisor = user_by_email(SUPERVISOR_A1)
    assert evaluation.evaluator_id == supervisor.id
    ev.self_assess(person, evaluation, "Ho raggiunto gli obiettivi.")
    with pytest.raises(Forbidden):
        ev.rate(user_by_email(MANAGER), evaluation, [ev.RatingInput(r.id, 4, "A") for r in rows])
    ev.rate(supervisor, evaluation, [ev.RatingInput(rows[0].id, 5, "B"),
                                     ev.RatingInput(rows[1].id, 4, "A")], "Buon lavoro")
    # B x 5 = 4, A x 4 = 4 -> 4.00, medium
    assert evaluation.score == Decimal("4.00") and evaluation.band == "medium"
    assert [r.value for r in evaluation.ratings] == [4, 4]
    ev.acknowledge(person, evaluation)
    assert evaluation.status == EvaluationStatus.FINAL.value
    with pytest.raises(ev.EvaluationError):
        ev.request_review(person, evaluation, "troppo tardi")


def test_bad_ratings_refused(cycle):
    _, rows, evaluation = _ready(cycle)
    supervisor = user_by_email(SUPERVISOR_A1)
    with pytest.raises(ValueError):
        ev.rate(supervisor, evaluation, [ev.RatingInput(rows[0].id, 7, "A"),
                                         ev.RatingInput(rows[1].id, 4, "A")])
    with pytest.raises(ValueError):
        ev.rate(supervisor, evaluation, [ev.RatingInput(rows[0].id, 4, "D"),
                                         ev.RatingInput(rows[1].id, 4, "A")])
    with pytest.raises(ev.EvaluationError):
        ev.rate(supervisor, evaluation, [ev.RatingInput(rows[0].id, 4, "A")])
    assert evaluation.status == EvaluationStatus.OPEN.value and evaluation.score is None


def test_review_amended_by_the_superior(cycle):
    person, rows, evaluation = _ready(cycle)
    ev.rate(user_by_email(SUPERVISOR_A1), evaluation,
            [ev.RatingInput(rows[0].id, 3, "B"), ev.RatingInput(rows[1].id, 4, "C")])
    assert evaluation.score == Decimal("2.60")  # 3 x 0.6 + 2 x 0.4
    with pytest.raises(ev.EvaluationError):
        ev.request_review(person, evaluation, "  ")
    ev.request_review(person, evaluation, "Non tiene conto del progetto X")
    manager = user_by_email(MANAGER)
    assert evaluation.reviewer_id == manager.id
    with pytest.raises(Forbidden):
        ev.review(user_by_email(SUPERVISOR_A1), evaluation, "confermo")
    ev.review(manager, evaluation, "Il progetto X è stato decisivo",
              [ev.RatingInput(rows[0].id, 6, "A"), ev.RatingInput(rows[1].id, 4, "A")])
    assert evaluation.score == Decimal("5.20") and evaluation.band == "high"
    assert evaluation.review_outcome == "amended"
    stages = sorted({r.stage for r in evaluation.ratings})
    assert stages == ["evaluation", "review"]  # the first ratings stay visible


def test_review_window_closes(cycle):
    person, rows, evaluation = _ready(cycle)
    rated_at = utcnow() - timedelta(days=30)
    ev.rate(user_by_email(SUPERVISOR_A1), evaluation,
            [ev.RatingInput(r.id, 4, "A") for r in rows], now=rated_at)
    with pytest.raises(ev.EvaluationError, match="run out"):
        ev.request_review(person, evaluation, "motivo")
    assert ev.close_review_window(evaluation)
    assert evaluation.status == EvaluationStatus.FINAL.value
    assert not ev.close_review_window(evaluation)  # idempotent


def test_secretary_general_is_rated_by_the_board(cycle):
    sg = user_by_email(SG)
    items = [IndividualObjectiveData(title="Direzione dell'ente", weight=Decimal(100))]
    rows = set_individual_objectives(user_by_email(BOARD), cycle, sg, items)
    sheet = ev.issue_sheet(user_by_email(BOARD), cycle, sg)
    ev.acknowledge_sheet(sg, sheet)
    evaluation = ev.open_evaluation(cycle, sg)
    assert evaluation.evaluated_by_board and evaluation.evaluator_id is None
    with pytest.raises(Forbidden):
        ev.rate(user_by_email(MANAGER), evaluation, [ev.RatingInput(rows[0].id, 6, "A")])
    ev.rate(user_by_email(BOARD), evaluation, [ev.RatingInput(rows[0].id, 6, "A")])
    assert evaluation.score == Decimal("6.00") and evaluation.band == "high"


def test_not_evaluable(cycle):
    _, _, evaluation = _ready(cycle)
    with pytest.raises(ev.EvaluationError):
        ev.mark_not_evaluable(user_by_email(SUPERVISOR_A1), evaluation, "")
    ev.mark_not_evaluable(user_by_email(SUPERVISOR_A1), evaluation, "In servizio per 40 giorni")
    assert evaluation.band == "low" and evaluation.score is None
    assert evaluation.status == EvaluationStatus.FINAL.value


def test_a_rating_updates_the_evaluation_once_with_its_review_window(cycle):
    """Score, band, status and the review window (the person's system's days) go in one
    UPDATE: the system is read before the evaluation changes, not after (which flushed
    the changes first and sent the window in a second UPDATE)."""
    from sqlalchemy import event

    _, rows, evaluation = _ready(cycle)
    updates = []

    def seen(_conn, _cursor, statement, *_args):
        if statement.startswith("UPDATE evaluation "):
            updates.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        ev.rate(user_by_email(SUPERVISOR_A1), evaluation,
                [ev.RatingInput(r.id, 4, "A") for r in rows])
        db.session.flush()
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert len(updates) == 1 and "review_window_ends_at" in updates[0]
    days = (evaluation.review_window_ends_at - evaluation.rated_at).days
    assert days == ev.system_for_person(cycle, evaluation.user).review_window_days
