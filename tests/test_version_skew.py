"""Version skew: an app server and a worker of different releases on one database (a rolling upgrade,
a hotfix on one machine). The report the app asks for ends in a file the app serves, both ways round.

Two trees: this checkout, and a copy of it with one renderer source file changed, so that its code
digest (reviews.code_digest), and so every report key it computes, differs. Each side runs as its own
process on one SQLite file: the app's side asks for the report (reviews.report.services.report_request)
as a page does, a `db_worker --batch` of the other tree renders it, the app's side asks again."""

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.config.test_settings import TEST_ONLY_VARIABLES

ROOT = Path(settings.BASE_DIR)

DATA = """
from indicators.services.committees import committee_create
from indicators.services.indicators import indicator_create
from indicators.services.resolutions import resolution_create
from indicators.services.terms import term_get_or_create
from indicators.models import Level
term = term_get_or_create(code="2020-2025")[0]
province = committee_create(term=term, code="P", name="Đảng bộ P", level=Level.PROVINCE, parent=None)
resolution = resolution_create(committee=province, number="01-NQ/ĐH", kind="congress")
for i, status in enumerate(["achieved", "achieved", "not_assessed"]):
    indicator_create(resolution=resolution, number=str(i + 1), text=f"Chỉ tiêu {i + 1}", field="economy",
                     status=status, note="")
"""

ASK = """
import json
from django.utils import translation
from indicators.models import Committee
from reviews.code_digest import code_digest
from reviews.report.services import report_request
translation.activate("vi")
row = report_request(committee=Committee.objects.get(code="P"), fmt="docx")
print(json.dumps({"state": row.state, "key": row.key, "pk": row.pk, "renderer": row.renderer,
                  "size": len(bytes(row.content)), "digest": code_digest(), "error": row.error}))
"""


def manage(tree: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=tree, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return done


def ask(tree: Path, env: dict) -> dict:
    return json.loads(manage(tree, env, "shell", "--no-imports", "-c", ASK).stdout.strip().splitlines()[-1])


def render_everything_queued(tree: Path, env: dict) -> None:
    manage(tree, env, "db_worker", "--batch", "--no-startup-delay", "--queue-name", "reports,default")


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory):
    base = tmp_path_factory.mktemp("skew")
    other = base / "other"
    shutil.copytree(
        ROOT,
        other,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "node_modules", "var", "__pycache__", ".mypy_cache", ".ruff_cache", "staticfiles"
        ),
    )
    # Another release: one renderer file differs (as a hotfix would make it).
    docx = other / "reviews" / "report" / "docx.py"
    docx.write_text(docx.read_text() + "\n# A hotfix release: the renderer's code differs.\n")
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=f"sqlite:///{base / 'db.sqlite3'}",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    manage(ROOT, env, "migrate", "--noinput")
    manage(ROOT, env, "shell", "--no-imports", "-c", DATA)
    return other, env


@pytest.mark.slow
@pytest.mark.parametrize("direction", ["this app, the other's worker", "the other's app, this worker"])
def test_a_report_asked_by_one_release_and_rendered_by_another_is_served(two_releases, direction):
    other, env = two_releases
    app, worker = (ROOT, other) if direction.startswith("this app") else (other, ROOT)

    asked = ask(app, env)
    assert asked["state"] == "pending" and asked["renderer"] == asked["digest"]
    render_everything_queued(worker, env)
    served = ask(app, env)

    assert served["digest"] != ask(worker, env)["digest"]  # two releases indeed
    # The file the app asked for, under the key it asked for: no second render, no endless wait.
    assert (served["state"], served["key"], served["pk"]) == ("ready", asked["key"], asked["pk"])
    assert served["size"] > 1000  # a Word file
