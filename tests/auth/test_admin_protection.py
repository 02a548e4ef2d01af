"""Only an Admin changes an Admin: the SupportUnit is refused (403) when it tries to
deactivate an Admin or change an Admin's e-mail, roles or password, on the pages and in
the services; an Admin may."""
import pytest
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from app.extensions import db
from app.models.org import User
from app.services.org import passwords, people
from tests.helpers import ADMIN, SUPPORT, csrf_token, user_by_email

EMPLOYEE = "alessandro.russo@cciaa-demo.example"
STRONG = "Vento-di-maestrale-42"


def _user_form(user, **changes) -> dict:
    data = {
        "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
        "category": user.category, "unit_id": str(user.unit_id or 0),
        "part_time_percent": "100", "active": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _post(client, user, action: str):
    """One change to the user through its page, as the signed-in client."""
    page = f"/admin/users/{user.id}"
    token = csrf_token(client, page)
    if action == "email":
        return client.post(page, data={**_user_form(user, email="nuovo@example.it"),
                                       "csrf_token": token})
    if action == "deactivate":
        return client.post(page, data={**_user_form(user, active=None), "csrf_token": token})
    if action == "roles":
        return client.post(f"{page}/roles", data={"csrf_token": token,
                                                  "roles-roles": ["Admin", "Employee", "OIV"]})
    return client.post(f"{page}/password", data={
        "csrf_token": token, "password-new": STRONG, "password-confirm": STRONG})


def _changed(email: str, action: str) -> bool:
    db.session.expire_all()
    if action == "email":
        return _exists("nuovo@example.it")
    user = user_by_email(email)
    if action == "deactivate":
        return not user.active
    if action == "roles":
        return "OIV" in user.roles
    return passwords.check_password(user, STRONG)


def _exists(email: str) -> bool:
    return db.session.execute(select(User.id).where(User.email == email)).first() is not None


ACTIONS = ["email", "deactivate", "roles", "password"]


@pytest.mark.parametrize("action", ACTIONS)
def test_support_unit_cannot_change_an_admin_on_the_page(client, demo, signed_in, action):
    signed_in(SUPPORT)
    response = _post(client, user_by_email(ADMIN), action)
    assert response.status_code == 403
    assert not _changed(ADMIN, action)


@pytest.mark.parametrize("action", ACTIONS)
def test_admin_changes_another_admin_on_the_page(client, demo, signed_in, action):
    people.set_roles(user_by_email(ADMIN), user_by_email(EMPLOYEE), {"Admin", "Employee"})
    db.session.commit()
    signed_in(ADMIN)
    response = _post(client, user_by_email(EMPLOYEE), action)
    assert response.status_code == 302
    assert _changed(EMPLOYEE, action)


@pytest.mark.parametrize("action", ACTIONS)
def test_support_unit_still_changes_other_people(client, demo, signed_in, action):
    signed_in(SUPPORT)
    if action == "roles":  # granting Admin stays reserved to Admins
        token = csrf_token(client, "/admin/users")
        target = user_by_email(EMPLOYEE)
        response = client.post(f"/admin/users/{target.id}/roles",
                               data={"csrf_token": token, "roles-roles": ["Employee", "OIV"]})
    else:
        response = _post(client, user_by_email(EMPLOYEE), action)
    assert response.status_code == 302
    assert _changed(EMPLOYEE, action)


def test_support_unit_is_refused_in_the_services(demo):
    support, admin = user_by_email(SUPPORT), user_by_email(ADMIN)
    data = people.UserData(email=admin.email, first_name=admin.first_name,
                           last_name=admin.last_name, category=admin.category,
                           unit_id=admin.unit_id, active=False)
    with pytest.raises(Forbidden):
        people.save_user(support, data, admin)
    with pytest.raises(Forbidden):
        people.set_roles(support, admin, {"Admin", "Employee"})
    with pytest.raises(Forbidden):
        passwords.set_password(support, admin, STRONG)
    db.session.rollback()
    assert user_by_email(ADMIN).active


def test_support_unit_sees_the_admin_read_only(client, demo, signed_in):
    signed_in(SUPPORT)
    page = client.get(f"/admin/users/{user_by_email(ADMIN).id}").get_data(as_text=True)
    assert 'data-testid="admin-only"' in page
    assert 'data-testid="set-password"' not in page
