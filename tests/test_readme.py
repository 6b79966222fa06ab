"""The README's Layout table matches the tree: every path it names exists, and every top-level
directory and every module of indicators/ and reviews/ (and of their subpackages) is named."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Described as a whole in the table (a row names the directory, not each of its modules).
WHOLE_DIRECTORIES = {
    "reviews/forms",
    "reviews/views",
    "reviews/templatetags",
    "reviews/demo",
}
# Not code anyone looks for in the table: the app's wiring, migrations, caches and tooling folders.
NOT_LISTED = {"__init__.py", "apps.py", "migrations", "templates", "__pycache__"}
TOP_LEVEL_NOT_LISTED = {"node_modules", "var", "staticfiles", "mutants"}


def layout_paths(readme: str) -> set[str]:
    """The paths the Layout table names. In a cell, a bare name (`services.py`) is in the folder of
    the path named before it (`indicators/models.py`); a path may be a glob (`*/management/`)."""
    section = readme.split("\n## Layout\n", 1)[1].split("\n#", 1)[0]
    paths: set[str] = set()
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cell = line.split(" | ", 1)[0]
        folder = ""
        for name in re.findall(r"`([^`]+)`", cell):
            if "/" in name:
                path = name.rstrip("/")
                folder = path if name.endswith("/") else path.rsplit("/", 1)[0]
            else:
                path = f"{folder}/{name}" if folder else name
            paths.add(path)
    return paths


def _listed(path: str, listed: set[str]) -> bool:
    """Named itself, matched by a glob, or (a top-level folder) named through a path inside it."""
    if path in listed or any(Path(path).match(pattern) for pattern in listed if "*" in pattern):
        return True
    return "/" not in path and any(p.startswith(path + "/") for p in listed)


def required_paths() -> set[str]:
    """Top-level folders (not hidden) and the modules of the two apps, one level of subpackages deep."""
    required = {
        p.name
        for p in ROOT.iterdir()
        if p.is_dir()
        and not p.name.startswith(".")
        and p.name not in TOP_LEVEL_NOT_LISTED
        and not p.name.endswith(".egg-info")  # pip's, for the editable install (gitignored)
    }
    for app in ("indicators", "reviews"):
        for module in (ROOT / app).glob("*.py"):
            required.add(f"{app}/{module.name}")
        for package in (ROOT / app).iterdir():
            relative = f"{app}/{package.name}"
            if not (package / "__init__.py").exists() or package.name in NOT_LISTED:
                continue
            if relative in WHOLE_DIRECTORIES:
                required.add(relative)
                continue
            for module in package.glob("*.py"):
                required.add(f"{relative}/{module.name}")
    return {path for path in required if "/" not in path or Path(path).name not in NOT_LISTED}


def test_layout_table_names_only_paths_that_exist():
    listed = layout_paths((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(listed) > 30  # the table was found and read
    missing = sorted(p for p in listed if not list(ROOT.glob(p)))
    assert not missing, "README.md's Layout names paths that do not exist: " + ", ".join(missing)


def test_layout_table_names_every_module():
    listed = layout_paths((ROOT / "README.md").read_text(encoding="utf-8"))
    unnamed = sorted(p for p in required_paths() if not _listed(p, listed))
    assert not unnamed, (
        "README.md's Layout table does not name: "
        + ", ".join(f"`{p}`" for p in unnamed)
        + " — add each to the row of its folder (e.g. `reviews/report/…`, `name.py`) with what it"
        " holds, or to WHOLE_DIRECTORIES / NOT_LISTED in tests/test_readme.py if it is not code"
        " anyone looks for."
    )


def test_the_reader_of_the_table_resolves_bare_names_in_the_folder_named_before():
    table = (
        "## Layout\n\n| path | what |\n|---|---|\n"
        "| `indicators/models.py`, `services.py` | x |\n| `reviews/report/`, `key.py` | y |\n"
        "| `*/management/commands/` | z |\n\n### Next\n| `not/read.py` | no |\n"
    )
    assert layout_paths("intro\n" + table) == {
        "indicators/models.py",
        "indicators/services.py",
        "reviews/report",
        "reviews/report/key.py",
        "*/management/commands",
    }
    assert _listed("indicators/management/commands", {"*/management/commands"})
