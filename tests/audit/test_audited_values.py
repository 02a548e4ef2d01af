"""Every service that sets a tracked value states it in the audit trail, so that the
trail alone tells what each score, band, actual and weight should be: a plan import and
an evaluation marked not evaluable verify clean, and a direct UPDATE afterwards is
reported."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.models.plan import Indicator
from app.services.evaluation import operations as ev
from app.services.plan.cycles import create_cycle
from app.services.plan.imports import import_plan
from tests.evaluation.test_evaluations import _ready
from tests.helpers import SUPERVISOR_A1, SUPPORT, user_by_email
from tests.plan.test_import_export import GOOD_ROWS, _csv


@pytest.fixture
def cycle(demo):
    created = create_cycle(user_by_email(SUPPORT), demo.id, 2023)
    db.session.commit()
    return created


def _verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def test_a_plan_import_states_weights_and_actuals(app, cycle):
    support = user_by_email(SUPPORT)
    assert import_plan(support, cycle, "piano.csv", _csv(*GOOD_ROWS)).ok
    db.session.commit()
    changed = [row.replace("AS1;Imprese;100", "AS1;Imprese;90").replace(";50;6;;", ";50;7;;")
               for row in GOOD_ROWS]
    assert import_plan(support, cycle, "piano.csv", _csv(*changed)).ok
    db.session.commit()
    clean = _verify(app)
    assert clean.exit_code == 0, clean.output

    indicator = db.session.execute(select(Indicator).where(Indicator.code == "I2")).scalar_one()
    assert str(indicator.actual) == "7"
    db.session.execute(text("UPDATE indicator SET actual = '3' WHERE id = :i"), {"i": indicator.id})
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert f"Indicator {indicator.id}: actual is 3 in the database, 7 in the audit trail" in result.output


def test_an_evaluation_marked_not_evaluable_states_its_band(app, demo):
    cycle = create_cycle(user_by_email(SUPPORT), demo.id, 2022)
    db.session.commit()
    _, _, evaluation = _ready(cycle)
    ev.mark_not_evaluable(user_by_email(SUPERVISOR_A1), evaluation, "In servizio per 40 giorni")
    db.session.commit()
    assert _verify(app).exit_code == 0
    db.session.execute(text("UPDATE evaluation SET band = 'high' WHERE id = :i"), {"i": evaluation.id})
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert f"Evaluation {evaluation.id}: band is high in the database, low in the audit trail" in result.output


def test_a_rated_score_changed_in_sql_is_reported(app, demo):
    cycle = create_cycle(user_by_email(SUPPORT), demo.id, 2022)
    db.session.commit()
    _, rows, evaluation = _ready(cycle)
    ev.rate(user_by_email(SUPERVISOR_A1), evaluation, [ev.RatingInput(r.id, 4, "B") for r in rows])
    db.session.commit()
    assert _verify(app).exit_code == 0
    audited = evaluation.score
    db.session.execute(text("UPDATE evaluation SET score = 5.5 WHERE id = :i"), {"i": evaluation.id})
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert (f"Evaluation {evaluation.id}: score is 5.5 in the database, "
            f"{audited.normalize()} in the audit trail") in result.output
