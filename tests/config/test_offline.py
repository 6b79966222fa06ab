"""The phone's offline entry (issue 31): the manifest, the service worker and the offline page are
public, the same for every user, served with the headers a browser needs and within the CSP; the
pages a phone may keep carry their user's opaque key, and only signed-in pages load the worker."""

import json
import re
import struct
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from config.offline import USER_HEADER, offline_key
from tests.config.test_csp import directives

STATIC = Path(settings.BASE_DIR) / "static"


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def worker_config(client) -> dict:
    body = client.get("/sw.js").content.decode()
    found = re.match(r"var CONFIG = (\{.*\});\n", body)
    assert found, body[:200]
    return json.loads(found.group(1))


@pytest.mark.django_db
def test_manifest_names_the_app_in_vietnamese_and_opens_standalone_at_home(client):
    response = client.get(reverse("manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "Sơ kết" and data["lang"] == "vi"
    assert (data["start_url"], data["scope"], data["display"]) == ("/", "/", "standalone")
    sizes = {icon["sizes"]: icon for icon in data["icons"]}
    assert {"192x192", "512x512", "any"} <= set(sizes)
    for size in ("192", "512"):
        src = sizes[f"{size}x{size}"]["src"]
        assert src.startswith("/static/icons/")
        assert png_size(STATIC / src.removeprefix("/static/")) == (int(size), int(size))
    assert (STATIC / sizes["any"]["src"].removeprefix("/static/")).read_text().startswith("<svg")
    # Nothing of a user: anyone may cache it, and it never reads the session.
    assert "private" not in response.get("Cache-Control", "")
    assert "Set-Cookie" not in response


@pytest.mark.django_db
def test_service_worker_is_javascript_allowed_at_the_root_and_always_revalidated(client):
    response = client.get(reverse("service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert reverse("service_worker") == "/sw.js"  # at the root: its scope is the whole site
    body = response.content.decode()
    config = worker_config(client)
    # Every file it keeps at install exists, the offline page in each language among them.
    for url in config["precache"]:
        assert finders.find(url.removeprefix(settings.STATIC_URL)), url
    assert set(config["offline"]) == {"vi", "en"}
    for url in config["offline"].values():
        assert client.get(url).status_code == 200
    assert config["userHeader"] == USER_HEADER and config["logout"] == reverse("logout")
    assert 'addEventListener("fetch"' in body and "Set-Cookie" not in response


@pytest.mark.django_db
def test_worker_version_changes_with_what_it_keeps(client, monkeypatch):
    first = worker_config(client)
    monkeypatch.setattr("config.offline.PRECACHED_STATIC", ["css/site.css"])
    assert first["version"] != worker_config(client)["version"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/manifest.webmanifest", "/sw.js", "/offline/"])
def test_offline_entry_is_served_within_the_site_policy(client, url):
    policy = directives(client.get(url))
    assert policy["script-src"] == "script-src 'self'"
    assert policy["worker-src"] == "worker-src 'self'"
    assert policy["manifest-src"] == "manifest-src 'self'"
    assert "unsafe-inline" not in str(policy) and "unsafe-eval" not in str(policy)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "title", "said"),
    [
        ("vi", "Cần kết nối mạng", "chưa được mở trên máy này khi có mạng"),
        ("en", "Needs a connection", "not been opened on this device while online"),
    ],
)
def test_offline_page_says_a_connection_is_needed_in_each_language(client, lang, title, said):
    html = client.get(reverse("offline_page") + f"?lang={lang}").content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{title}</h1>" in html and said in html


def test_offline_page_shows_nothing_of_the_user_it_was_fetched_by(client, tree, make_user):
    user = make_user("bithu.nongha", tree["P-D1-C1"], "secretary", first_name="Trường")
    client.force_login(user)
    response = client.get(reverse("offline_page") + "?lang=vi")
    html = response.content.decode()
    assert "bithu.nongha" not in html and "Trường" not in html
    assert "csrfmiddlewaretoken" not in html and "<form" not in html
    assert "private" not in response.get("Cache-Control", "")  # it never read the session


@pytest.mark.parametrize("name", ["dashboard", "assess"])
def test_pages_a_phone_keeps_name_their_user_by_an_opaque_key(client, tree, make_user, name):
    commune = tree["P-D1-C1"]
    user = make_user("bithu", commune, "secretary")
    other = make_user("bithu2", commune, "secretary")
    client.force_login(user)
    url = reverse(name, args=[commune.code]) + "?term=2020-2025"
    key = client.get(url)[USER_HEADER]
    assert key == offline_key(user) != offline_key(other)
    assert re.fullmatch(r"[0-9a-f]{24}", key) and "bithu" not in key and str(user.pk) != key


def test_other_pages_and_refusals_carry_no_user_key(client, tree, make_user):
    client.force_login(make_user("bithu", tree["P-D1-C1"], "secretary"))
    assert USER_HEADER not in client.get("/committees/P-D1-C2/?term=2020-2025")  # 404
    assert USER_HEADER not in client.get("/committees/P-D1-C1/trouble/?term=2020-2025")
    assert USER_HEADER not in client.get("/")  # the redirect home: the worker finds the page itself


def test_only_signed_in_pages_link_the_manifest_and_load_the_script(client, tree, make_user):
    login_page = client.get(reverse("login")).content.decode()
    assert "manifest" not in login_page and "<script" not in login_page and "data-worker" not in login_page
    client.force_login(make_user("bithu", tree["P-D1-C1"], "secretary"))
    page = client.get("/committees/P-D1-C1/?term=2020-2025").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert page.count("<script") == 1
    assert '<script src="/static/js/site.js" defer data-worker="/sw.js"></script>' in page
    # The banner the script shows offline (it fills in when the page was fetched, in the site's zone).
    assert 'data-time-zone="Asia/Ho_Chi_Minh"' in page
    assert "Dữ liệu lúc __WHEN__ — đang ngoại tuyến" in page
