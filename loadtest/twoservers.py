"""Two app servers (`make loadtest SCENARIO=twoservers`): the deadline rush's users, each request
sent to the next server in turn, as a round-robin load balancer without sticky sessions would.

Started by loadtest/scaleout.py with the accounts in LOADTEST_ACCOUNTS (loadtest/deadline.py's
format) and the servers' base URLs in LOADTEST_SERVERS (comma-separated). Every user logs in for
real through the login form (on whichever server its turn falls: half the users start on each),
and from then on its requests alternate between the servers: the form is read from one and saved
through the other, a report is asked for on one, whose waiting page the other serves while a
worker renders it. Which server answered what is added to deadline.py's outcomes.
"""

import itertools
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import cast

from locust import events

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from loadtest import deadline as rush  # noqa: E402
from loadtest.browser import BrowserSession, session_settings  # noqa: E402

SERVERS = [url.rstrip("/") for url in os.environ["LOADTEST_SERVERS"].split(",")]
rush.OUTCOMES["reports"] = []  # per download: the server asked first, servers of the waits, of the file
# Where each user's first request goes, counted per kind of user: half the secretaries start on
# each server, and so (a form read on one, saved through the other) save through each.
_starts: dict[str, "itertools.count[int]"] = {"Secretary": itertools.count(), "Staff": itertools.count()}


@events.quitting.add_listener
def _write_stats(environment, **_kwargs):
    """The final figures per kind, in the columns of locust's CSV, once every user has stopped
    (a request answered during --stop-timeout can miss locust's own CSV)."""
    path = os.environ.get("LOADTEST_STATS")
    if not path:
        return
    entries = [entry for _key, entry in sorted(environment.stats.entries.items())]
    rows = []
    for name, entry in [(e.name, e) for e in entries] + [("Aggregated", environment.stats.total)]:
        rows.append(
            {
                "Name": name,
                "Request Count": entry.num_requests,
                "Failure Count": entry.num_failures,
                "Requests/s": entry.total_rps,
                "Max Response Time": entry.max_response_time,
                **{
                    f"{q}%": int(entry.get_response_time_percentile(q / 100)) if entry.num_requests else 0
                    for q in (50, 95, 99)
                },
            }
        )
    Path(path).write_text(json.dumps(rows), encoding="utf-8")


class RoundRobinSession(BrowserSession):
    """A browser whose relative URLs go to the next server in turn; one cookie jar for all
    (cookies name the host, not the port), so a session made on one server is presented to both."""

    def __init__(self, *, user, start: int):
        super().__init__(**{**session_settings(user), "base_url": SERVERS[0]})
        self.turn = start
        self.last_server = ""

    def _build_url(self, path) -> str:
        if path.startswith(("http://", "https://")):
            return path
        self.last_server = SERVERS[self.turn % len(SERVERS)]
        self.turn += 1
        return self.last_server + path


class Secretary(rush.Secretary):
    """Saves and sends as in the rush; the stale second browser is one made by the setup."""

    def on_start(self):
        self.client = RoundRobinSession(user=self, start=next(_starts[type(self).__name__]))
        super().on_start()

    def _other_browser(self) -> BrowserSession:
        if self.second_browser is None:
            browser = RoundRobinSession(user=self, start=cast(RoundRobinSession, self.client).turn + 1)
            # Logged in earlier that day (a session the setup made): one password hash per user is
            # enough to show a login on one server honoured by the other.
            browser.cookies.set("sessionid", self.other_session_key)
            self.second_browser = browser
        return self.second_browser


# The first staff members download a report on arrival, so that every run, however short, has a
# render one server asked for and the other waited on; the others only as the rush's mix says
# (all of them at once would be a burst of renders for the one worker, a test of its queue).
ARRIVAL_DOWNLOADS = 2
_arrivals = iter(range(10**9))


class Staff(rush.Staff):
    """Reads and downloads reports as in the rush (a report on arrival for the first two)."""

    def on_start(self):
        self.client = RoundRobinSession(user=self, start=next(_starts[type(self).__name__]))
        super().on_start()
        if next(_arrivals) < ARRIVAL_DOWNLOADS:
            self.download_report()

    def download_report(self):
        code = random.choice(self.children or [self.code])
        url = f"/committees/{code}/report.pdf?term={rush.TERM}"
        started = time.monotonic()
        seen: dict = {"code": code, "asked": None, "waits": [], "file": None}
        rush.OUTCOMES["reports"].append(seen)
        while True:
            with self.client.get(url, name="report_pdf", catch_response=True) as response:
                server = self.client.last_server
                if response.status_code == 202:
                    response.request_meta["name"] = "report_pdf_wait"
                    seen["asked"] = seen["asked"] or server
                    seen["waits"].append(server)
                    url = rush.asked_again(response, url)
                elif response.status_code == 429:  # this user's bound of pending renders: told to wait
                    response.request_meta["name"] = "report_pdf_busy"
                    response.success()
                    return
                elif response.status_code == 200 and response.content.startswith(b"%PDF"):
                    seen["file"] = server
                    rush.file_arrived(self.environment, started=started, size=len(response.content))
                    return
                else:
                    response.failure(f"report gave {response.status_code}")
                    return
            if time.monotonic() - started > rush.PDF_PATIENCE_SECONDS:
                rush.OUTCOMES["pdf_gave_up"].append(code)
                return
            time.sleep(rush.REFRESH_SECONDS)  # gevent's sleep under locust: the meta refresh
