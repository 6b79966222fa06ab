"""Bench section (PostgreSQL half): what the planner does with the queries the dashboards stand on.

Every query of the province and national dashboards is captured as the page runs it and given to
`EXPLAIN (ANALYZE)` with its own parameters. Printed: the plan nodes of the subtree range (the sum
of the counters) and of the children lookup, each as one line, and the sequential scans of any
table with more than SEQ_SCAN_ROWS rows on those pages (none is the target)."""

import re

SEQ_SCAN_ROWS = 10_000


def _captured(fn) -> list[tuple[str, tuple | dict]]:
    from django.db import connection

    seen: list[tuple[str, tuple | dict]] = []

    def wrapper(execute, sql, params, many, context):
        if not many and sql.lstrip().upper().startswith("SELECT"):
            # Named parameters (the roles' statement, indicators.access) stay a mapping.
            seen.append((sql, params if isinstance(params, dict) else tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        fn()
    return seen


def _plan(sql: str, params: tuple | dict) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def _nodes(plan: list[str]) -> str:
    """The scan nodes and their conditions, on one line."""
    keep = [
        " ".join(line.replace("->", "").split())
        for line in plan
        if re.search(r"Scan|Index Cond|Filter:|Aggregate", line) and "Rows Removed" not in line
    ]
    return " | ".join(keep)


def _big_tables() -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s", [SEQ_SCAN_ROWS])
        return {row[0] for row in cursor.fetchall()}


def run(ctx) -> dict:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bench.national import _get
    from indicators.selectors import committee_rollup

    if connection.vendor != "postgresql":
        return {}
    out = {}
    for label, committee in (("province", ctx.province), ("national", ctx.root)):
        children, subtree = _captured(lambda c=committee: committee_rollup(committee=c))
        out[f"explain_children_{label}"] = _nodes(_plan(*children))
        out[f"explain_subtree_{label}"] = _nodes(_plan(*subtree))

    big = _big_tables()
    viewer = Client()
    viewer.force_login(ctx.province_viewer)
    staff = Client()
    staff.force_login(ctx.staff)
    term = f"?term={ctx.term.code}"
    pages = {
        "province_dashboard": (viewer, reverse("dashboard", args=[ctx.province.code]) + term),
        "national_dashboard": (staff, reverse("dashboard", args=[ctx.root.code]) + term),
    }
    for label, (client, url) in pages.items():
        scans = []
        for sql, params in _captured(lambda client=client, url=url: _get(client, url)):
            for line in _plan(sql, params):
                found = re.search(r"Seq Scan on (\w+)", line)
                if found and found.group(1) in big:
                    scans.append(found.group(1))
        out[f"explain_{label}_big_seq_scans"] = ", ".join(scans) or "none"
    return out
