"""The pooled inbox: open unassigned tasks of all my roles in one list by due date, page
after page, answered from the partial pool index alone (ix_human_task_open_pool) on
SQLite and PostgreSQL, so that the first page stays fast at 100,000 open tasks."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, insert

from app.engine import clock
from app.extensions import db
from app.models.engine import HumanTask
from app.models.org import Role, UserRole
from app.services.tasks import inbox
from tests.engine.helpers import start_review
from tests.helpers import login, user_by_email

OIV_AND_SUPPORT = "antonio.deangelis@cciaa-demo.example"  # SupportUnit, made OIV below


@pytest.fixture
def pooled(deployed, people):
    """30 open tasks pooled to OIV or SupportUnit (due in n days, every fifth without a
    due date), and tasks that must stay out of the pool: a completed one, one assigned to
    a person and one of another role. Returns the user holding both roles."""
    db.session.add(UserRole(user_id=people.support.id, role=Role.OIV.value))
    instance_id = start_review(people.employee).id
    now = clock.now()

    def row(n: int, role: str, **extra) -> dict:
        return {"instance_id": instance_id, "task_guid": f"pool-{n}", "bpmn_id": f"step{n % 3}",
                "title": f"Step {n % 3}", "form_key": "acknowledgement", "role": role,
                "org_unit_id": people.employee.unit_id, "status": "open",
                "due_at": None if n % 5 == 0 else now + timedelta(days=n),
                "created_at": now, "version": 1, **extra}

    rows = [row(n, Role.OIV.value if n % 2 else Role.SUPPORT_UNIT.value) for n in range(30)]
    rows += [row(100, Role.OIV.value, status="completed"),
             row(101, Role.OIV.value, assignee_id=people.manager.id),
             row(102, Role.BOARD.value)]
    db.session.execute(insert(HumanTask), rows)
    db.session.commit()
    return user_by_email(OIV_AND_SUPPORT)


def _expected_order() -> list[str]:
    dated = sorted((n for n in range(30) if n % 5), key=lambda n: n)
    undated = [n for n in range(30) if n % 5 == 0]
    return [f"pool-{n}" for n in dated + undated]


def test_a_pool_of_several_roles_is_one_list_by_due_date_undated_last(pooled):
    first = inbox.page("pool", pooled, inbox.Filters(), 1)
    second = inbox.page("pool", pooled, inbox.Filters(), 2)
    shown = [t.task_guid for t in first.items + second.items]
    assert shown == _expected_order()
    assert (first.total, first.pages, len(first.items)) == (30, 2, inbox.PAGE_SIZE)
    assert inbox.counts(pooled)["pool"] == 30


def test_a_filtered_pool_pages_and_counts_only_its_tasks(pooled):
    filters = inbox.Filters(task_type="step1")
    page = inbox.page("pool", pooled, filters)
    assert [t.task_guid for t in page.items] == [
        g for g in _expected_order() if int(g.removeprefix("pool-")) % 3 == 1]
    assert page.total == 10
    assert inbox.task_types("pool", pooled, inbox.Filters()) == [
        ("step0", "Step 0"), ("step1", "Step 1"), ("step2", "Step 2")]


def _statements(work) -> list[tuple[str, object]]:
    seen = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        if "FROM human_task" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return seen


def _plan(statement: str, parameters, is_postgres: bool) -> str:
    connection = db.session.connection()
    if is_postgres:
        cursor = connection.connection.driver_connection.cursor()
        # A table this small is read whole unless told otherwise: forbid that, so the plan
        # shows whether the index can answer (its condition and columns match the query).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + statement, parameters)
        return "\n".join(r[0] for r in cursor.fetchall())
    rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    return "\n".join(r[-1] for r in rows)


def test_the_pooled_counts_page_and_types_are_read_from_the_pool_index_alone(
        pooled, app, is_postgres):
    def first_page():
        with app.test_request_context("/tasks"):
            user = user_by_email(OIV_AND_SUPPORT)
            inbox.page("pool", user, inbox.Filters())
            inbox.task_types("pool", user, inbox.Filters())

    statements = _statements(first_page)
    assert len(statements) == 3  # the counts, the page, the task types
    for statement, parameters in statements:
        plan = _plan(statement, parameters, is_postgres)
        pool_lines = [line for line in plan.splitlines() if "ix_human_task_open_pool" in line]
        assert pool_lines, plan
        for line in pool_lines:
            assert ("Index Only Scan" in line if is_postgres else "COVERING INDEX" in line), plan
    db.session.rollback()


def _active_tab(page: str) -> str:
    return re.search(r'class="nav-link active" aria-current="page"\s+href="[^"]*"\s+'
                     r'data-testid="tab-(\w+)"', page).group(1)


def test_the_inbox_opens_on_the_pool_when_only_pooled_tasks_wait(pooled, client):
    assert inbox.counts(pooled)["mine"] == 0
    login(client, OIV_AND_SUPPORT)
    page = client.get("/tasks").get_data(as_text=True)
    assert _active_tab(page) == "pool"
    assert "Nessuna attività aperta qui." not in page
    # Asked for, the empty tab is still shown as it is.
    page = client.get("/tasks?view=mine").get_data(as_text=True)
    assert _active_tab(page) == "mine" and "Nessuna attività aperta qui." in page


def test_the_inbox_opens_on_my_tasks_when_some_are_mine(pooled, people, client):
    assert inbox.counts(people.manager)["mine"] >= 1
    login(client, people.manager.email)
    assert _active_tab(client.get("/tasks").get_data(as_text=True)) == "mine"
