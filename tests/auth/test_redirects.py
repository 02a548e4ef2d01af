"""After sign-in and after the language switch only same-site relative paths are
followed: anything a browser could read as another site goes to the home page."""
import pytest

from app.web.account.auth import safe_next
from tests.helpers import SUPPORT, csrf_token

OFF_SITE = [
    "/\t/evil.example/path",
    "/\n/evil.example",
    "/\r\n//evil.example",
    "/ /evil.example",
    " //evil.example",
    "/\u3000/evil.example",
    "/\x00/evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/%09/evil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "https://evil.example/",
    "http:evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "data:text/html,hi",
    "evil.example",
    "",
]
ON_SITE = ["/me/", "/tasks/?page=2", "/plan/2024#objectives", "/admin/users?q=rossi"]


def _sign_in(client, next_value: str):
    token = csrf_token(client)
    return client.post("/login", query_string={"next": next_value},
                       data={"email": SUPPORT, "password": "demo", "csrf_token": token})


def test_the_reported_tab_payload_goes_home(client, demo):
    token = csrf_token(client)
    response = client.post("/login?next=/%09/evil.example/path",
                           data={"email": SUPPORT, "password": "demo", "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("payload", OFF_SITE)
def test_safe_next_refuses_every_off_site_payload(app, payload):
    with app.test_request_context("/"):
        assert safe_next(payload) == "/"


@pytest.mark.parametrize("payload", ON_SITE)
def test_safe_next_keeps_same_site_paths(app, payload):
    with app.test_request_context("/"):
        assert safe_next(payload) == payload


def test_sign_in_follows_only_same_site_next(app, demo):
    """Through the sign-in page itself (each sign-in costs a password hash, so a sample)."""
    for payload in ["/\\evil.example", "//evil.example", "https://evil.example/", "/%2F%2Fx"]:
        response = _sign_in(app.test_client(), payload)
        assert (response.status_code, response.headers["Location"]) == (302, "/"), payload
    assert _sign_in(app.test_client(), "/me/").headers["Location"] == "/me/"


@pytest.mark.parametrize("payload", OFF_SITE)
def test_language_switch_does_not_follow_an_off_site_next(client, payload):
    token = csrf_token(client)
    response = client.post("/language/en", data={"csrf_token": token, "next": payload})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("payload", ON_SITE)
def test_language_switch_follows_a_same_site_next(client, payload):
    token = csrf_token(client)
    response = client.post("/language/en", data={"csrf_token": token, "next": payload})
    assert response.headers["Location"] == payload


@pytest.mark.parametrize("referrer", [
    "https://evil.example/path", "http://evil.example//localhost/x",
    "http://localhost.evil.example/me/", "http://localhost/%09/evil.example",
])
def test_language_switch_does_not_follow_an_off_site_referrer(client, referrer):
    token = csrf_token(client)
    response = client.post("/language/en", data={"csrf_token": token},
                           headers={"Referer": referrer})
    assert response.headers["Location"] == "/"


def test_language_switch_returns_to_the_same_site_referrer(client):
    token = csrf_token(client)
    response = client.post("/language/en", data={"csrf_token": token},
                           headers={"Referer": "http://localhost/plan/?year=2024"})
    assert response.headers["Location"] == "/plan/?year=2024"
