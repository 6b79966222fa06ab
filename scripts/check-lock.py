"""Stops `make` with one line when pyproject.toml names a dependency the locks lack (`make lock`)."""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def names(requirements: list[str]) -> set[str]:
    found = (re.match(r"[A-Za-z0-9_.-]+", r) for r in requirements)
    return {re.sub(r"[-_.]+", "-", m.group(0)).lower() for m in found if m}


def locked(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return {re.sub(r"[-_.]+", "-", m).lower() for m in re.findall(r"^([A-Za-z0-9_.-]+)==", text, re.M)}


project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
wanted = {
    "requirements.lock": names(project["dependencies"]),
    "requirements-test.lock": names(project["dependencies"] + project["optional-dependencies"]["test"]),
}
for lock, deps in wanted.items():
    missing = sorted(deps - locked(ROOT / lock))
    if missing:
        listed = ", ".join(missing)
        print(f"{lock} lacks {listed} (named in pyproject.toml): run `make lock`.", file=sys.stderr)
        sys.exit(1)
