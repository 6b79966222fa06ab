"""`make bench` still runs: its SQLite half on a tiny national tree prints only `name: value` lines,
the figures the issues ask for among them, and no `_error` line. Timings are never asserted."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _bench(sections: str, **settings: str) -> subprocess.CompletedProcess:
    """The SQLite half of `make bench`, for `sections` only, on a tree of one province with three
    indicators a committee, each figure measured once; outside the test settings."""
    test_only = {"PYTEST_VERSION", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(BENCH_PROVINCES="1", BENCH_INDICATORS="3", BENCH_RUNS="1", **settings)
    return subprocess.run(
        [sys.executable, "-m", "bench.run", "--skip-pg", "--only", sections],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_bench_sqlite_half_prints_its_figures_on_a_tiny_tree(tmp_path):
    result = _bench("national,explain,campaign")
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert all(": " in line for line in lines), lines
    values = dict(line.split(": ", 1) for line in lines)
    assert not [name for name in values if name.endswith("_error")], values
    for name in (
        "national_dashboard_ms",
        "province_dashboard_ms",
        "assessment_save_ms",
        "counter_sum_floor_ms",
        "dashboard_over_counter_floor",
        "queries_per_dashboard",
        "queries_per_province_dashboard",
        "province_trouble_ms",
        "queries_per_province_trouble",
        "queries_per_save",
        "national_reporting_ms",
        "queries_per_reporting",
        "auth_page_ms",
        "province_dashboard_db_ms",
        "province_dashboard_reads_ms",
        "auth_page_over_dashboard_reads",
        "national_dashboard_end_ms",
        "queries_per_dashboard_end",
    ):
        assert name in values, name
    assert values["rollup_consistent"] == "1"
    assert values["end_rollup_consistent"] == "1"
    # The end-stage national dashboard reads as the mid-term one does: the same queries.
    assert values["queries_per_dashboard_end"] == values["queries_per_dashboard"]
    assert values["terms"] == "3"


def test_bench_requests_section_prints_the_cpu_of_each_kind_of_request_on_a_tiny_tree():
    """`make bench`'s `requests` section (bench/requests_cpu.py): one line per kind of request of
    the deadline rush, each a CPU time in ms, and no `_error` line."""
    result = _bench("requests", BENCH_REQUEST_RUNS="2")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    values = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    assert not [name for name in values if name.endswith("_error")], values
    from bench.requests_cpu import KINDS

    for kind in KINDS:
        assert float(values[f"request_cpu_ms_{kind}"]) > 0, kind
    assert float(values["request_cpu_ms_mean_of_kinds"]) > 0
