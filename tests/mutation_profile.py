"""A pytest plugin that only `make mutate` loads (pyproject.toml, [tool.mutmut]): the same tests,
cheaper to run once per mutant. Property tests try fewer examples unless they set their own, and
passwords are hashed with a fast hasher, as no test here is about hashing."""

import pytest
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile("mutation", max_examples=20, deadline=None)
hypothesis_settings.load_profile("mutation")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
