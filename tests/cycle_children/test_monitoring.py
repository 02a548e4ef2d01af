"""monitoring over HTTP: one instance per area owning indicators, pooled to the area's
head; an invalid value is refused and changes nothing; a valid report is recorded."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models.org import OrgUnit
from app.models.plan import Indicator
from app.services.cycle import children as cycle_children
from app.services.cycle.monitoring_steps import area_indicators
from tests.cycle_children.helpers import child, messages_to, post_task, rows
from tests.engine.helpers import open_task
from tests.helpers import csrf_token, run_jobs


def _rows(indicators, **override) -> list[dict]:
    values = {"number": "12", "percent": "85,5%", "days": "7", "eur": "1.234,56",
              "date": "30/11/2022", "boolean": "sì"}
    result = []
    for indicator in indicators:
        row = {"indicator_id": str(indicator.id), "value": values[indicator.unit],
               "forecast": values[indicator.unit], "note": ""}
        row.update(override.get(indicator.code, {}))
        result.append(row)
    return result


def _round(cycle, people):
    from app.models.monitoring import MonitoringRound

    row = MonitoringRound(cycle_id=cycle.id, number=1, label="Intermedio", kind="calendar",
                          status="open", due=cycle.monitoring_due)
    db.session.add(row)
    db.session.flush()
    return row


def test_report_monitoring_of_an_area(client, signed_in, cycle, master, people):
    round_ = _round(cycle, people)
    count = cycle_children.start_monitoring(people.support, cycle, master, round_)
    run_jobs()
    db.session.commit()
    assert count == len(cycle_children.areas_to_monitor(cycle)) >= 2
    area = db.session.get(OrgUnit, people.manager.unit_id)
    instance = child("monitoring", f"monitoring_round:{round_.id}:area:{area.id}")
    task = open_task(instance.id, "report_monitoring")
    assert task.role == "Manager" and task.assignee_id is None and task.org_unit_id == area.id
    indicators = area_indicators(task)
    assert indicators and {i.objective.owner_unit_id for i in indicators} <= \
        cycle_children.area_unit_ids(area)

    signed_in(people.manager.email)
    token = csrf_token(client, "/tasks")
    assert client.post(f"/tasks/{task.id}/claim", data={"csrf_token": token}).status_code == 302
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert indicators[0].code in page and 'data-testid="monitoring-rows"' in page

    first = indicators[0]
    before = (first.monitoring_value, first.monitoring_forecast)
    bad = _rows(indicators, **{first.code: {"value": "tanto"}})
    response = post_task(client, task.id, rows("rows", bad))
    assert response.status_code == 422 and "tanto" in response.get_data(as_text=True)
    risky = _rows(indicators, **{first.code: {"at_risk": "y", "note": ""}})
    assert post_task(client, task.id, rows("rows", risky)).status_code == 422
    db.session.expire_all()
    assert (db.session.get(Indicator, first.id).monitoring_value,
            db.session.get(Indicator, first.id).monitoring_forecast) == before

    good = _rows(indicators, **{first.code: {"at_risk": "y", "note": "Ritardi del fornitore"}})
    assert post_task(client, task.id, rows("rows", good)).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Indicator, first.id)
    assert saved.at_risk and saved.monitoring_note == "Ritardi del fornitore"
    if first.unit == "number":
        assert saved.monitoring_value == Decimal(12)
    assert child("monitoring", instance.business_key).status == "completed"
    assert "monitoring_done" not in messages_to(master.id)
    from app.models.monitoring import MonitoringEntry

    entry = db.session.execute(select(MonitoringEntry).where(
        MonitoringEntry.round_id == round_.id, MonitoringEntry.indicator_id == first.id)).scalar_one()
    assert entry.at_risk and entry.note == "Ritardi del fornitore"


def test_another_manager_cannot_report_for_the_area(client, signed_in, cycle, master, people):
    from tests.helpers import OTHER_MANAGER

    round_ = _round(cycle, people)
    cycle_children.start_monitoring(people.support, cycle, master, round_)
    run_jobs()
    db.session.commit()
    area = db.session.get(OrgUnit, people.manager.unit_id)
    task = open_task(child("monitoring", f"monitoring_round:{round_.id}:area:{area.id}").id,
                     "report_monitoring")
    signed_in(OTHER_MANAGER)
    token = csrf_token(client, "/tasks")
    assert client.post(f"/tasks/{task.id}/claim", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/tasks/{task.id}", data={"csrf_token": token}).status_code == 403


def test_a_cycle_without_plan_has_nothing_to_monitor(demo, master, people):
    from app.services.plan.cycles import create_cycle

    bare = create_cycle(people.support, demo.id, 2030)
    db.session.commit()
    assert cycle_children.start_monitoring(people.support, bare, master, _round(bare, people)) == 0
    db.session.commit()
    assert messages_to(master.id) == {"monitoring_done": []}
