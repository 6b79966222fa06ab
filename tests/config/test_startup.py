"""Start-up refusals: unapplied migrations and uncollected static files stop the site with one line."""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time

import pytest

from config.settings import BASE_DIR
from tests.config.test_settings import TEST_ONLY_VARIABLES

GUNICORN = shutil.which("gunicorn", path=os.path.dirname(sys.executable))


def production_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="soket.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        **extra,
    )
    return env


def manage(env, *args, timeout=300):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def old_schema(tmp_path_factory):
    """A database one release behind: everything migrated but this release's newest migration."""
    tmp_path = tmp_path_factory.mktemp("old")
    env = production_env(tmp_path)
    assert manage(env, "migrate", "--noinput").returncode == 0
    assert manage(env, "migrate", "config", "zero", "--noinput").returncode == 0
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
    return tmp_path


def test_check_migrations_names_what_is_missing_in_one_line(old_schema):
    result = manage(production_env(old_schema), "check_migrations")
    assert result.returncode == 4
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "config.0001_ops" in result.stderr and "manage.py migrate" in result.stderr
    assert "Traceback" not in result.stderr


def test_loading_the_app_on_the_old_schema_stops_with_the_same_line(old_schema):
    code = "import config.wsgi"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=production_env(old_schema),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 4
    assert (
        "migration(s) of this release (config.0001_ops" in result.stderr and "Traceback" not in result.stderr
    )


@pytest.mark.skipif(GUNICORN is None, reason="gunicorn is a runtime dependency")
def test_gunicorn_on_the_old_schema_exits_instead_of_answering_logins_with_500(old_schema):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    result = subprocess.run(
        [GUNICORN, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=BASE_DIR,
        env=production_env(old_schema),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "run `manage.py migrate` before starting the site" in result.stderr
    assert time.monotonic() - started < 60  # the master stops: no boot loop


def test_migrated_schema_passes_and_a_missing_manifest_stops_instead(tmp_path):
    env = production_env(tmp_path)
    assert manage(env, "migrate", "--noinput").returncode == 0
    assert manage(env, "check_migrations").returncode == 0
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 4
    assert "No static files manifest" in result.stderr and "collectstatic" in result.stderr
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
    # Loaded, the worker is warmed up (config.warmup: the views imported, the templates compiled,
    # WeasyPrint left to the report worker), then its collector tuned for serving (config.collector).
    loaded = (
        "import gc, sys, config.wsgi; from django.template import engines; "
        "cache = engines['django'].engine.template_loaders[0].get_template_cache; "
        "print(gc.get_threshold()[0], gc.get_freeze_count() > 0, 'reviews.views.dashboard' in sys.modules, "
        "'reviews/assess.html' in cache, 'weasyprint' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", loaded], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["50000", "True", "True", "True", "False"]
