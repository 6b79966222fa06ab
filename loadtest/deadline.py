"""The deadline rush (`make loadtest SCENARIO=deadline`): commune secretaries save and send while
district and province staff read their panels and download reports.

Started by loadtest/run.py with the accounts in LOADTEST_ACCOUNTS (a JSON file); at the end every
value a save sent is written to LOADTEST_OUTCOMES, accepted or refused, for run.py to check the
history against. Request names are the kinds of run.py's table.

Everyone is logged in already, as a login earlier that day left them (sessions made by the setup;
LOADTEST_LOGINS=1 logs in for real, which measures mostly the password hash).

- A secretary opens the form, saves one indicator at a time (3 to 6 saves, a few seconds apart),
  then sends the review, and only reads afterwards. One save in four is made from two browsers:
  both open the form, the first saves, the second then saves the same indicator from its stale
  page, which must be refused (409) — never accepted over the first (a lost update).
- Staff read their committee's and children's dashboards and the campaign panel, and download a
  report: the first answer is the waiting page (202) that refreshes itself every few seconds, as
  a browser does, until the file comes; `report_pdf_time_to_file` is that whole wait.
"""

import html
import itertools
import json
import os
import random
import re
import sys
import time
from pathlib import Path

from locust import between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from loadtest.browser import BrowserSession, BrowserUser, browser_session  # noqa: E402
from loadtest.forms import FormFields  # noqa: E402
from loadtest.login import log_in as log_in_with_password  # noqa: E402

with open(os.environ["LOADTEST_ACCOUNTS"], encoding="utf-8") as _fh:
    ACCOUNTS = json.load(_fh)
TERM = ACCOUNTS["term"]
PASSWORD = ACCOUNTS["password"]
_secretaries = iter(ACCOUNTS["secretaries"])
_staff = itertools.cycle(ACCOUNTS["staff"])
# Saved values start past any the demo data holds: a save of "4,9" over a stored "4,9" changed
# nothing, wrote no history row, and was counted as a lost update.
_unique = itertools.count(10_000_001)
# How often the waiting page refreshes (reviews.report.views.REFRESH_SECONDS) and for how long
# a user keeps waiting for a file before giving up (counted as an error).
REFRESH_SECONDS = 3
PDF_PATIENCE_SECONDS = 90
OUTCOMES: dict[str, list] = {"accepted": [], "refused": [], "sent": [], "pdf_gave_up": []}


@events.test_stop.add_listener
def _write_outcomes(**_kwargs):
    path = os.environ.get("LOADTEST_OUTCOMES")
    if path:
        Path(path).write_text(json.dumps(OUTCOMES), encoding="utf-8")


# The setup's sessions (a login earlier that day), unless LOADTEST_LOGINS asks for real logins.
REAL_LOGINS = bool(os.environ.get("LOADTEST_LOGINS"))


def log_in(session, username: str, session_key: str) -> None:
    if REAL_LOGINS:
        log_in_with_password(session, username, PASSWORD)
    else:
        session.cookies.set("sessionid", session_key)


_AGAIN = re.compile(r'data-again="([^"]+)"')


def asked_again(response, url: str) -> str:
    """Where the waiting page asks next, as a browser follows it (its meta refresh, or the
    script's look): the URL with the pending render's key (reviews.report.views)."""
    found = _AGAIN.search(response.text)
    return html.unescape(found.group(1)) if found else url


def file_arrived(environment, *, started: float, size: int) -> None:
    """The wait for a report, from the first ask to the file, as a request of its own kind
    (`report_pdf_time_to_file`): shown in the table, not held to the p95 target."""
    environment.events.request.fire(
        request_type="WAIT",
        name="report_pdf_time_to_file",
        response_time=(time.monotonic() - started) * 1000,
        response_length=size,
        exception=None,
        context={},
    )


