"""Every link a demo user can see leads somewhere: a crawl as each demo account, and GET never writes.

Logged in as every account `load_demo` creates, the crawl starts at the home page and follows every
same-site link (GET) of every HTML page it reaches. Any answer of 400 or above fails the test with the
page that linked there. The whole database (every table but the session store and the report
renders' cache and queue, see NOT_RECORDS) is compared before and after the crawl: a GET that
writes a row fails too.

The demo has 118 committees and 2,258 indicators, so a staff account sees some 10,000 distinct URLs;
the crawl samples them by kind instead: of each kind of page (its URL name and the names of its query
parameters: a committee's dashboard, its dashboard sorted by a column, an indicator's page…) it
visits the first PER_KIND reached, breadth first from the home page, so the user's own committee,
its breadcrumb, its children and their pages always come first. The Django admin (index and every
list page in full, a few objects and filters per list) and the PDF report (rendering is what the
report tests check) are sampled more thinly, as SAMPLED says."""

import hashlib
from collections import Counter, deque
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from reviews.management.commands.load_demo import DEMO_ACCOUNTS

PASSWORD = "Crawl-demo-2023"
PER_KIND = 8
# Kinds visited more thinly: pages per account and per query shape.
SAMPLED = {"admin": 3, "report_pdf": 2}
# Links that leave the pages: files served by the static server, the language switch is a POST.
SKIP_PREFIXES = ("/static/", "/media/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def _same_site(base: str, href: str) -> str | None:
    href = urldefrag(href)[0]
    if not href or href.startswith(("mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        if parts.netloc not in ("testserver", ""):
            return None
        href = parts.path + (f"?{parts.query}" if parts.query else "")
    elif not href.startswith("/"):
        base_path = urlsplit(base).path
        href = base_path.rsplit("/", 1)[0] + "/" + href if not href.startswith("?") else base_path + href
    if href.startswith(SKIP_PREFIXES):
        return None
    return href


def _shape(url: str) -> tuple[str, tuple[str, ...]] | None:
    """The kind of page a URL is, or None for one always visited."""
    parts = urlsplit(url)
    if parts.path.startswith("/admin/"):
        # The admin index and every model's list page in full; objects and filters sampled.
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) <= 3 and not parts.query:
            return None
        return ("admin", tuple(segments[1:3]))
    try:
        name = resolve(parts.path).url_name
    except Resolver404:
        return None  # visited, and its 404 reported
    if name is None or name == "home":
        return None
    return (name, tuple(sorted(k for k, _v in parse_qsl(parts.query))))


def crawl(client: Client) -> tuple[int, list[str]]:
    seen: set[str] = set()
    sampled: Counter = Counter()
    queue = deque([("/", "(start)")])
    failures = []
    while queue:
        url, source = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        shape = _shape(url)
        if shape is not None:
            sampled[shape] += 1
            if sampled[shape] > SAMPLED.get(shape[0], PER_KIND):
                continue
        response = client.get(url)
        if response.status_code >= 400:
            failures.append(f"{response.status_code} {url} (linked from {source})")
            continue
        if response.status_code in (301, 302):
            queue.append((response["Location"], url))
            continue
        if response.get("Content-Type", "").startswith("text/html"):
            for href in links_of(response.content.decode()):
                target = _same_site(url, href)
                if target and target not in seen:
                    queue.append((target, url))
    return len(seen), failures


# Tables a GET may write, being no record of anything: the session store; the rendered report files,
# a cache of a pure function of the other tables (any row can be deleted and is rendered again);
# and the task queue, through which a GET asks the worker for such a file.
NOT_RECORDS = {"django_session", "reviews_renderedreport", "django_tasks_database_dbtaskresult"}


def database_fingerprint() -> dict[str, str]:
    """A hash of every row of every table but those of NOT_RECORDS, per table."""
    prints = {}
    for model in apps.get_models():
        if model._meta.db_table in NOT_RECORDS:
            continue
        rows = model._base_manager.order_by("pk").values_list()
        prints[model._meta.db_table] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return prints


@pytest.mark.slow
@pytest.mark.django_db
def test_every_link_seen_by_every_demo_account_works_and_no_get_writes(settings):
    # No worker runs during the crawl: a report queued by one account is still queued when another
    # asks, however long the crawl takes, and shows the waiting page (202), not "waited too long".
    settings.REPORT_RENDER_PATIENCE = 24 * 3600
    # ...nor "no worker running" (a render nobody takes fails after WORKER_DEAD_AFTER, with a retry:
    # tests/reviews/test_report_dead_worker.py).
    settings.WORKER_DEAD_AFTER = 24 * 3600
    # ...and every account asks for every report it sees, none ever finishing: past the bound per
    # user the page would be "wait for your reports" (429, tests/reviews/test_report_queue_bound.py).
    settings.REPORT_RENDERS_PER_USER = 10_000
    call_command("load_demo", password=PASSWORD, stdout=StringIO())
    users = {u.username: u for u in get_user_model().objects.all()}
    clients = {}
    for username, *_rest in DEMO_ACCOUNTS:
        client = Client()
        client.force_login(users[username])
        clients[username] = client
    before = database_fingerprint()

    report = {}
    failures = []
    for username, client in clients.items():
        pages, failed = crawl(client)
        report[username] = pages
        failures += [f"{username}: {f}" for f in failed]

    assert not failures, "\n".join(failures)
    # Every account reached more than its own dashboard: the crawl really walked.
    assert all(pages > 5 for pages in report.values()), report
    after = database_fingerprint()
    changed = sorted(table for table in before if before[table] != after[table])
    assert not changed, f"a GET wrote to {changed}"
