"""`make bench` section `requests`: the process CPU one request of each kind of the deadline rush
costs (loadtest/deadline.py), through Django's test client, with no server, network or queueing.

`request_cpu_ms_<kind>` is the median of RUNS requests after WARMUP, in CPU milliseconds of this
process (time.process_time): what a web worker spends, which a busy machine barely changes, unlike
wall time. The form is measured as it opens again (its cards cached) and cold (none cached: the
first opening, and each card just saved). Pages are asked for gzip, as browsers and the load
test's client ask. The kinds: the commune secretary's dashboard, her assessment form and a
one-row save of it (each save a real change), the province's and a district's dashboards as their
staff read them, the campaign panel, the report's waiting page asking again (a worker's heartbeat
but no worker: the render stays queued) and the inbox.

On the bench's national tree (bench.run) the secretary is made for one commune of the measured
province. Standalone, `python -m bench.requests_cpu` measures on the demo instead (load_demo into
a scratch SQLite file), the tree the load test runs on."""

import html
import os
import re
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from urllib.parse import urlencode

RUNS = int(os.environ.get("BENCH_REQUEST_RUNS", "30"))
WARMUP = 3
KINDS = [
    "secretary_dashboard",
    "assess_form",
    "assess_form_cold",
    "assess_save",
    "province_dashboard",
    "district_dashboard",
    "campaign",
    "report_wait",
    "inbox",
]
DEMO_TERM = "2020-2025"  # the demo's campaign term, which the load test runs on
_unique = iter(range(1, 10**9))


def _cpu_ms(
    call: Callable[[], object], runs: int = RUNS, before: Callable[[], object] | None = None
) -> float:
    for _ in range(WARMUP):
        call()
    used = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.process_time()
        call()
        used.append((time.process_time() - started) * 1000)
    return round(statistics.median(used), 1)


def _ok(response, *codes: int):
    if response.status_code not in (codes or (200,)):
        raise RuntimeError(f"{response.request['PATH_INFO']} answered {response.status_code}")
    return response


def measure(*, term_code: str, secretary, commune_code: str, viewer, province_code: str, district_code: str):
    """{kind: CPU ms} for the secretary of `commune_code` and a viewer of `province_code`."""
    from django.core.cache import caches

    from loadtest.forms import FormFields

    sec = _Browser()
    sec.force_login(secretary)
    staff = _Browser()
    staff.force_login(viewer)
    q = f"?term={term_code}"
    form_url = f"/committees/{commune_code}/assess/{q}"

    def form_fields() -> dict[str, str]:
        # The page itself, not gzipped, to read the form as the load test's browser does.
        parser = FormFields()
        parser.feed(_ok(_plain(sec, form_url)).content.decode())
        return parser.fields

    def save() -> None:
        fields = dict(form_fields())
        rows = sorted(name.removesuffix("-status") for name in fields if name.endswith("-status"))
        if not rows:
            raise RuntimeError("the assessment form shows no row to save")
        fields[f"{rows[0]}-status"] = "achieved"
        fields[f"{rows[0]}-value"] = f"{next(_unique)},5"
        # The national tree's yearly values may suggest another status: a status they do not
        # support is refused without a note saying why (domain.md, the suggestion rule).
        fields[f"{rows[0]}-note"] = "Đã giải thích: số liệu năm cuối được điều chỉnh."
        saves.append(fields)

    saves: list[dict[str, str]] = []

    def post_one() -> None:
        save_fields = saves.pop()
        _ok(sec.post(form_url, save_fields), 302)

    out = {
        "secretary_dashboard": _cpu_ms(lambda: _ok(sec.get(f"/committees/{commune_code}/{q}"))),
        "assess_form": _cpu_ms(lambda: _ok(sec.get(form_url))),
        # … as it opens the first time, or after its cards changed: no card cached.
        "assess_form_cold": _cpu_ms(lambda: _ok(sec.get(form_url)), before=caches["fragments"].clear),
    }
    # Each save is posted from a fresh copy of the page (its versions), read outside the timing.
    used = []
    for n in range(WARMUP + RUNS):
        save()
        started = time.process_time()
        post_one()
        if n >= WARMUP:
            used.append((time.process_time() - started) * 1000)
    out["assess_save"] = round(statistics.median(used), 1)
    out["province_dashboard"] = _cpu_ms(lambda: _ok(staff.get(f"/committees/{province_code}/{q}")))
    out["district_dashboard"] = _cpu_ms(lambda: _ok(staff.get(f"/committees/{district_code}/{q}")))
    out["campaign"] = _cpu_ms(lambda: _ok(staff.get(f"/committees/{province_code}/campaign/{q}")))
    with _worker_alive(district_code, term_code):
        # A look of the waiting page as a browser sends it, at the address the first answer gave
        # (the pending render's key), which is what the rush repeats every few seconds.
        first = _ok(_plain(staff, f"/committees/{district_code}/report.pdf{q}"), 202)
        found = re.search(r'data-again="([^"]+)"', first.content.decode())
        if found is None:
            raise RuntimeError("the waiting page has no address to ask again")
        again = html.unescape(found[1])
        out["report_wait"] = _cpu_ms(lambda: _ok(staff.get(again), 202))
    out["inbox"] = _cpu_ms(lambda: _ok(sec.get("/notifications/")))
    return out


