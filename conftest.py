"""Test-run environment, set before Django reads its settings."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("TESTING", "1")
