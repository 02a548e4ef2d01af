"""Production refuses to start without a strong SECRET_KEY, DATABASE_URL and PUBLIC_URL,
naming the variable; with them set it serves HSTS and secure cookies (and development
does not send HSTS)."""
from __future__ import annotations

import gc
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import config
from app import create_app

ROOT = Path(__file__).resolve().parents[2]
STRONG = "k" * 20 + "-9f3a8c1e2b7d4f60a5"  # 38 characters


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    """A complete production environment; tests remove what they check. The config
    module reads the environment when imported, so it is re-read, and restored after."""
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", STRONG)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.setenv("PUBLIC_URL", "https://performance.example.it")
    monkeypatch.setenv("AUDIT_KEY", "a-secret-from-the-vault-" + "x" * 16)
    yield monkeypatch
    monkeypatch.undo()
    importlib.reload(config)


def _production_app():
    importlib.reload(config)
    return create_app(config.config_from_env())


def _refused(variable: str) -> None:
    """Starting fails with the configuration error naming the variable. (The reload
    makes a new ConfigurationError class, hence the check by name.)"""
    with pytest.raises(RuntimeError, match=variable) as refusal:
        _production_app()
    assert refusal.type.__name__ == "ConfigurationError"


@pytest.mark.parametrize("variable", ["SECRET_KEY", "DATABASE_URL", "PUBLIC_URL", "AUDIT_KEY"])
def test_production_refuses_to_start_without_each_variable(production_env, variable):
    production_env.delenv(variable)
    _refused(variable)


@pytest.mark.parametrize("secret", [config.DEVELOPMENT_SECRET_KEY, "short-secret", "x" * 31])
def test_production_refuses_a_weak_or_development_secret(production_env, secret):
    production_env.setenv("SECRET_KEY", secret)
    _refused("SECRET_KEY")


@pytest.mark.parametrize("url", ["performance.example.it", "/relative", "ftp://x.example"])
def test_production_refuses_a_public_url_that_is_not_absolute(production_env, url):
    production_env.setenv("PUBLIC_URL", url)
    _refused("PUBLIC_URL")


def test_production_with_every_setting_sends_hsts_and_secure_cookies(production_env):
    app = _production_app()
    response = app.test_client().get("/login")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def _flask_routes(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "routes"],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_flask_cli_refuses_production_without_a_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "FLASK_APP"}}
    env.update(APP_ENV="production", DATABASE_URL=f"sqlite:///{tmp_path / 'p.db'}",
               PUBLIC_URL="https://performance.example.it")
    result = _flask_routes(env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "/login" not in result.stdout


def test_flask_cli_starts_in_production_with_every_setting(tmp_path):
    env = dict(os.environ, APP_ENV="production", SECRET_KEY=STRONG,
               DATABASE_URL=f"sqlite:///{tmp_path / 'p.db'}",
               PUBLIC_URL="https://performance.example.it",
               AUDIT_KEY="a-secret-from-the-vault-" + "x" * 16)
    result = _flask_routes(env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "/login" in result.stdout


def test_the_garbage_collector_runs_with_the_configured_thresholds(production_env):
    before = gc.get_threshold()
    try:
        production_env.setenv("GC_THRESHOLD", "20000, 30, 40")
        _production_app()
        assert gc.get_threshold() == (20000, 30, 40)
        production_env.delenv("GC_THRESHOLD")
        _production_app()
        assert gc.get_threshold() == (10000, 50, 100)
    finally:
        gc.set_threshold(*before)


@pytest.mark.parametrize("value", ["", "10000", "a,b,c", "10000,50,100,1", "0,10,10", "700,-1,10"])
def test_a_wrong_collector_threshold_stops_start_up(production_env, value):
    production_env.setenv("GC_THRESHOLD", value)
    _refused("GC_THRESHOLD")


@pytest.mark.parametrize("value", ["", "soon", "-1", "inf", "nan"])
def test_a_wrong_idle_ping_limit_stops_start_up(production_env, value):
    production_env.setenv("DATABASE_PING_IDLE_SECONDS", value)
    _refused("DATABASE_PING_IDLE_SECONDS")


@pytest.mark.parametrize("value", ["", "m=19456,t=2", "m=1024,t=1,p=1", "m=19456,t=1,p=1"])
def test_a_wrong_or_too_cheap_password_hash_cost_stops_start_up(production_env, value):
    production_env.setenv("PASSWORD_HASH_PARAMETERS", value)
    _refused("PASSWORD_HASH_PARAMETERS")


def test_production_hashes_passwords_at_the_configured_cost(production_env):
    from app.services.org.passwords import hash_password

    production_env.setenv("PASSWORD_HASH_PARAMETERS", "m=65536,t=3,p=4")
    with _production_app().app_context():
        assert "$m=65536,t=3,p=4$" in hash_password("x")
