"""Who may reach the administration screens, and who may not."""
import pytest

from app.services.org.permissions import can_see_user, units_in_scope
from tests.helpers import ADMIN, BOARD, MANAGER, OIV, SG, SUPPORT, csrf_token, user_by_email

EMPLOYEE = "alessandro.russo@cciaa-demo.example"
ADMIN_PAGES = ["/admin/users", "/admin/users/new", "/admin/org", "/admin/units/new",
               "/admin/evaluators", "/admin/import"]


@pytest.mark.parametrize("email", [ADMIN, SUPPORT])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_org_admins_reach_admin_pages(client, demo, signed_in, email, path):
    signed_in(email)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("email", [SG, MANAGER, OIV, BOARD, EMPLOYEE])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_other_roles_get_403(client, demo, signed_in, email, path):
    signed_in(email)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_is_sent_to_login(client, demo, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_employee_cannot_post_roles(client, demo, signed_in):
    signed_in(EMPLOYEE)
    me = user_by_email(EMPLOYEE)
    token = csrf_token(client, "/")
    response = client.post(f"/admin/users/{me.id}/roles",
                           data={"csrf_token": token, "roles-roles": ["Admin"]})
    assert response.status_code == 403
    assert "Admin" not in user_by_email(EMPLOYEE).roles


def test_support_unit_cannot_grant_admin(client, demo, signed_in):
    signed_in(SUPPORT)
    target = user_by_email(EMPLOYEE)
    token = csrf_token(client, f"/admin/users/{target.id}")
    response = client.post(f"/admin/users/{target.id}/roles",
                           data={"csrf_token": token, "roles-roles": ["Employee", "Admin"]},
                           follow_redirects=True)
    assert "amministratore" in response.get_data(as_text=True)
    assert "Admin" not in user_by_email(EMPLOYEE).roles


def test_admin_grants_roles(client, demo, signed_in):
    signed_in(ADMIN)
    target = user_by_email(EMPLOYEE)
    token = csrf_token(client, f"/admin/users/{target.id}")
    client.post(f"/admin/users/{target.id}/roles",
                data={"csrf_token": token, "roles-roles": ["Employee", "Supervisor"]})
    assert user_by_email(EMPLOYEE).roles == {"Employee", "Supervisor"}


def test_scope_manager_sees_own_area_only(demo):
    manager = user_by_email(MANAGER)  # head of A1
    scope = units_in_scope(manager)
    own = [u for u in user_by_email(EMPLOYEE).unit.ancestors()]
    assert scope and all(isinstance(uid, int) for uid in scope)
    in_a1 = user_by_email("giulia.rossi@cciaa-demo.example")  # supervisor in A1.1
    in_a2 = user_by_email("elena.bruno@cciaa-demo.example")
    assert can_see_user(manager, in_a1)
    assert not can_see_user(manager, in_a2)
    assert own  # the employee sits below an area


def test_scope_employee_sees_only_self(demo):
    employee = user_by_email(EMPLOYEE)
    colleague = user_by_email("giulia.rossi@cciaa-demo.example")
    assert units_in_scope(employee) == set()
    assert can_see_user(employee, employee)
    assert not can_see_user(employee, colleague)


@pytest.mark.parametrize("email", [ADMIN, SUPPORT, SG, OIV])
def test_org_wide_roles_see_everyone(demo, email):
    assert units_in_scope(user_by_email(email)) is None
