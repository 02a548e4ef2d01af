"""Step handler of the monitoring diagram: the area head's July values, forecasts and
risk flags, recorded indicator by indicator through the plan service."""
from __future__ import annotations

from app.extensions import db
from app.formats.values import parse_value
from app.models.plan import Indicator
from app.services.plan.operations import record_monitoring
from app.services.tasks.step_errors import refused
from app.services.tasks.steps import step
from forms.monitoring import area_indicators


@step("monitoring")
def report_monitoring(actor, task, form_data: dict) -> dict:
    allowed = {i.id for i in area_indicators(task)}
    at_risk = 0
    with refused():
        for row in form_data["rows"]:
            indicator = db.session.get(Indicator, row["indicator_id"])
            if indicator is None or indicator.id not in allowed:
                raise ValueError(f"indicator {row['indicator_id']} is not of this area")
            record_monitoring(actor, indicator, parse_value(row["value"] or "", indicator.unit),
                              forecast=parse_value(row["forecast"] or "", indicator.unit),
                              at_risk=bool(row["at_risk"]), note=row["note"])
            at_risk += bool(row["at_risk"])
    return {"indicators": len(form_data["rows"]), "at_risk": at_risk}
