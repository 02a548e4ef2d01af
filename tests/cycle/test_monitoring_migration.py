"""The migration to monitoring rounds keeps what was monitored before: every cycle gets
its calendar round, and where indicators held monitoring values that round is round 1
with those values as its entries."""
from __future__ import annotations

from decimal import Decimal

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from app.extensions import db
from app.models.monitoring import MonitoringEntry, MonitoringRound
from app.models.plan import Indicator


def test_existing_monitoring_becomes_round_one(app, demo_plan):
    indicator = db.session.execute(select(Indicator).where(
        Indicator.unit == "number").order_by(Indicator.id).limit(1)).scalar_one()
    indicator.monitoring_value, indicator.at_risk = Decimal("7.5"), True
    indicator.monitoring_note = "Ritardo del fornitore"
    indicator_id, cycle_id = indicator.id, demo_plan.id
    db.session.commit()
    db.session.close()

    downgrade(revision="0015")
    upgrade()

    rounds = db.session.execute(select(MonitoringRound)).scalars().all()
    assert [(r.cycle_id, r.number, r.kind, r.status) for r in rounds] == [
        (cycle_id, 1, "calendar", "open")]
    entry = db.session.execute(select(MonitoringEntry).where(
        MonitoringEntry.indicator_id == indicator_id)).scalar_one()
    assert (entry.round_id, entry.value, entry.at_risk, entry.note) == (
        rounds[0].id, Decimal("7.5"), True, "Ritardo del fornitore")
