"""Entry of `make bench`: every figure on a scratch SQLite file, then again on a scratch PostgreSQL
database (printed with a `pg_` prefix).

Each half runs in its own process (`python -m bench.run --half sqlite|pg`), since Django binds its
database at setup: it migrates, builds the national terms (bench/national.py), then runs each
section; each exposes `run(ctx) -> dict`. A failing section prints one `name_error:` line and the
others still run. The PostgreSQL half creates its own database (soket_bench_<pid>) on the server
of BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) and drops it at the end; when
no server answers it prints one `pg_skipped:` line."""

import argparse
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
from pathlib import Path

from harness.yardstick import yardstick_ms

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"
# Sections after the build, in order, per half. The report and workbook import are measured on
# SQLite only: neither is a dashboard, save or consistency figure, and they would double the time.
SECTIONS = {
    "sqlite": ["national", "campaign", "http", "report", "workbook", "requests"],
    "pg": ["national", "explain", "campaign", "http"],
}
# A section whose module is named otherwise (bench.requests would read as the HTTP library).
MODULES = {"requests": "requests_cpu"}
PREFIX = {"sqlite": "", "pg": "pg_"}


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DEBUG"] = "0"  # measure what production runs (no query log, cached templates)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("AXES_ENABLED", "0")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    # No collectstatic in a scratch run: plain static storage instead of the hashed manifest.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}).enable()

    call_command("migrate", verbosity=0, interactive=False)
    from config.collector import tune_for_serving

    tune_for_serving()  # as config.wsgi does in each web worker: the figures are the server's


def _printer(prefix: str):
    def emit(values: dict) -> None:
        for name, value in values.items():
            print(f"{prefix}{name}: {value}", flush=True)

    return emit


def half(kind: str, database_url: str, only: list[str] | None = None) -> int:
    """One database's figures, in this process."""
    emit = _printer(PREFIX[kind])
    failures = 0
    started = time.perf_counter()
    _setup(database_url)
    from . import national

    ctx = national.Context(database_url=database_url)
    emit({"migrate_seconds": round(time.perf_counter() - started, 1)})
    sections = [("national_build", national.build)]
    for name in SECTIONS[kind]:
        if only is not None and name not in only:
            continue
        if name == "national":
            sections.append((name, national.measure))
            continue
        try:
            module = importlib.import_module(f"bench.{MODULES.get(name, name)}")
        except ModuleNotFoundError as exc:
            if exc.name != f"bench.{MODULES.get(name, name)}":
                sections.append((name, _raiser(exc)))
            continue
        sections.append((name, module.run))
    for name, run in sections:
        try:
            values = run(ctx)
            ctx.results.update(values)
            emit(values)
        except Exception as exc:  # noqa: BLE001 -- one broken section must not hide the others
            failures += 1
            print(f"{PREFIX[kind]}{name}_error: {type(exc).__name__}: {exc}", flush=True)
            traceback.print_exc(file=sys.stderr)
    emit({"half_seconds": round(time.perf_counter() - started, 1)})
    return 1 if failures else 0


def _raiser(exc):
    def run(_ctx):
        raise exc

    return run


def _child(kind: str, database_url: str, only: list[str] | None) -> int:
    command = [sys.executable, "-m", "bench.run", "--half", kind, "--database-url", database_url]
    if only is not None:
        command += ["--only", ",".join(only)]
    return subprocess.run(command, cwd=BASE_DIR, check=False).returncode


def _pg_database(server_url: str) -> tuple[str | None, str]:
    """A fresh database on the server of `server_url`: (its URL, its name), or (None, why not)."""
    import psycopg

    name = f"soket_bench_{os.getpid()}"
    try:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        return None, f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc) else ''}"
    base = server_url.rsplit("/", 1)[0] if server_url.count("/") > 2 else server_url
    return f"{base}/{name}", name


def _pg_drop(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--half", choices=sorted(SECTIONS), help="run one database's half in this process")
    parser.add_argument("--database-url")
    parser.add_argument("--only", help="comma-separated sections after the build (default: all)")
    parser.add_argument("--skip-pg", action="store_true", help="the SQLite half only")
    parser.add_argument("--skip-sqlite", action="store_true", help="the PostgreSQL half only")
    args = parser.parse_args(argv)
    only = args.only.split(",") if args.only else None
    if args.half:
        return half(args.half, args.database_url, only)

    started = time.perf_counter()
    # Before either half starts: this VM's speed moves from day to day (harness/yardstick.py).
    print(f"bench_machine_yardstick_ms: {yardstick_ms():.0f}", flush=True)
    failures = 0
    if not args.skip_sqlite:
        scratch = tempfile.mkdtemp(prefix="soket-bench-")
        try:
            failures += _child("sqlite", f"sqlite:///{scratch}/bench.sqlite3", only)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    if not args.skip_pg:
        server_url = os.environ.get("BENCH_PG_URL") or DEFAULT_PG_URL
        url, name = _pg_database(server_url)
        if url is None:
            where = urllib.parse.urlsplit(server_url).hostname or "localhost"
            port = urllib.parse.urlsplit(server_url).port or 5432
            print(f"pg_skipped: no PostgreSQL answers at {where}:{port} ({name})", flush=True)
        else:
            try:
                failures += _child("pg", url, only)
            finally:
                _pg_drop(server_url, name)
    print(f"bench_seconds: {round(time.perf_counter() - started)}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
