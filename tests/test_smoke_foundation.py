from tests.helpers import SUPPORT, login


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_login_and_home(client, demo):
    response = login(client, SUPPORT)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Antonio Deangelis" in page
