"""`flask audit verify` on a whole demo cycle: clean after the cycle, and every direct
UPDATE of a score, a band, an indicator's actual value, a weight or a reward amount is
reported with the row, the field and both values."""
from __future__ import annotations

import re

from sqlalchemy import select, text

from app.extensions import db
from app.models.evaluation import Evaluation, RewardAllocation
from app.models.plan import Indicator, Objective, StrategicArea


def _verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def _first(model, *where):
    return db.session.execute(select(model).where(*where).order_by(model.id).limit(1)).scalar_one()


def test_demo_cycle_verifies_clean_and_direct_updates_of_values_are_reported(app, demo_cycle_run):
    clean = _verify(app)
    assert clean.exit_code == 0, clean.output
    seconds = float(re.search(r"\(([\d.]+) s\)", clean.output).group(1))
    print(f"\naudit verify on the demo cycle: {clean.output.strip()} [{seconds:.2f} s]")

    evaluation = _first(Evaluation, Evaluation.score.is_not(None))
    indicator = _first(Indicator, Indicator.actual.is_not(None))
    objective, area = _first(Objective), _first(StrategicArea)
    reward = _first(RewardAllocation, RewardAllocation.total > 0)
    tampering = [
        ("UPDATE evaluation SET score = 5.99 WHERE id = :id", evaluation.id,
         f"Evaluation {evaluation.id}: score is 5.99 in the database"),
        ("UPDATE evaluation SET band = 'forged' WHERE id = :id", evaluation.id,
         f"Evaluation {evaluation.id}: band is forged in the database"),
        ("UPDATE indicator SET actual = '999' WHERE id = :id", indicator.id,
         f"Indicator {indicator.id}: actual is 999 in the database"),
        ("UPDATE objective SET weight = weight + 1 WHERE id = :id", objective.id,
         f"Objective {objective.id}: weight is"),
        ("UPDATE strategic_area SET weight = weight + 1 WHERE id = :id", area.id,
         f"StrategicArea {area.id}: weight is"),
        ("UPDATE indicator SET weight = weight + 1 WHERE id = :id", indicator.id,
         f"Indicator {indicator.id}: weight is"),
        ("UPDATE reward_allocation SET total = total + 1000 WHERE id = :id", reward.id,
         f"RewardAllocation {reward.id}: total is"),
    ]
    for statement, row_id, expected in tampering:
        db.session.execute(text(statement), {"id": row_id})
        db.session.commit()
        result = _verify(app)
        assert result.exit_code == 1
        assert expected in result.output, result.output
    result = _verify(app)
    assert result.exit_code == 1
    assert "7 finding(s)" in result.output
