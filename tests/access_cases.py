"""The registry of every named URL and the action it stands for.

tests/reviews/test_access.py walks the project's URL patterns and fails when a named URL has no
case here, so a new page cannot ship unguarded. When you add a URL, add its case here.

action: "public" (login, language), "home", or one of the access actions checked against the
role × object table: "view", "assess", "submit", "approve", "set_deadlines", "set_up", "pdf", "workbook",
"json"; or "own_tests": a URL whose rule is not one of the table's (a signed file that may not
exist, a public page keyed by a code, a monitor's probe), guarded by the test file its comment names.
A committee URL takes the committee's code; `extra` adds other URL kwargs (callable of the
committee, for ids); `data` is the POST body for POST-only views.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class UrlCase:
    name: str
    action: str
    method: str = "get"
    committee_url: bool = True
    data: dict = field(default_factory=dict)
    extra: Any = None  # callable(committee) -> dict of extra URL kwargs


URL_CASES: list[UrlCase] = [
    UrlCase("login", "public", committee_url=False),
    UrlCase("logout", "public", method="post", committee_url=False),
    UrlCase("set_language", "public", method="post", committee_url=False),
    UrlCase("healthz", "public", committee_url=False),
    UrlCase("favicon", "public", committee_url=False),
    # The phone's offline entry: the same for everyone (tests/config/test_offline.py).
    UrlCase("manifest", "public", committee_url=False),
    UrlCase("service_worker", "public", committee_url=False),
    UrlCase("offline_page", "public", committee_url=False),
    UrlCase("home", "home", committee_url=False),
    UrlCase("dashboard", "view"),
    UrlCase("review_edit", "view"),
    UrlCase("review_edit", "assess", method="post", data={"version": "0"}),
    UrlCase("report_pdf", "pdf"),
    UrlCase("report_docx", "pdf"),
    UrlCase("trouble", "view"),
    UrlCase("api_tally", "json"),
    UrlCase("api_indicators", "json"),
    UrlCase("assess", "assess"),
    UrlCase("assess", "assess", method="post"),  # an empty POST changes nothing: 302 back to the form
    UrlCase("review_submit", "submit"),  # the confirmation page
    UrlCase("review_submit", "submit", method="post", data={"confirm": "1"}),
    UrlCase("review_approve", "approve", method="post"),
    UrlCase("review_return", "approve", method="post", data={"reason": "Bổ sung số liệu"}),
    UrlCase("review_reopen", "approve", method="post"),
    UrlCase("indicator_detail", "view", extra=lambda c: {"pk": _first_indicator_pk(c)}),
    # Staff set up terms, an adjusted target with them (tests/reviews/test_adjusted_pages.py).
    UrlCase(
        "indicator_adjust",
        "set_up",
        method="post",
        extra=lambda c: {"pk": _first_indicator_pk(c)},
        data={"target_adjusted": "6", "target_adjusted_by": "15-NQ/TU ngày 10/3/2022"},
    ),
    UrlCase("workbook_xlsx", "workbook"),
    # Any logged-in user gets the page (a user without a role only a sentence saying so) and the
    # blank template; an anonymous visitor goes to login (tests/reviews/test_workbook_views.py).
    UrlCase("workbook_import", "home", committee_url=False),
    UrlCase("workbook_template", "home", committee_url=False),
    # A big workbook's progress and result: only for the user who uploaded it, 404 for anyone else
    # (tests/reviews/test_workbook_background.py).
    UrlCase("workbook_import_job", "own_tests", committee_url=False),
    UrlCase("workbook_import_job", "own_tests", method="post", committee_url=False),
    # The review campaign: the reporting numbers are views; deadlines need a role on the committee.
    UrlCase("api_reporting", "json"),
    UrlCase("campaign", "view"),
    UrlCase("campaign_overdue", "view"),
    # Indicators assigned from above: the side-by-side is a view; assigning needs a role on the
    # committee, the deadlines' rule (indicators.access, Action.ASSIGN).
    UrlCase("assigned_below", "view"),
    UrlCase("assign", "assign"),
    UrlCase("assign", "assign", method="post"),  # no indicator chosen: 200 with a message
    UrlCase("deadlines", "set_deadlines"),
    # Staff only (the SET_UP rule): opening the end-of-term review (tests/reviews/test_stages.py).
    UrlCase("stage_open", "own_tests", method="post"),
    UrlCase("deadlines", "set_deadlines", method="post"),  # an empty POST clears nothing: 302 back
    # Staff set up a committee's predecessors and its indicators' (tests/reviews/test_predecessors.py).
    UrlCase("predecessors", "set_up"),
    UrlCase("predecessors", "set_up", method="post"),  # an empty POST names none: 302 back
    UrlCase("workbook_draft", "set_up"),  # the next term's draft workbook
    # Every logged-in user has an inbox of their own (tests/reviews/test_notifications.py).
    UrlCase("inbox", "home", committee_url=False),
    UrlCase("inbox_read", "home", method="post", committee_url=False),
    # Opening an item (POST: it marks it read); another's item is a 404 (tests/reviews/test_inbox.py).
    UrlCase("inbox_open", "home", method="post", committee_url=False),
    # "ok" for any signed-in user, login for a stranger (tests/config/test_health.py).
    UrlCase("healthz_auth", "home", committee_url=False),
    # Any Host, no session, 503 while the worker or the queue is down (tests/config/test_health_ready.py).
    UrlCase("healthz_ready", "own_tests", committee_url=False),
    # The signed report: upload by the committee's secretary or the approver above, the archived file
    # for those who may see the committee, the public check by code (tests/reviews/test_signing.py).
    UrlCase("report_signed_upload", "own_tests", method="post"),
    UrlCase("report_signed_pdf", "own_tests"),
    UrlCase("report_verify", "own_tests"),  # its `code` is a verification code: any text is a 404
]


def _first_indicator_pk(committee) -> int:
    from indicators.models import Indicator

    return Indicator.objects.of_committee(committee).order_by("pk").values_list("pk", flat=True)[0]
