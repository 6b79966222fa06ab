"""A pytest plugin that only `make mutate` loads (pyproject.toml, [tool.mutmut]): the same tests,
cheaper to run once per mutant: property tests try fewer examples unless they set their own.
(Passwords are hashed fast in every run: tests/conftest.py.)"""

from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile("mutation", max_examples=20, deadline=None)
hypothesis_settings.load_profile("mutation")
