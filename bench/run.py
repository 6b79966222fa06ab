"""Entry of `make bench`: build the national term in a scratch database, then run each section.

Sections run in order: the dashboard figures (bench/national.py), then bench/report.py,
bench/workbook.py and bench/http.py where they exist; each exposes `run(ctx) -> dict`. A
failing section prints one `name_error:` line and the others still run."""

import importlib
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

OPTIONAL_SECTIONS = ["report", "workbook", "http", "campaign"]


def _setup(database: str) -> None:
    # A scratch SQLite file: never the developer's var/db.sqlite3.
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DEBUG"] = "0"  # measure what production runs (no query log, cached templates)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("AXES_ENABLED", "0")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    # No collectstatic in a scratch run: plain static storage instead of the hashed manifest.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}).enable()

    call_command("migrate", verbosity=0, interactive=False)


def _print(values: dict) -> None:
    for name, value in values.items():
        print(f"{name}: {value}", flush=True)


def main() -> int:
    scratch = tempfile.mkdtemp(prefix="soket-bench-")
    database = os.path.join(scratch, "bench.sqlite3")
    failures = 0
    try:
        started = time.perf_counter()
        _setup(database)
        from . import national

        ctx = national.Context(database=database)
        _print({"migrate_seconds": round(time.perf_counter() - started, 1)})
        sections = [("national_build", national.build), ("national", national.measure)]
        for name in OPTIONAL_SECTIONS:
            try:
                module = importlib.import_module(f"bench.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"bench.{name}":
                    sections.append((name, _raiser(exc)))
                continue
            sections.append((name, module.run))
        for name, run in sections:
            try:
                values = run(ctx)
                ctx.results.update(values)
                _print(values)
            except Exception as exc:  # noqa: BLE001 -- one broken section must not hide the others
                failures += 1
                print(f"{name}_error: {type(exc).__name__}: {exc}", flush=True)
                traceback.print_exc(file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failures else 0


def _raiser(exc):
    def run(_ctx):
        raise exc

    return run


if __name__ == "__main__":
    sys.exit(main())
