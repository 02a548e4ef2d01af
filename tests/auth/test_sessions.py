"""Sessions end on the server: a copy of the session cookie stops working after
sign-out, a password change, deactivation, or a change of the user's roles."""
from app.extensions import db
from app.models.org import User
from app.services.org import passwords, people
from tests.helpers import ADMIN, SUPPORT, csrf_token, user_by_email

EMPLOYEE = "alessandro.russo@cciaa-demo.example"
STRONG = "Vento-di-maestrale-42"


def _copy(app, client):
    """Another browser holding the same session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _signed_in(client) -> bool:
    return client.get("/me/").status_code == 200


def test_a_copied_cookie_works_until_something_ends_the_session(app, demo, signed_in):
    client = signed_in(EMPLOYEE)
    assert _signed_in(_copy(app, client))


def test_sign_out_ends_a_copied_cookie(app, demo, signed_in):
    client = signed_in(EMPLOYEE)
    thief = _copy(app, client)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert not _signed_in(thief)
    assert thief.get("/me/").headers["Location"].startswith("/login")


def test_own_password_change_ends_other_sessions_but_not_this_one(app, demo, signed_in):
    client = signed_in(EMPLOYEE)
    thief = _copy(app, client)
    response = client.post("/me/password", data={
        "csrf_token": csrf_token(client, "/me/password"), "current": "demo",
        "new": STRONG, "confirm": STRONG})
    assert response.status_code == 302
    assert not _signed_in(thief)
    assert _signed_in(client)


def test_password_set_by_an_admin_ends_the_users_sessions(app, demo, signed_in):
    client = signed_in(EMPLOYEE)
    admin, user = user_by_email(ADMIN), user_by_email(EMPLOYEE)
    passwords.set_password(admin, user, STRONG)
    db.session.commit()
    assert not _signed_in(client)


def test_deactivation_ends_the_users_sessions(app, demo, signed_in):
    client = signed_in(EMPLOYEE)
    thief = _copy(app, client)
    user = user_by_email(EMPLOYEE)
    data = people.UserData(
        email=user.email, first_name=user.first_name, last_name=user.last_name,
        category=user.category, unit_id=user.unit_id, active=False)
    people.save_user(user_by_email(SUPPORT), data, user)
    db.session.commit()
    assert not _signed_in(client)
    assert not _signed_in(thief)


def test_a_role_change_ends_the_users_sessions(app, demo, signed_in):
    client = signed_in(EMPLOYEE)
    people.set_roles(user_by_email(ADMIN), user_by_email(EMPLOYEE), {"Employee", "Supervisor"})
    db.session.commit()
    assert not _signed_in(client)


def test_saving_other_details_keeps_the_session(app, demo, signed_in):
    client = signed_in(EMPLOYEE)
    user = user_by_email(EMPLOYEE)
    data = people.UserData(
        email=user.email, first_name="Alessio", last_name=user.last_name,
        category=user.category, unit_id=user.unit_id)
    people.save_user(user_by_email(SUPPORT), data, user)
    db.session.commit()
    assert _signed_in(client)


def test_a_cookie_from_before_revocable_sessions_signs_nobody_in(app, demo):
    user = db.session.query(User).filter_by(email=EMPLOYEE).one()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # the old form: the id alone
        session["_fresh"] = True
    assert not _signed_in(client)
