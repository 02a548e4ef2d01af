"""Sign-in: the same password-hash work for known and unknown e-mails, locks per
(e-mail, address) that grow with each failure, and the Admins' page of locks."""
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.org import LoginThrottle
from app.models.types import utcnow
from app.services.account import signin
from config import password_hash_parameters
from tests.helpers import ADMIN, SUPPORT, csrf_token, user_by_email

EMPLOYEE = "alessandro.russo@cciaa-demo.example"
A, B = "10.0.0.1", "10.0.0.2"


@pytest.fixture
def verify_calls(app, monkeypatch):
    """Counts the argon2 verifications (the real ones still run)."""
    calls = []

    class CountingHasher(PasswordHasher):
        def verify(self, hash_, password):
            calls.append(hash_)
            return super().verify(hash_, password)

    monkeypatch.setitem(app.extensions, "password_hasher",
                        CountingHasher(**password_hash_parameters(
                            app.config["PASSWORD_HASH_PARAMETERS"])))
    return calls


def test_an_unknown_email_costs_one_hash_verification(demo, verify_calls):
    assert signin.authenticate("nobody@cciaa-demo.example", "demo", A) is None
    assert len(verify_calls) == 1


def test_an_inactive_user_costs_one_hash_verification(demo, verify_calls):
    user_by_email(EMPLOYEE).active = False
    db.session.commit()
    assert signin.authenticate(EMPLOYEE, "demo", A) is None
    assert len(verify_calls) == 1


def test_a_known_email_costs_one_hash_verification(demo, verify_calls):
    assert signin.authenticate(EMPLOYEE, "wrong", A) is None
    assert signin.authenticate(EMPLOYEE, "demo", B) is not None
    assert len(verify_calls) == 2


def _fail(email, address, times):
    for _ in range(times):
        assert signin.authenticate(email, "wrong", address) is None


def _expire(email, address):
    """Let the current lock of the pair run out."""
    row = db.session.execute(select(LoginThrottle).where(
        LoginThrottle.email == email, LoginThrottle.remote_addr == address)).scalar_one()
    row.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_failures_from_one_address_do_not_lock_the_email_elsewhere(app, demo):
    _fail(EMPLOYEE, A, app.config["LOGIN_MAX_FAILURES"])
    with pytest.raises(signin.Throttled):
        signin.authenticate(EMPLOYEE, "demo", A)  # even the right password, from A
    assert signin.authenticate(EMPLOYEE, "demo", B) is not None


def test_the_lock_doubles_with_each_further_failure_up_to_the_cap(app, demo):
    limit = app.config["LOGIN_MAX_FAILURES"]
    assert signin.lock_delay(limit - 1) == timedelta(0)
    assert [signin.lock_delay(limit + n) for n in range(4)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert signin.lock_delay(limit + 50) == timedelta(minutes=app.config["LOGIN_LOCK_MAX_MINUTES"])
    _fail(EMPLOYEE, A, limit)
    waits = []
    for _ in range(3):
        row = db.session.execute(select(LoginThrottle)).scalar_one()
        waits.append(round((row.locked_until - row.last_failure_at).total_seconds() / 60))
        _expire(EMPLOYEE, A)
        _fail(EMPLOYEE, A, 1)
    assert waits == [1, 2, 4]


def test_a_successful_sign_in_forgets_the_failures(app, demo):
    _fail(EMPLOYEE, A, app.config["LOGIN_MAX_FAILURES"] - 1)
    assert signin.authenticate(EMPLOYEE, "demo", A) is not None
    assert db.session.execute(select(LoginThrottle)).first() is None


def test_one_address_failing_on_many_emails_hits_its_cap(app, demo):
    cap = app.config["LOGIN_MAX_FAILURES"] * 5
    for n in range(cap):
        signin.authenticate(f"guess{n}@cciaa-demo.example", "wrong", A)
    with pytest.raises(signin.Throttled):
        signin.authenticate(EMPLOYEE, "demo", A)
    assert signin.authenticate(EMPLOYEE, "demo", B) is not None


def test_admin_sees_and_clears_a_lock_which_is_audited(app, client, demo, signed_in):
    _fail(EMPLOYEE, "192.0.2.7", app.config["LOGIN_MAX_FAILURES"])
    signed_in(ADMIN)
    page = client.get("/admin/sign-in-locks").get_data(as_text=True)
    assert EMPLOYEE in page and "192.0.2.7" in page
    lock = db.session.execute(select(LoginThrottle)).scalar_one()
    response = client.post(f"/admin/sign-in-locks/{lock.id}/clear",
                           data={"csrf_token": csrf_token(client, "/admin/sign-in-locks")})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.execute(select(LoginThrottle)).first() is None
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "auth.unlock")).scalar_one()
    assert event.actor_id == user_by_email(ADMIN).id
    assert signin.authenticate(EMPLOYEE, "demo", "192.0.2.7") is not None
    assert "192.0.2.7" not in client.get("/admin/sign-in-locks").get_data(as_text=True)


@pytest.mark.parametrize("email", [SUPPORT, EMPLOYEE])
def test_non_admins_get_403_on_the_locks_page(app, client, demo, signed_in, email):
    _fail(ADMIN, A, app.config["LOGIN_MAX_FAILURES"])
    lock = db.session.execute(select(LoginThrottle)).scalar_one()
    signed_in(email)
    assert client.get("/admin/sign-in-locks").status_code == 403
    response = client.post(f"/admin/sign-in-locks/{lock.id}/clear",
                           data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 403
    assert db.session.execute(select(LoginThrottle)).scalar_one() is not None


def test_behind_trusted_proxies_the_client_address_is_the_one_throttled(app, demo):
    settings = {k: v for k, v in app.config.items() if k.isupper()}
    settings["TRUSTED_PROXY_COUNT"] = 1
    proxied = create_app(type("BehindProxy", (), settings))
    client = proxied.test_client()
    token = csrf_token(client)
    client.post("/login", data={"email": EMPLOYEE, "password": "wrong", "csrf_token": token},
                headers={"X-Forwarded-For": "203.0.113.9"}, environ_base={"REMOTE_ADDR": A})
    db.session.expire_all()
    row = db.session.execute(select(LoginThrottle)).scalar_one()
    assert row.remote_addr == "203.0.113.9"