class Secretary(BrowserUser):
    fixed_count = len(ACCOUNTS["secretaries"])
    wait_time = between(2, 6)

    def on_start(self):
        self.username, self.code, self.session_key, self.other_session_key = next(_secretaries)
        self.form_url = f"/committees/{self.code}/assess/?term={TERM}"
        self.saves_before_sending = random.randint(3, 6)
        self.saved = 0
        self.sent = False
        self.second_browser: BrowserSession | None = None
        log_in(self.client, self.username, self.session_key)

    def _other_browser(self) -> BrowserSession:
        if self.second_browser is None:
            self.second_browser = browser_session(self)
            log_in(self.second_browser, self.username, self.other_session_key)
        return self.second_browser

    def _open_form(self, session) -> dict[str, str] | None:
        page = session.get(self.form_url, name="assess_form")
        if not page.ok:
            return None
        parser = FormFields()
        parser.feed(page.text)
        return parser.fields

    def _save(self, session, fields: dict[str, str], row: str, *, stale: bool = False) -> None:
        fields = dict(fields, csrfmiddlewaretoken=session.cookies.get("csrftoken", ""))
        value = f"{next(_unique)},{random.randint(1, 9)}"  # never shown before: a real change
        fields[f"{row}-status"] = "achieved"
        fields[f"{row}-value"] = value
        with session.post(
            self.form_url, fields, name="assess_save", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302 and not stale:
                OUTCOMES["accepted"].append(value)
                self.saved += 1
                response.success()
            elif response.status_code == 302:
                OUTCOMES["accepted"].append(value)
                response.failure("LOST UPDATE: a save from a stale page was accepted")
            elif response.status_code == 409:
                OUTCOMES["refused"].append(value)
                response.request_meta["name"] = "assess_save_conflict"
                if stale:
                    response.success()
                else:
                    response.failure("a save from a fresh page was refused as a conflict")
            else:
                response.failure(f"save gave {response.status_code}")

    def _send(self) -> None:
        submit = f"/committees/{self.code}/review/submit/?term={TERM}"
        self.client.get(submit, name="submit_page")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            submit,
            {"confirm": "1", "csrfmiddlewaretoken": token},
            name="review_submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                OUTCOMES["sent"].append(self.code)
                self.sent = True
            else:
                response.failure(f"sending gave {response.status_code}")

    @task
    def work(self):
        if self.sent:  # sent: the review is read-only now; the secretary follows its progress
            self.client.get(f"/committees/{self.code}/?term={TERM}", name="dashboard")
            return
        fields = self._open_form(self.client)
        if not fields:
            return
        rows = sorted({m.group(1) for name in fields if (m := re.match(r"(i\d+)-status$", name))})
        if not rows:
            return
        row = random.choice(rows)
        if random.random() < 0.25:
            # The same form open in a second browser too; the first browser saves, then the second.
            stale = self._open_form(self._other_browser())
            self._save(self.client, fields, row)
            if stale:
                self._save(self._other_browser(), stale, row, stale=True)
        else:
            self._save(self.client, fields, row)
        if self.saved >= self.saves_before_sending:
            self._send()


class Staff(BrowserUser):
    fixed_count = len(ACCOUNTS["staff"])
    wait_time = between(1, 4)

    def on_start(self):
        self.username, self.code, self.children, session_key = next(_staff)
        log_in(self.client, self.username, session_key)

    @task(6)
    def dashboard(self):
        code = random.choice([self.code, *self.children])
        self.client.get(f"/committees/{code}/?term={TERM}", name="dashboard")

    @task(3)
    def campaign(self):
        self.client.get(f"/committees/{self.code}/campaign/?term={TERM}", name="campaign")

    @task(1)
    def report(self):
        self.download_report()

    def download_report(self):
        code = random.choice(self.children or [self.code])
        url = f"/committees/{code}/report.pdf?term={TERM}"
        started = time.monotonic()
        while True:
            with self.client.get(url, name="report_pdf", catch_response=True) as response:
                if response.status_code == 202:
                    response.request_meta["name"] = "report_pdf_wait"
                    url = asked_again(response, url)
                elif response.status_code == 429:  # this user's bound of pending renders: told to wait
                    response.request_meta["name"] = "report_pdf_busy"
                    response.success()
                    return
                elif response.status_code == 200 and response.content.startswith(b"%PDF"):
                    file_arrived(self.environment, started=started, size=len(response.content))
                    return
                else:
                    response.failure(f"report gave {response.status_code}")
                    return
            if time.monotonic() - started > PDF_PATIENCE_SECONDS:
                OUTCOMES["pdf_gave_up"].append(code)
                return
            time.sleep(REFRESH_SECONDS)  # gevent's sleep under locust: the meta refresh
