"""The load mix: viewers on dashboards and JSON tallies, two PDF readers, secretaries saving.

Started by loadtest/run.py, which passes the accounts in LOADTEST_ACCOUNTS (a JSON file).
Request names are the kinds run.py reports on; a save refused as a conflict is counted under
`assess_save_conflict`, never as a success.
"""

import itertools
import json
import os
import random
import re
import sys
from pathlib import Path

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from loadtest.forms import FormFields  # noqa: E402
from loadtest.login import log_in  # noqa: E402

with open(os.environ["LOADTEST_ACCOUNTS"], encoding="utf-8") as _fh:
    ACCOUNTS = json.load(_fh)
TERM = ACCOUNTS["term"]
PASSWORD = ACCOUNTS["password"]
_secretaries = itertools.cycle(ACCOUNTS["secretaries"])
_viewers = itertools.cycle(ACCOUNTS["viewers"])
# Saved values start past any the demo data holds: a save of "4,9" over a stored "4,9" changed
# nothing, wrote no history row, and was counted as a lost update.
_unique = itertools.count(10_000_001)


class Visitor(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def log_in(self, username):
        log_in(self.client, username, PASSWORD)


class Viewer(Visitor):
    weight = 3

    def on_start(self):
        self.username, self.code, self.children = next(_viewers)
        self.log_in(self.username)

    @task(6)
    def dashboard(self):
        code = random.choice([self.code, *self.children])
        self.client.get(f"/committees/{code}/?term={TERM}", name="dashboard")

    @task(3)
    def tally_json(self):
        code = random.choice([self.code, *self.children])
        with self.client.get(
            f"/api/committees/{code}/tally/?term={TERM}", name="tally_json", catch_response=True
        ) as response:
            if response.ok and "own" not in response.json():
                response.failure("tally JSON without 'own'")


class PdfReader(Visitor):
    """A couple of users downloading reports now and then: a render costs seconds of CPU."""

    fixed_count = 2
    wait_time = between(5, 15)

    def on_start(self):
        self.username, self.code, self.children = next(_viewers)
        self.log_in(self.username)

    @task
    def pdf(self):
        code = random.choice(self.children or [self.code])
        with self.client.get(
            f"/committees/{code}/report.pdf?term={TERM}", name="report_pdf", catch_response=True
        ) as response:
            if response.status_code == 202:  # queued for the worker: the page that refreshes itself
                response.request_meta["name"] = "report_pdf_wait"
            elif response.status_code == 429:  # this user's bound of pending renders: told to wait
                response.request_meta["name"] = "report_pdf_busy"
                response.success()
            elif response.ok and not response.content.startswith(b"%PDF"):
                response.failure("not a PDF")


class Secretary(Visitor):
    weight = 2

    def on_start(self):
        self.username, self.code = next(_secretaries)
        self.log_in(self.username)

    @task(1)
    def own_dashboard(self):
        self.client.get(f"/committees/{self.code}/?term={TERM}", name="dashboard")

    @task(3)
    def save_one_indicator(self):
        url = f"/committees/{self.code}/assess/?term={TERM}"
        page = self.client.get(url, name="assess_form")
        if not page.ok:
            return
        parser = FormFields()
        parser.feed(page.text)
        fields = parser.fields
        rows = sorted({m.group(1) for name in fields if (m := re.match(r"(i\d+)-status$", name))})
        if not rows:
            return
        row = random.choice(rows)
        # A value never shown before, so every accepted save is a real change (one history row).
        fields[f"{row}-status"] = "achieved"
        fields[f"{row}-value"] = f"{next(_unique)},{random.randint(1, 9)}"
        with self.client.post(
            url, fields, name="assess_save", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302:
                response.success()
            elif response.status_code == 409:
                response.request_meta["name"] = "assess_save_conflict"
                response.success()
            else:
                response.failure(f"save gave {response.status_code}")
