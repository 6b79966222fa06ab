"""The key pages are valid HTML: the Nu HTML Checker (vnu.jar, npm `vnu-jar`) reports no error.

Fetched logged in through the test client, in both languages, and checked in one Java run.
Without Java or node_modules the test skips loudly; under CI (CI=true) that is a failure."""

import html
import json
import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.tooling import skip_or_fail_under_ci

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PASSWORD = "html-Secret-2023"
PAGES = {
    "bithu.nongha": {
        "dashboard": "/committees/BK-CM-NH/",
        "assess": "/committees/BK-CM-NH/assess/",
        "review_edit": "/committees/BK-CM-NH/review/",
        "workbook_import": "/import/",
        "indicator_detail": None,  # filled in below: needs an indicator id
    },
    "vanphong.tinhuy": {"province": "/committees/BK/", "trouble": "/committees/BK/trouble/"},
}


def _checker_missing() -> str | None:
    if not shutil.which("java"):
        return "java not found (apt-get install default-jre-headless)"
    if not VNU.exists():
        return f"{VNU} missing (run `npm install`)"
    return None


@pytest.fixture
def vnu():
    reason = _checker_missing()
    if reason:
        skip_or_fail_under_ci("THE HTML CHECK", reason)
    return VNU


def test_key_pages_are_valid_html_in_both_languages(vnu, db, client, tmp_path):
    from indicators.models import Indicator

    call_command("load_demo", "--password", PASSWORD, stdout=StringIO())
    first = Indicator.objects.filter(resolution__committee__code="BK-CM-NH").first()
    PAGES["bithu.nongha"]["indicator_detail"] = f"/committees/BK-CM-NH/indicators/{first.pk}/"
    files = []
    for lang in ("vi", "en"):
        client.logout()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        pages = {"login": "/accounts/login/"}
        bad_login = client.post("/accounts/login/", {"username": "bithu.nongha", "password": "wrong"})
        files.append(_save(tmp_path, f"login-error-{lang}", bad_login))
        for username, urls in PAGES.items():
            client.logout()
            files.append(_save(tmp_path, f"login-{lang}", client.get(pages["login"])))
            client.login(username=username, password=PASSWORD)
            for name, url in urls.items():
                files.append(_save(tmp_path, f"{name}-{lang}", client.get(url)))
        # A form with errors and the 404 page are pages people see too.
        client.logout()
        client.login(username="bithu.nongha", password=PASSWORD)
        # The report's waiting page (no worker runs: the render stays queued), and as it asks
        # again with its render's key in the address (its meta refresh and its links).
        waiting = client.get("/committees/BK-CM-NH/report.pdf")
        files.append(_save(tmp_path, f"report-wait-{lang}", waiting, status=202))
        again = html.unescape(re.search(r'data-again="([^"]+)"', waiting.content.decode())[1])
        assert "render=" in again
        files.append(_save(tmp_path, f"report-wait-again-{lang}", client.get(again), status=202))
        files.append(_save(tmp_path, f"not-found-{lang}", client.get("/committees/BK-CD/"), status=404))
    result = subprocess.run(
        ["java", "-jar", str(vnu), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')} «{m.get('extract', '')[:80]}»"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0, result.stderr[:2000]


def _save(tmp_path: Path, name: str, response, status: int = 200) -> Path:
    assert response.status_code == status, (name, response.status_code)
    path = tmp_path / f"{name}.html"
    path.write_bytes(response.content)
    return path
