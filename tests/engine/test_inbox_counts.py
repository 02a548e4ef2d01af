"""The inbox counts: every view's count and the navigation badge come from one statement,
read once per request, and equal the counts of each view's own list."""
from __future__ import annotations

from app.services.tasks import inbox
from tests.engine.helpers import complete, open_task, start_review
from tests.helpers import QueryCounter


def test_the_counts_are_one_statement_and_match_each_view(deployed, people):
    review = start_review(people.employee, review_timeout="P3D", key="a")
    complete(people.employee, open_task(review.id, "submit"), days=1)
    start_review(people.employee, review_timeout="P2D", key="b")
    inbox.counts(people.manager)  # the units the manager heads, kept for the request
    with QueryCounter() as counted:
        numbers = inbox.counts(people.manager)
    assert counted.count == 1
    assert numbers["pool"] == 1 and numbers["mine"] == 0 and numbers["escalated"] == 0
    employee = inbox.counts(people.employee)
    assert employee["mine"] == 1  # the second review's submit task
    for user in (people.manager, people.employee):
        for view in inbox.VIEWS:
            listed = inbox.page(view, user, inbox.Filters(task_type="review")).total + \
                inbox.page(view, user, inbox.Filters(task_type="submit")).total
            expected = inbox.counts(user)[view]
            assert listed == expected, (user.email, view)


def test_the_inbox_page_reads_the_counts_once(client, signed_in, deployed, people):
    review = start_review(people.employee, review_timeout="P3D", key="a")
    complete(people.employee, open_task(review.id, "submit"), days=1)
    signed_in(people.manager.email)
    client.get("/tasks?view=pool")
    with QueryCounter() as few:
        client.get("/tasks?view=pool")
    for key in "bcdefg":
        other = start_review(people.employee, review_timeout="P3D", key=key)
        complete(people.employee, open_task(other.id, "submit"), days=1)
    with QueryCounter() as many:
        html = client.get("/tasks?view=pool").get_data(as_text=True)
    assert many.count == few.count
    assert 'data-testid="task-badge">7' in html
