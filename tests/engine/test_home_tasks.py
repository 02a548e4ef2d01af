"""The home page's "what needs me": my open tasks with links, the overdue first and
marked, due dates as dd/mm/yyyy; never another person's tasks."""
from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from app.extensions import db
from app.models.engine import HumanTask
from app.models.types import utcnow
from tests.engine.helpers import open_task, start_review


def test_my_tasks_come_overdue_first_with_links_and_nobody_elses(client, signed_in, deployed,
                                                                  people):
    later = open_task(start_review(people.employee, key="a").id, "submit")
    overdue = open_task(start_review(people.employee, key="b").id, "submit")
    other = open_task(start_review(people.other_employee, key="c").id, "submit")
    db.session.execute(update(HumanTask).where(HumanTask.id == later.id)
                       .values(due_at=utcnow() + timedelta(days=5)))
    db.session.execute(update(HumanTask).where(HumanTask.id == overdue.id)
                       .values(due_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    signed_in(people.employee.email)
    html = client.get("/").get_data(as_text=True)
    links = re.findall(r'data-testid="home-task">\s*<a href="/tasks/(\d+)"', html)
    assert links == [str(overdue.id), str(later.id)]
    assert html.count('data-testid="overdue"') == 1
    local = (utcnow() - timedelta(days=2)).astimezone(ZoneInfo("Europe/Rome"))
    assert local.strftime("%d/%m/%Y") in html
    assert f'href="/tasks/{other.id}"' not in html
