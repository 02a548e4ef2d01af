"""The password policy (length, common passwords, the e-mail's local part), applied
wherever a password is set except for demo users, and the change-password page."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditEvent
from app.services.org import passwords
from app.services.org.errors import OrgError
from app.services.org.password_policy import password_problems
from tests.helpers import ADMIN, csrf_token, login, user_by_email

EMAIL = "irene.operti@cciaa-demo.example"
EMPLOYEE = "alessandro.russo@cciaa-demo.example"
STRONG = "Vento-di-maestrale-42"


def test_a_long_uncommon_password_is_accepted():
    assert password_problems(STRONG, EMAIL) == []


@pytest.mark.parametrize("password", ["short-1A!", "elevenchars", "x" * 0])
def test_fewer_than_twelve_characters_is_refused(password):
    assert any("12" in p for p in password_problems(password, EMAIL))


@pytest.mark.parametrize("password", [
    "qwertyuiopasdfghjkl", "Password2024!", "123456789012", "!!juventus1897!!",
    "passwordpassword", "aaaaaaaaaaaaaaa", "abcabcabcabc", "Cambiami-2025",
])
def test_common_passwords_are_refused(password):
    assert any("comun" in p or "common" in p for p in password_problems(password, EMAIL))


@pytest.mark.parametrize("password", ["irene.operti-2025", "XOPERTIx-del-mare", "Irene-e-il-mare-9"])
def test_passwords_with_the_email_local_part_are_refused(password):
    problems = password_problems(password, EMAIL)
    assert problems and any("e-mail" in p for p in problems)


def test_admin_set_password_applies_the_policy(demo):
    admin, user = user_by_email(ADMIN), user_by_email(EMPLOYEE)
    user.is_demo = False
    with pytest.raises(OrgError):
        passwords.set_password(admin, user, "Password2024!")
    passwords.set_password(admin, user, STRONG)
    assert passwords.check_password(user, STRONG)


def test_demo_users_are_exempt_and_still_sign_in_with_demo(client, demo):
    user = user_by_email(EMPLOYEE)
    assert user.is_demo
    passwords.set_password(user_by_email(ADMIN), user, "demo")
    db.session.commit()
    assert login(client, EMPLOYEE, "demo").status_code == 302


def _change(client, current="demo", new=STRONG, confirm=STRONG, token=True):
    data = {"current": current, "new": new, "confirm": confirm}
    if token:
        data["csrf_token"] = csrf_token(client, "/me/password")
    return client.post("/me/password", data=data)


@pytest.fixture
def employee(client, demo, signed_in):
    """A signed-in employee who is not a demo user, so the policy applies."""
    user_by_email(EMPLOYEE).is_demo = False
    db.session.commit()
    return signed_in(EMPLOYEE)


def test_the_page_is_linked_from_the_personal_pages(employee):
    assert 'href="/me/password"' in employee.get("/me/").get_data(as_text=True)
    assert 'href="/me/password"' in employee.get("/me/preferences").get_data(as_text=True)


def test_the_page_changes_the_password_and_audits_without_it(employee):
    response = _change(employee)
    assert response.status_code == 302
    user = user_by_email(EMPLOYEE)
    assert passwords.check_password(user, STRONG)
    events = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "user.password")).scalars().all()
    assert [e.actor_id for e in events] == [user.id]
    dumped = db.session.execute(select(AuditEvent)).scalars().all()
    assert not any(STRONG in repr(vars(e)) for e in dumped)


def test_the_page_needs_the_csrf_token(employee):
    assert _change(employee, token=False).status_code == 400
    assert passwords.check_password(user_by_email(EMPLOYEE), "demo")


def test_the_page_refuses_a_wrong_current_password(employee):
    response = _change(employee, current="not-my-password")
    assert response.status_code == 400
    assert "La password attuale non è corretta." in response.get_data(as_text=True)
    assert passwords.check_password(user_by_email(EMPLOYEE), "demo")


def test_the_page_refuses_two_different_new_passwords(employee):
    response = _change(employee, confirm=STRONG + "x")
    assert response.status_code == 400
    assert "Le due nuove password non coincidono." in response.get_data(as_text=True)
    assert passwords.check_password(user_by_email(EMPLOYEE), "demo")


@pytest.mark.parametrize(("weak", "message"), [
    ("corta-1", "almeno 12 caratteri"),
    ("Password2024!", "troppo comune"),
    ("alessandro-in-vacanza", "non deve contenere"),
])
def test_the_page_refuses_a_weak_password_with_the_reason(employee, weak, message):
    response = _change(employee, new=weak, confirm=weak)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert passwords.check_password(user_by_email(EMPLOYEE), "demo")


def test_the_console_command_applies_the_policy_and_sets_a_strong_password(app, demo):
    user_by_email(EMPLOYEE).is_demo = False
    db.session.commit()
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["users", "set-password", EMPLOYEE],
                         input="Password2024!\nPassword2024!\n")
    assert weak.exit_code != 0
    assert "common" in weak.output or "comune" in weak.output
    assert passwords.check_password(user_by_email(EMPLOYEE), "demo")
    strong = runner.invoke(args=["users", "set-password", EMPLOYEE],
                           input=f"{STRONG}\n{STRONG}\n")
    assert strong.exit_code == 0, strong.output
    assert passwords.check_password(user_by_email(EMPLOYEE), STRONG)
    assert STRONG not in strong.output


def test_the_console_command_names_an_unknown_email(app, demo):
    result = app.test_cli_runner().invoke(args=["users", "set-password", "x@y.example"],
                                          input=f"{STRONG}\n{STRONG}\n")
    assert result.exit_code != 0
    assert "x@y.example" in result.output
