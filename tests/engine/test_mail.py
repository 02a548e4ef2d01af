"""Task e-mails through a real SMTP server (tests/smtp_server.py): what arrives is in the
recipient's language with absolute links; one message per task or a daily digest as the
person chose (automatic: a digest beyond DIGEST_THRESHOLD a day); a refused message is
retried with backoff, then shown to the Admin, who may send it again."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app import engine, mailer
from app import notify as notifications
from app.extensions import db
from app.models.engine import Notification
from app.models.types import utcnow
from tests.engine.helpers import open_tasks, start_review
from tests.helpers import QueryCounter, csrf_token

ADMIN = "irene.operti@cciaa-demo.example"
PUBLIC = "https://performance.example.it"


def _rows(user) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.execute(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)).scalars())


def _reviews(employee, n: int) -> None:
    for k in range(n):
        start_review(employee, key=f"mail-{k}")


def test_message_arrives_in_the_recipients_language_with_an_absolute_link(
        deployed, people, smtp_server):
    people.employee.locale = "en"
    people.other_employee.locale = "it"
    db.session.commit()
    start_review(people.employee)
    start_review(people.other_employee)
    assert engine.tick().mails_sent == 2
    by_recipient = {m["To"]: m for m in smtp_server.messages}
    english = by_recipient[people.employee.email]
    italian = by_recipient[people.other_employee.email]
    assert english["Subject"] == "New task: Submit the request"
    assert italian["Subject"] == "Nuova attività: Submit the request"
    task_id = _rows(people.employee)[0].task_id
    assert f"Open the task: {PUBLIC}/tasks/{task_id}" in english.get_content()
    assert f"{PUBLIC}/tasks/" in italian.get_content()
    assert "Apri l'attività" in italian.get_content()


def test_a_digest_person_gets_one_message_a_day_listing_the_open_tasks(
        deployed, people, smtp_server):
    people.employee.mail_mode = notifications.DIGEST_MODE
    db.session.commit()
    _reviews(people.employee, 2)
    assert [n.status for n in _rows(people.employee)] == ["held", "held"]
    assert engine.tick().mails_sent == 0  # today's messages wait for tomorrow
    assert mailer.send_digests(utcnow() + timedelta(seconds=1)) == 1
    assert mailer.dispatch() == 1
    [digest] = smtp_server.messages
    assert digest["To"] == people.employee.email
    body = digest.get_content()
    for row in _rows(people.employee)[:2]:
        assert f"{PUBLIC}/tasks/{row.task_id}" in body
    assert [n.status for n in _rows(people.employee)] == ["digested", "digested", "sent"]
    assert mailer.send_digests(utcnow() + timedelta(seconds=1)) == 0


def test_automatic_mode_holds_what_comes_beyond_the_threshold_of_the_day(deployed, people):
    _reviews(people.employee, notifications.DIGEST_THRESHOLD + 2)
    statuses = [n.status for n in _rows(people.employee)]
    assert statuses == ["outbox"] * notifications.DIGEST_THRESHOLD + ["held", "held"]


class _Statements(QueryCounter):
    def __init__(self):
        super().__init__()
        self.seen = []

    def _seen(self, _conn, _cursor, statement, *_args):
        self.seen.append(" ".join(statement.split()))


def test_messages_to_one_person_in_one_transaction_each_count_the_ones_before(deployed, people):
    """A lone message's INSERT counts the day's messages itself, with no query before
    it; several such messages in one transaction (a run of reminders) each see those
    inserted before them."""
    reviews = [start_review(people.employee, key=f"tx-{k}") for k in range(2)]
    tasks = [open_tasks(review.id)[0] for review in reviews]  # two assignments sent
    with _Statements() as statements:
        for _round in range(2):
            for task in tasks:
                notifications.notify_users([people.employee.id], notifications.REMINDER, task)
        db.session.commit()
    statuses = [n.status for n in _rows(people.employee)]
    assert statuses == ["outbox"] * notifications.DIGEST_THRESHOLD + ["held"] * 3
    inserts = [s for s in statements.seen if s.startswith("INSERT INTO notification")]
    assert len(inserts) == 4 and all("count(" in s for s in inserts)
    assert not [s for s in statements.seen if s.startswith("SELECT") and "count(" in s]


def test_one_message_per_task_when_chosen_whatever_the_number(deployed, people):
    people.employee.mail_mode = notifications.EACH
    db.session.commit()
    _reviews(people.employee, notifications.DIGEST_THRESHOLD + 2)
    assert {n.status for n in _rows(people.employee)} == {"outbox"}


def test_flask_mail_digest_bundles_and_sends(app, deployed, people, smtp_server):
    people.employee.mail_mode = notifications.DIGEST_MODE
    db.session.commit()
    _reviews(people.employee, 2)
    result = app.test_cli_runner().invoke(args=["mail", "digest", "--include-today"])
    assert result.exit_code == 0, result.output
    assert "digests: 1, mails sent: 1" in result.output
    assert len(smtp_server.messages) == 1


def test_a_refused_message_is_retried_with_backoff_then_shown_to_the_admin(
        client, signed_in, deployed, people, smtp_server):
    smtp_server.refusing = True
    start_review(people.employee)
    now = utcnow()
    assert mailer.dispatch(now=now) == 0
    [row] = _rows(people.employee)
    assert (row.status, row.attempts) == ("queued", 1)
    assert "550" in row.last_error
    assert mailer.dispatch(now=now + timedelta(minutes=1)) == 0  # still backing off
    assert _rows(people.employee)[0].attempts == 1
    for _attempt in range(mailer.MAX_ATTEMPTS - 1):
        now += timedelta(days=1)
        mailer.dispatch(now=now)
    [row] = _rows(people.employee)
    assert (row.status, row.attempts) == ("failed", mailer.MAX_ATTEMPTS)
    assert smtp_server.messages == []

    signed_in(people.support.email)
    retry = f"/admin/outbox/{row.id}/retry"
    assert client.post(retry, data={"csrf_token": csrf_token(client, "/")}).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    signed_in(ADMIN)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert page.count('data-testid="failed-notification"') == 1
    assert "mailbox unavailable" in page
    response = client.post(retry, data={"csrf_token": csrf_token(client, "/admin/outbox")})
    assert response.status_code == 302
    assert client.post(retry, data={"csrf_token": csrf_token(client, "/admin/outbox")}
                       ).status_code == 409
    smtp_server.refusing = False
    assert mailer.dispatch() == 1
    assert [m["To"] for m in smtp_server.messages] == [people.employee.email]
    assert _rows(people.employee)[0].status == "sent"


def test_an_unreachable_server_counts_as_a_failed_attempt(app, deployed, people, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)  # discard: nothing listens
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    start_review(people.employee)
    report = engine.tick()
    assert report.mails_sent == 0 and report.errors
    [row] = _rows(people.employee)
    assert (row.status, row.attempts) == ("queued", 1) and row.next_attempt_at is not None