@contextmanager
def _worker_alive(code: str, term_code: str):
    """A worker's heartbeat that takes every queue (none runs: the render stays queued and the page
    keeps waiting, as it does while the load test's worker is busy), and no earlier render of the
    committee's report."""
    from django.utils import timezone

    from config.models import WorkerHeartbeat
    from reviews.report.models import RenderedReport

    RenderedReport.objects.filter(committee__code=code, committee__term__code=term_code).delete()
    now = timezone.now()
    beat = WorkerHeartbeat.objects.create(
        worker_id=f"bench-requests-{os.getpid()}",
        host="bench",
        pid=os.getpid(),
        started_at=now,
        seen_at=now,
        queues="*",
    )
    try:
        yield
    finally:
        beat.delete()


def _plain(client, url: str):
    """A GET without gzip (the client's defaults otherwise)."""
    return client.get(url, HTTP_ACCEPT_ENCODING="identity")


def _browser_class():
    from django.test import Client

    class Browser(Client):
        """Over HTTPS (production settings redirect plain HTTP) and asking for gzip, as browsers do."""

        def get(self, path, data=None, **extra):
            extra.setdefault("HTTP_ACCEPT_ENCODING", "gzip, deflate")
            return super().get(path, data, secure=True, **extra)

        def post(self, path, data=None, **extra):
            """Form-encoded, as a browser posts a form without files (the client's default is
            multipart, whose parsing alone was a third of a save's CPU)."""
            extra.setdefault("HTTP_ACCEPT_ENCODING", "gzip, deflate")
            body = urlencode(data or {}, doseq=True)
            return super().post(
                path, body, content_type="application/x-www-form-urlencoded", secure=True, **extra
            )

    return Browser


def _Browser():  # noqa: N802 - reads as the class it makes
    return _browser_class()()


def _lines(values: dict[str, float]) -> dict:
    out = {f"request_cpu_ms_{kind}": values[kind] for kind in KINDS}
    out["request_cpu_ms_mean_of_kinds"] = round(statistics.mean(values.values()), 1)
    return out


def run(ctx) -> dict:
    """On the bench's national tree: a secretary for the measured province's first commune."""
    from indicators.models import Committee, Level, RoleKind
    from indicators.services.people import role_grant

    commune = (
        Committee.objects.filter(term=ctx.term, level=Level.COMMUNE, path__startswith=ctx.province.path)
        .order_by("path")
        .first()
    )
    if commune is None or commune.parent is None:
        raise RuntimeError("the measured province has no commune")
    secretary = role_grant(
        username="bench.secretary", committee=commune, role=RoleKind.SECRETARY, password=None
    ).user
    return _lines(
        measure(
            term_code=ctx.term.code,
            secretary=secretary,
            commune_code=commune.code,
            viewer=ctx.province_viewer,
            province_code=ctx.province.code,
            district_code=commune.parent.code,
        )
    )


def _demo() -> dict:
    """On the demo: the first drafting commune's secretary, and a viewer of the province."""
    from django.core.management import call_command

    from indicators.models import Committee, Level, RoleKind, Term
    from indicators.services.people import role_grant
    from reviews.models import Review, ReviewState

    call_command("load_demo", no_accounts=True, verbosity=0)
    term = Term.objects.get(code=DEMO_TERM)
    sent = Review.objects.filter(state__in=[ReviewState.SUBMITTED, ReviewState.APPROVED])
    commune = (
        Committee.objects.filter(term=term, level=Level.COMMUNE, resolutions__indicators__isnull=False)
        .exclude(pk__in=sent.values("committee_id"))
        .distinct()
        .order_by("path")
        .first()
    )
    if commune is None or commune.parent is None:
        raise RuntimeError("the demo has no drafting commune")
    province = commune.parent.parent or commune.parent
    secretary = role_grant(
        username="bench.secretary", committee=commune, role=RoleKind.SECRETARY, password=None
    ).user
    viewer = role_grant(username="bench.viewer", committee=province, role=RoleKind.VIEWER, password=None).user
    return _lines(
        measure(
            term_code=term.code,
            secretary=secretary,
            commune_code=commune.code,
            viewer=viewer,
            province_code=province.code,
            district_code=commune.parent.code,
        )
    )


if __name__ == "__main__":
    import sys
    import tempfile

    from bench.run import _setup

    _setup(os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/requests.sqlite3")
    for name, value in _demo().items():
        print(f"{name}: {value}", flush=True)
    sys.exit(0)
