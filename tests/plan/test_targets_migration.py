"""The migration to yearly targets gives every existing indicator one entry: its target,
for its cycle's year, as a fixed value (SQLite and PostgreSQL)."""
from decimal import Decimal

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app.extensions import db


def test_existing_targets_become_the_entry_of_their_cycles_year(demo_plan):
    db.session.execute(text("DELETE FROM indicator_target"))
    db.session.commit()
    db.session.remove()
    try:
        downgrade(revision="0012")
        upgrade(revision="0013")
    finally:
        upgrade()
    rows = db.session.execute(text(
        "SELECT i.code, t.year, t.kind, t.value FROM indicator_target t "
        "JOIN indicator i ON i.id = t.indicator_id ORDER BY i.code")).all()
    indicators = db.session.execute(text("SELECT code, target FROM indicator ORDER BY code")).all()
    assert [(code, year, kind, value) for code, year, kind, value in rows] == [
        (code, 2022, "value", target) for code, target in indicators]
    assert Decimal(dict(indicators)["OP1.1-01.1"]) == Decimal(60)
