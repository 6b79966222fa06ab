"""Tests that need a system tool (browser, Java): skip loudly without it, but never under CI."""

import os

import pytest


def skip_or_fail_under_ci(what: str, reason: str) -> None:
    """Fail under CI (CI=true), where a missing tool is a broken set-up; else skip, saying so loudly."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} CANNOT RUN UNDER CI: {reason}")
    print(f"\n\n*** SKIPPING {what}: {reason} ***\n")
    pytest.skip(f"SKIPPING {what}: {reason}")
