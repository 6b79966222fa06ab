"""A newcomer's first five minutes: `make run`, then the README's commands exactly as written."""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

from reviews.management.commands.load_demo import DEMO_ACCOUNTS

ROOT = Path(settings.BASE_DIR)
README = (ROOT / "README.md").read_text(encoding="utf-8")
TEST_TOOLS = ("pytest", "playwright", "locust", "gevent", "hypothesis", "ruff", "axe-playwright-python")


def _manage(tmp_path: Path, *args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    """Run a copy of manage.py from `tmp_path` (so its var/ is tmp_path/var) against this code."""
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "PYTEST_VERSION"}}
    env.pop("DATABASE_URL", None)
    env["PYTHONPATH"] = str(ROOT)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, str(tmp_path / "manage.py"), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_production_without_secret_key_says_one_line_not_a_traceback(tmp_path):
    result = _manage(tmp_path, "check")
    assert result.returncode == 4  # config.settings.SETTINGS_ERROR_EXIT: gunicorn's "App failed to load"
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_the_readme_first_example_works_as_written_after_make_run(tmp_path):
    """`make run` leaves var/DEVELOPMENT; then `manage.py tally BK --term 2020-2025` needs no variable."""
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "DEVELOPMENT").write_text("make run\n")
    db = {"DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'db.sqlite3'}"}
    for args in (("migrate", "--noinput"), ("load_demo", "--no-accounts")):
        done = _manage(tmp_path, *args, env_extra=db)
        assert done.returncode == 0, done.stderr
    example = re.search(r"\$ \.venv/bin/python manage\.py (tally [^\n]+)\n([^\n]+)\n", README)
    assert example, "the README's first example moved"
    result = _manage(tmp_path, *example.group(1).split(), env_extra=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == example.group(2).strip()


def test_make_run_marks_the_checkout_as_a_developers():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "DEV_MARKER := var/DEVELOPMENT" in makefile
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "$(DEV_MARKER)" in run


def test_readme_lists_every_demo_account_make_run_prints():
    for username, *_rest in DEMO_ACCOUNTS:
        assert f"| `{username}` |" in README, username


def test_readme_says_how_to_pick_another_port():
    assert "make run PORT=" in README.replace("\n", " ")


def test_readme_links_only_to_files_inside_the_repository():
    assert "../" not in README
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        assert not target.startswith(("http://", "https://")) or "example" in target
        assert (ROOT / target).exists(), target
    # Files named in backticks exist (tables of paths, "see reviews/report/time_limit.py").
    for name in re.findall(r"`([\w./-]+/[\w.-]+\.(?:py|md|json|html|css|po|sh|toml))`", README):
        assert (ROOT / name).exists(), name


def test_make_run_installs_only_what_running_needs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = " ".join(project["dependencies"]).lower()
    for tool in TEST_TOOLS:
        assert tool not in runtime, tool
    test_extra = " ".join(project["optional-dependencies"]["test"]).lower()
    for tool in ("pytest", "playwright", "locust"):
        assert tool in test_extra, tool


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_pip_installs_no_extras_and_make_test_adds_them():
    def planned(target: str) -> str:
        return subprocess.run(
            ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, timeout=60
        ).stdout

    run_installs = [line for line in planned("run").splitlines() if "pip install" in line]
    assert run_installs and all("[" not in line and "test" not in line for line in run_installs), run_installs
    # The test tools come from the test lock (pyproject's [test] extra, pinned: `make lock`).
    assert "-r requirements-test.lock" in planned("test")
