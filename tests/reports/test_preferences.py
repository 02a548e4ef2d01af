"""The signed-in person turns reminders off and on and chooses one message per task or a
daily digest at /me/preferences; each change is audited; assignments are still sent to
someone who opted out."""
from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditEvent
from app.services.account import preferences
from tests.helpers import EMPLOYEE_A1, csrf_token, user_by_email


def _events(user):
    return db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "user.reminders_opt_out",
                                 AuditEvent.object_id == str(user.id))
        .order_by(AuditEvent.id)).scalars().all()


def test_service_audits_only_changes(demo):
    person = user_by_email(EMPLOYEE_A1)
    assert preferences.set_reminders_opt_out(person, True) is True
    assert preferences.set_reminders_opt_out(person, True) is False
    db.session.commit()
    (event,) = _events(person)
    assert event.actor_id == person.id
    assert event.before == {"reminders_opt_out": False}
    assert event.after == {"reminders_opt_out": True}


def test_page_turns_reminders_off_and_on(demo, client, signed_in):
    signed_in(EMPLOYEE_A1)
    html = client.get("/me/preferences").get_data(as_text=True)
    assert 'id="reminders" name="reminders" checked' in html
    token = csrf_token(client, "/me/preferences")
    assert client.post("/me/preferences", data={"csrf_token": token}).status_code == 302
    assert user_by_email(EMPLOYEE_A1).reminders_opt_out is True
    assert 'name="reminders" checked' not in client.get("/me/preferences").get_data(as_text=True)
    client.post("/me/preferences", data={"csrf_token": token, "reminders": "on"})
    person = user_by_email(EMPLOYEE_A1)
    assert person.reminders_opt_out is False
    assert [e.after["reminders_opt_out"] for e in _events(person)] == [True, False]


def test_preferences_need_sign_in(demo, client):
    response = client.get("/me/preferences")
    assert response.status_code == 302 and "/login" in response.location


def test_opt_out_stops_reminders_not_assignments(demo):
    from types import SimpleNamespace

    from app import notify as notifications

    person = user_by_email(EMPLOYEE_A1)
    preferences.set_reminders_opt_out(person, True)
    task = SimpleNamespace(id=None, title="Prova", due_at=None, subject=None, assignee=None,
                           claimed_by=None)
    assert notifications.notify(person, notifications.REMINDER, task) is False
    assert notifications.notify(person, notifications.ASSIGNMENT, task) is True


def test_page_chooses_a_daily_digest_and_back_to_automatic_audited(demo, client, signed_in):
    signed_in(EMPLOYEE_A1)
    token = csrf_token(client, "/me/preferences")
    form = {"csrf_token": token, "reminders": "on"}
    assert client.post("/me/preferences", data={**form, "mail_mode": "digest"}).status_code == 302
    assert user_by_email(EMPLOYEE_A1).mail_mode == "digest"
    assert 'value="digest" checked' in client.get("/me/preferences").get_data(as_text=True)
    client.post("/me/preferences", data={**form, "mail_mode": ""})
    person = user_by_email(EMPLOYEE_A1)
    assert person.mail_mode is None
    events = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "user.mail_mode", AuditEvent.object_id == str(person.id))
        .order_by(AuditEvent.id)).scalars().all()
    assert [e.after["mail_mode"] for e in events] == ["digest", None]


def test_an_unknown_mail_mode_is_refused(demo, client, signed_in):
    signed_in(EMPLOYEE_A1)
    token = csrf_token(client, "/me/preferences")
    response = client.post("/me/preferences", data={"csrf_token": token, "mail_mode": "hourly"})
    assert response.status_code == 400
    assert user_by_email(EMPLOYEE_A1).mail_mode is None
