"""Password hashes: argon2id at the cost PASSWORD_HASH_PARAMETERS sets (OWASP's
recommended minimum by default), a hash made at another cost upgraded at its owner's
next sign-in, and a malformed or too cheap setting refused at start-up."""
from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models.audit import AuditEvent
from app.services.account import signin
from app.services.org import passwords
from config import ConfigurationError, TestConfig, password_hash_parameters
from tests.helpers import csrf_token, user_by_email

EMPLOYEE = "alessandro.russo@cciaa-demo.example"
DEFAULT_COST = "m=19456,t=2,p=1"
# argon2-cffi's own default (RFC 9106's low-memory profile), which the product used
# before the cost became a setting: about 8 times OWASP's minimum in CPU time.
OLD_HASH = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)


def _cost(hash_: str) -> str:
    return hash_.split("$")[3]


def _password_events() -> int:
    return db.session.execute(select(func.count(AuditEvent.id))
                              .where(AuditEvent.action == "user.password")).scalar_one()


def _give_old_hash() -> str:
    """The employee's password ("demo") hashed at the old default cost, stored."""
    old = OLD_HASH.hash("demo")
    user_by_email(EMPLOYEE).password_hash = old
    db.session.commit()
    return old


def _stored_hash() -> str:
    db.session.expire_all()
    return user_by_email(EMPLOYEE).password_hash


def test_a_new_hash_is_argon2id_at_owasps_recommended_minimum(demo):
    hash_ = passwords.hash_password("correct horse battery staple")
    assert hash_.startswith("$argon2id$v=19$")
    assert _cost(hash_) == DEFAULT_COST


def test_signing_in_upgrades_a_hash_made_at_another_cost(demo):
    _give_old_hash()
    sessions, events = user_by_email(EMPLOYEE).session_version, _password_events()

    assert signin.authenticate(EMPLOYEE, "demo", "10.0.0.1") is not None

    db.session.expire_all()
    user = user_by_email(EMPLOYEE)
    assert _cost(user.password_hash) == DEFAULT_COST
    assert passwords.check_password(user, "demo")
    assert not passwords.check_password(user, "Demo")
    # The password did not change: the sessions stay and the audit trail has no
    # password change (the sign-in itself is recorded as always).
    assert user.session_version == sessions
    assert _password_events() == events


def test_a_wrong_password_leaves_an_old_hash_as_it_was(demo):
    old = _give_old_hash()
    assert signin.authenticate(EMPLOYEE, "not-the-password", "10.0.0.1") is None
    assert _stored_hash() == old


def test_a_hash_at_the_configured_cost_is_not_made_again(demo):
    before = user_by_email(EMPLOYEE).password_hash
    assert _cost(before) == DEFAULT_COST
    assert signin.authenticate(EMPLOYEE, "demo", "10.0.0.1") is not None
    assert _stored_hash() == before


def test_the_sign_in_page_upgrades_the_hash_too(demo, client):
    _give_old_hash()
    response = client.post("/login", data={"email": EMPLOYEE, "password": "demo",
                                           "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert _cost(_stored_hash()) == DEFAULT_COST


def test_a_configured_cost_is_used_for_new_hashes(app):
    class Stronger(TestConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        PASSWORD_HASH_PARAMETERS = "m=47104,t=2,p=2"

    with create_app(Stronger).app_context():
        assert _cost(passwords.hash_password("x")) == "m=47104,t=2,p=2"


def test_a_changed_cost_reaches_a_person_at_the_next_sign_in(demo, app, monkeypatch):
    stronger = "m=47104,t=2,p=2"
    monkeypatch.setitem(app.extensions, "password_hasher", None)
    passwords.use_hasher(app, password_hash_parameters(stronger))
    user = user_by_email(EMPLOYEE)
    assert _cost(user.password_hash) == DEFAULT_COST
    assert signin.authenticate(EMPLOYEE, "demo", "10.0.0.1") is not None
    db.session.expire_all()
    user = user_by_email(EMPLOYEE)
    assert _cost(user.password_hash) == stronger
    assert passwords.check_password(user, "demo")
    assert not passwords.refresh_hash(user, "demo")


@pytest.mark.parametrize("value, expected", [
    (DEFAULT_COST, {"memory_cost": 19456, "time_cost": 2, "parallelism": 1}),
    ("t=2, m=19456, p=1", {"memory_cost": 19456, "time_cost": 2, "parallelism": 1}),
    # The rest of OWASP's table, and RFC 9106's low-memory profile.
    ("m=47104,t=1,p=1", {"memory_cost": 47104, "time_cost": 1, "parallelism": 1}),
    ("m=12288,t=3,p=1", {"memory_cost": 12288, "time_cost": 3, "parallelism": 1}),
    ("m=9216,t=4,p=1", {"memory_cost": 9216, "time_cost": 4, "parallelism": 1}),
    ("m=7168,t=5,p=1", {"memory_cost": 7168, "time_cost": 5, "parallelism": 1}),
    ("m=65536,t=3,p=4", {"memory_cost": 65536, "time_cost": 3, "parallelism": 4}),
])
def test_owasps_configurations_are_accepted(value, expected):
    assert password_hash_parameters(value) == expected


@pytest.mark.parametrize("value", [
    "", "19456,2,1", "m=19456,t=2", "m=19456,t=2,p=1,x=1", "m=19456,m=19456,t=2",
    "m=19456,t=2,p=0", "m=19456,t=0,p=1", "m=19456,t=2,p=65", "m=-19456,t=2,p=1",
    "m=19456,t=two,p=1",
])
def test_a_malformed_cost_is_refused_naming_the_variable(value):
    with pytest.raises(ConfigurationError, match="PASSWORD_HASH_PARAMETERS must give"):
        password_hash_parameters(value)


@pytest.mark.parametrize("value", [
    "m=4096,t=10,p=1",   # plenty of passes, too little memory
    "m=19456,t=1,p=1",   # memory times passes under OWASP's table
    "m=8192,t=3,p=1",
])
def test_a_cost_under_owasps_minimum_is_refused(value):
    with pytest.raises(ConfigurationError, match="cheaper than OWASP"):
        password_hash_parameters(value)


def test_a_wrong_cost_stops_start_up():
    class Cheap(TestConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        PASSWORD_HASH_PARAMETERS = "m=1024,t=1,p=1"

    with pytest.raises(ConfigurationError, match="PASSWORD_HASH_PARAMETERS"):
        create_app(Cheap)
