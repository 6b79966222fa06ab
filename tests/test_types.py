"""The type check (pyproject.toml's [tool.mypy]) is part of the suite, not only of `make test`."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_type_errors():
    # DEBUG=1: the django-stubs plugin imports config.settings, which needs it or a SECRET_KEY.
    env = {**os.environ, "DEBUG": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
