"""Sign-in against a real OpenLDAP server: who gets in, who is refused, and what the
login page says when the directory does not answer."""
from __future__ import annotations

import logging
import os
import signal
import time

from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.org import LoginAttempt
from app.services.account import directory
from app.services.account.signin import authenticate
from tests.directory.conftest import OIV_GROUP, OUTSIDER, PASSWORDS, STAFF_GROUP
from tests.directory.slapd import free_port
from tests.helpers import EMPLOYEE_A1, SG, SUPPORT, csrf_token, login, user_by_email

UNAVAILABLE = "Il servizio di directory non risponde"


def _not_demo(email: str):
    user = user_by_email(email)
    user.is_demo = False
    db.session.commit()
    return user


def test_directory_password_signs_in_and_the_audit_says_so(client, demo, ldap):
    assert login(client, SUPPORT, PASSWORDS[SUPPORT]).status_code == 302
    user = user_by_email(SUPPORT)
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "auth.login",
                                 AuditEvent.actor_id == user.id)
    ).scalar_one()
    assert event.after == {"method": "directory"}


def test_wrong_directory_password_refused(client, demo, ldap):
    assert login(client, SUPPORT, "dir-wrong-password").status_code == 401
    assert client.get("/").status_code == 302


def test_unknown_email_refused(client, demo, ldap):
    response = login(client, "nobody@cciaa-demo.example", PASSWORDS[SUPPORT])
    assert response.status_code == 401
    assert "E-mail o password non sono corretti" in response.get_data(as_text=True)


def test_person_in_directory_but_not_in_the_organisation_refused(client, demo, ldap):
    response = login(client, OUTSIDER, PASSWORDS[OUTSIDER])
    assert response.status_code == 401
    assert "E-mail o password non sono corretti" in response.get_data(as_text=True)


def test_inactive_user_refused_with_the_right_directory_password(client, demo, ldap):
    user_by_email(SUPPORT).active = False
    db.session.commit()
    assert login(client, SUPPORT, PASSWORDS[SUPPORT]).status_code == 401


def test_two_entries_with_one_address_refused(client, demo, ldap):
    assert login(client, SG, PASSWORDS[SG]).status_code == 401


def test_filter_syntax_in_the_email_is_only_a_value(client, demo, ldap):
    # Unescaped, the wildcard would find Antonio's entry and his password would sign in.
    wildcard = SUPPORT.replace("@", "*@")
    assert login(client, wildcard, PASSWORDS[SUPPORT]).status_code in (400, 401)
    assert authenticate(wildcard, PASSWORDS[SUPPORT], "127.0.0.1") is None
    assert authenticate("*)(mail=*", PASSWORDS[SUPPORT], "127.0.0.1") is None
    assert login(client, "*)(mail=*", PASSWORDS[SUPPORT]).status_code in (400, 401)
    assert client.get("/").status_code == 302


def test_empty_password_never_reaches_the_directory(demo, ldap):
    # An LDAP bind with a DN and no password is "unauthenticated" and succeeds.
    assert directory.verify(SUPPORT, "") is None
    assert authenticate(SUPPORT, "", "127.0.0.1") is None


def test_anonymous_search_when_no_service_account(client, demo, ldap):
    ldap["LDAP_BIND_DN"] = ldap["LDAP_BIND_PASSWORD"] = ""
    assert login(client, SUPPORT, PASSWORDS[SUPPORT]).status_code == 302


def test_local_password_refused_when_a_directory_is_configured(client, demo, ldap):
    _not_demo(SUPPORT)
    assert login(client, SUPPORT, "demo").status_code == 401
    assert login(client, SUPPORT, PASSWORDS[SUPPORT]).status_code == 302


def test_local_password_allowed_with_ldap_allow_local(client, demo, ldap):
    _not_demo(SUPPORT)
    ldap["LDAP_ALLOW_LOCAL"] = True
    assert login(client, SUPPORT, "demo").status_code == 302


def test_demo_users_keep_their_local_password(client, demo, ldap):
    assert login(client, SUPPORT, "demo").status_code == 302


