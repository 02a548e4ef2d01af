"""The dashboard's list of overdue tasks: one page at a time by due date (its own page
argument, beside the people's), counted in the database, a page past the end giving the
last one, and as many queries for 70 overdue tasks as for 10."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import insert

from app.extensions import db
from app.models.engine import HumanTask, ProcessInstance
from app.models.types import utcnow
from tests.engine.helpers import deploy_test_workflows
from tests.helpers import SUPPORT, QueryCounter

PAGE = 50


def _late_tasks(cycle, number: int, start: int = 0) -> list[str]:
    """`number` open tasks of the cycle, overdue by 1..number days (oldest first in the
    list); returns their guids in the dashboard's order."""
    definition = deploy_test_workflows()[0].definition
    now = utcnow()
    instance = db.session.execute(insert(ProcessInstance).returning(ProcessInstance.id), [
        {"definition_id": definition.id, "process_id": definition.process_id,
         "business_key": f"late-{start}", "cycle_id": cycle.id, "status": "running",
         "state": "{}", "serializer_version": "1.5", "version": 1}]).scalar_one()
    guids = [f"late-{start + n:04d}" for n in range(number)]
    db.session.execute(insert(HumanTask), [
        {"instance_id": instance, "task_guid": guid, "bpmn_id": "review", "title": "Review",
         "form_key": "approval", "role": "SupportUnit", "cycle_id": cycle.id,
         "status": "open", "due_at": now - timedelta(days=start + n + 1), "created_at": now,
         "version": 1} for n, guid in enumerate(guids)])
    db.session.commit()
    return guids[::-1]


def _due_dates(html: str) -> list[str]:
    """The due dates of the overdue list's rows (its last column)."""
    return re.findall(r"<td>(\d{2}/\d{2}/\d{4})</td></tr>", html)


def _range(html: str) -> str:
    return re.search(r'data-testid="pager-tasks_page-range">([^<]+)<', html).group(1)


def test_overdue_tasks_are_listed_one_page_at_a_time(report_cycle, client, signed_in):
    _late_tasks(report_cycle, 70)
    signed_in(SUPPORT)
    first = client.get("/dashboard/2022").get_data(as_text=True)
    assert _range(first) == "Righe 1–50 di 70"
    second = client.get("/dashboard/2022?tasks_page=2").get_data(as_text=True)
    assert _range(second) == "Righe 51–70 di 70"
    beyond = client.get("/dashboard/2022?tasks_page=999").get_data(as_text=True)
    assert _range(beyond) == "Righe 51–70 di 70"
    assert len(_due_dates(first)) == PAGE and len(_due_dates(second)) == 20
    assert _due_dates(first)[0] == (utcnow() - timedelta(days=70)).strftime("%d/%m/%Y")


def test_the_overdue_list_queries_do_not_grow_with_the_tasks(report_cycle, client, signed_in):
    signed_in(SUPPORT)
    _late_tasks(report_cycle, 10)
    client.get("/dashboard/2022")
    with QueryCounter() as few:
        client.get("/dashboard/2022")
    _late_tasks(report_cycle, 60, start=10)
    with QueryCounter() as many:
        client.get("/dashboard/2022")
    assert many.count == few.count
