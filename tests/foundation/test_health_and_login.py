"""Health check, sign-in, sign-out, CSRF, throttling and password storage."""
from sqlalchemy import select, text

from app.extensions import db
from app.models.org import LoginAttempt, User
from tests.helpers import SUPPORT, csrf_token, login, user_by_email


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_down(client, app, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"


def test_login_page_renders_in_italian_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="it">' in page
    assert "Accedi" in page


def test_sign_in_shows_name_and_sign_out(client, demo):
    assert login(client, SUPPORT).status_code == 302
    assert "Antonio Deangelis" in client.get("/").get_data(as_text=True)
    token = csrf_token(client, "/")
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_wrong_password_refused(client, demo):
    response = login(client, SUPPORT, "wrong-password")
    assert response.status_code == 401
    assert client.get("/").status_code == 302


def test_unknown_next_is_not_followed(client, demo):
    token = csrf_token(client)
    response = client.post("/login?next=//evil.example/x",
                           data={"email": SUPPORT, "password": "demo", "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_csrf_missing_is_400(client, demo):
    response = client.post("/login", data={"email": SUPPORT, "password": "demo"})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_csrf_missing_on_signed_in_form_is_400(client, demo):
    login(client, SUPPORT)
    response = client.post("/logout")
    assert response.status_code == 400


def test_throttling_after_repeated_failures(client, demo, app):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert login(client, SUPPORT, "nope").status_code == 401
    # even the right password is refused while throttled
    response = login(client, SUPPORT, "demo")
    assert response.status_code == 429
    assert "Troppi tentativi" in response.get_data(as_text=True)
    failures = db.session.execute(
        select(LoginAttempt).where(LoginAttempt.email == SUPPORT, LoginAttempt.succeeded.is_(False))
    ).scalars().all()
    assert len(failures) == limit + 1


def test_password_never_stored_in_clear(demo):
    user = user_by_email(SUPPORT)
    assert user.password_hash.startswith("$argon2")
    assert "demo" not in user.password_hash
    dumped = db.session.execute(text('SELECT * FROM "user"')).all()
    assert not any("demo" == value for row in dumped for value in row)


def test_inactive_user_cannot_sign_in(client, demo):
    user = user_by_email(SUPPORT)
    user.active = False
    db.session.commit()
    assert login(client, SUPPORT).status_code == 401


def test_session_cookie_flags(client, demo):
    response = login(client, SUPPORT)
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_language_switch_to_english(client):
    token = csrf_token(client)
    client.post("/language/en", data={"csrf_token": token, "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Sign in" in page


def test_the_language_picked_on_the_sign_in_page_stays_after_signing_in(client, demo):
    client.post("/language/en", data={"csrf_token": csrf_token(client), "next": "/login"})
    assert login(client, SUPPORT).status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in home
    assert "Sign out" in home


def test_without_a_pick_the_home_page_after_signing_in_is_italian(client, demo):
    assert login(client, SUPPORT).status_code == 302
    assert '<html lang="it">' in client.get("/").get_data(as_text=True)


def test_sign_in_is_audited(client, demo):
    from app.models.audit import AuditEvent

    login(client, SUPPORT)
    user = db.session.execute(select(User).where(User.email == SUPPORT)).scalar_one()
    actions = db.session.execute(
        select(AuditEvent.action).where(AuditEvent.actor_id == user.id)
    ).scalars().all()
    assert "auth.login" in actions
