"""The registry of every named URL and the action it stands for.

tests/reviews/test_access.py walks the project's URL patterns and fails when a named URL has no
case here, so a new page cannot ship unguarded. When you add a URL, add its case here.

action: "public" (login, language), "home", or one of the access actions checked against the
role × object table: "view", "assess", "submit", "approve", "pdf", "workbook", "json".
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
    UrlCase("home", "home", committee_url=False),
    UrlCase("dashboard", "view"),
]