def test_group_mapping_grants_and_withdraws_mapped_roles_audited(client, demo, ldap):
    ldap["LDAP_GROUP_ROLES"] = f"{OIV_GROUP}=OIV; {STAFF_GROUP.replace(',', ', ')}=SupportUnit"
    assert user_by_email(EMPLOYEE_A1).roles == {"Employee"}
    assert login(client, EMPLOYEE_A1, PASSWORDS[EMPLOYEE_A1]).status_code == 302
    employee = user_by_email(EMPLOYEE_A1)
    assert employee.roles == {"Employee", "OIV", "SupportUnit"}
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "user.roles",
                                 AuditEvent.object_id == str(employee.id))
    ).scalar_one()
    assert event.before == {"roles": ["Employee"]}
    assert event.after == {"roles": ["Employee", "OIV", "SupportUnit"], "by": "directory"}

    # Antonio holds SupportUnit in the product but is in no mapped group: withdrawn.
    _sign_out(client)
    assert "SupportUnit" in user_by_email(SUPPORT).roles
    _not_demo(SUPPORT)
    assert login(client, SUPPORT, PASSWORDS[SUPPORT]).status_code == 302
    assert "SupportUnit" not in user_by_email(SUPPORT).roles


def test_unchanged_roles_are_not_audited_again(client, demo, ldap):
    ldap["LDAP_GROUP_ROLES"] = f"{STAFF_GROUP}=SupportUnit"
    for _ in range(2):
        assert login(client, EMPLOYEE_A1, PASSWORDS[EMPLOYEE_A1]).status_code == 302
        _sign_out(client)
    events = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "user.roles")
    ).scalars().all()
    assert len(events) == 1


def _sign_out(client):
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/")}).status_code == 302


def test_throttling_applies_to_directory_sign_in(client, demo, ldap, app):
    _not_demo(SUPPORT)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert login(client, SUPPORT, "dir-wrong-password").status_code == 401
    assert login(client, SUPPORT, PASSWORDS[SUPPORT]).status_code == 429


def _assert_unavailable(response, caplog):
    assert response.status_code == 503
    assert UNAVAILABLE in response.get_data(as_text=True)
    assert any("directory" in r.getMessage() and r.levelno >= logging.ERROR
               for r in caplog.records)
    failures = db.session.execute(select(LoginAttempt)).scalars().all()
    assert failures == []  # an outage does not count towards throttling


def test_directory_down_shows_a_clear_message_not_a_500(client, demo, ldap, caplog):
    _not_demo(SUPPORT)
    ldap["LDAP_URL"] = f"ldap://127.0.0.1:{free_port()}"
    _assert_unavailable(login(client, SUPPORT, PASSWORDS[SUPPORT]), caplog)
    assert client.get("/").status_code == 302


def test_directory_timeout_is_honoured(client, demo, ldap, slapd_server, caplog):
    """A frozen server accepts connections and never answers: the sign-in gives up
    after LDAP_TIMEOUT_SECONDS."""
    _not_demo(SUPPORT)
    ldap["LDAP_TIMEOUT_SECONDS"] = 1
    os.kill(slapd_server.process.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        response = login(client, SUPPORT, PASSWORDS[SUPPORT])
        elapsed = time.monotonic() - started
    finally:
        os.kill(slapd_server.process.pid, signal.SIGCONT)
    _assert_unavailable(response, caplog)
    assert 0.9 <= elapsed < 4  # well under the default 5 s: the setting is used


def test_rejected_service_account_is_an_outage_not_a_refusal(client, demo, ldap, caplog):
    _not_demo(SUPPORT)
    ldap["LDAP_BIND_PASSWORD"] = "not-the-reader-password"
    _assert_unavailable(login(client, SUPPORT, PASSWORDS[SUPPORT]), caplog)


def test_start_tls_failure_never_falls_back_to_cleartext(client, demo, ldap, caplog):
    _not_demo(SUPPORT)
    ldap["LDAP_START_TLS"] = True  # the test server has no certificate
    _assert_unavailable(login(client, SUPPORT, PASSWORDS[SUPPORT]), caplog)


def test_demo_user_local_password_works_while_the_directory_is_down(client, demo, ldap):
    ldap["LDAP_URL"] = f"ldap://127.0.0.1:{free_port()}"
    assert login(client, SUPPORT, "demo").status_code == 302
