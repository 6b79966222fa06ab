"""Production settings: the deploy check passes, a missing SECRET_KEY stops start-up clearly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from config.settings import BASE_DIR

# What the test run (pytest, Playwright's conftest) sets and a production server never has.
TEST_ONLY_VARIABLES = {"PYTEST_VERSION", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "soket.example.org",
    # What config/checks.py requires of production: the public address and a real mail server.
    "SITE_URL": "https://soket.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "EMAIL_PORT": "587",
    "EMAIL_USE_TLS": "1",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    clean.pop("SECRET_KEY", None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=clean, capture_output=True, text=True
    )


def test_deploy_check_reports_nothing_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_complains_when_https_is_switched_off():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, "HTTPS": "0"})
    assert result.returncode != 0
    assert "security.W008" in result.stderr  # SSL redirect
    assert "security.W012" in result.stderr  # session cookie not secure


def test_start_up_fails_clearly_without_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_hsts_max_age_is_configurable():
    code = "from django.conf import settings; print(settings.SECURE_HSTS_SECONDS)"
    result = manage("shell", "-c", code, env={**PRODUCTION_ENV, "SECURE_HSTS_SECONDS": "600"})
    assert result.stdout.split()[-1] == "600", result.stderr
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.stdout.split()[-1] == "86400", result.stderr


def test_test_run_is_served_over_plain_http():
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SESSION_ENGINE == "config.sessions"


def test_security_headers_on_a_page(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_language_cookie_is_secure_and_same_site_with_https():
    code = (
        "from django.conf import settings as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_HTTPONLY)"
    )
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.stdout.split()[-3:] == ["True", "Lax", "True"], result.stderr
    result = manage("shell", "-c", code, env={**PRODUCTION_ENV, "HTTPS": "0"})
    assert result.stdout.split()[-3:] == ["False", "Lax", "True"], result.stderr


def test_language_choice_sets_a_secure_same_site_cookie(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True  # what HTTPS=1 gives (above); tests run over plain http
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
    assert response.status_code == 302
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True


def test_gunicorn_without_secret_key_stops_with_one_line_and_no_traceback():
    """Running the production server directly (no manage.py) says what is wrong in one line, and its
    master stops ("App failed to load") instead of booting workers again and again."""
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES and k != "SECRET_KEY"}
    env.update({k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"})
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(
        [str(gunicorn), "--bind", "127.0.0.1:0", "--workers", "1", "config.wsgi"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 4, result.stderr
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("SECRET_KEY is not set") == 1


def test_manage_py_without_secret_key_prints_no_traceback():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable (or DEBUG=1 for a development key)."
    ]
