"""The workbook's reads: a queued import's job and whether it will ever finish (its page), and what
the export of a subtree reads (its indicators at a stage, the committees' predecessors); the export
(exporter.py) writes them into cells."""

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from config.workers import queue_is_served, uses_database_queue, worker_is_alive
from indicators.models import Committee, CommitteePredecessor, Indicator, Stage
from reviews.models import ImportState, WorkbookImport

from .background import IMPORT_QUEUE


class Orphaned:
    """Why a pending import will never finish (each has its own sentence on the page)."""

    WORKER = "worker"  # the worker running it stopped beating
    NO_WORKER = "noworker"  # no live worker takes the queue
    STUCK = "stuck"  # pending past REPORT_RENDER_PATIENCE


def workbook_import_of(*, user, token: str) -> WorkbookImport | None:
    """The import under `token` if `user` queued it: nobody else sees its progress or result."""
    fields = ("data",)  # the file is not needed to show the page
    return WorkbookImport.objects.defer(*fields).filter(token=str(token)[:32], user=user).first()


def orphaned_because(job: WorkbookImport) -> str:
    """Why a pending import will never finish, from the workers' heartbeats (config.workers), or
    "" while it may. Read only: the page says so and offers a retry; nothing is written on a GET."""
    if job.state != ImportState.PENDING:
        return ""
    now = timezone.now()
    if job.requested_at < now - timedelta(seconds=settings.REPORT_RENDER_PATIENCE):
        return Orphaned.STUCK
    if not uses_database_queue():
        return ""
    if job.worker_id:
        return "" if worker_is_alive(job.worker_id) else Orphaned.WORKER
    if job.requested_at > now - timedelta(seconds=settings.WORKER_DEAD_AFTER):
        return ""  # a moment's grace, for a worker just starting
    return "" if queue_is_served(IMPORT_QUEUE) else Orphaned.NO_WORKER


# ---- what the export reads -----------------------------------------------------------------


def export_indicators(*, committees: list[Committee], stage: str) -> QuerySet[Indicator]:
    """The indicators of `committees` with their assessment at `stage` (at the end: only those whose
    end review is open), in the export's order, with what each row names, in one query."""
    end = stage == Stage.END
    indicators = Indicator.objects.filter(resolution__committee__in=[c.pk for c in committees]).at_stage(
        stage
    )
    if end:
        # An end review not opened has no rows.
        indicators = indicators.filter(assessment__isnull=False)  # type: ignore[misc]  # the filtered relation
    indicators = (
        indicators
        # `group`: its number is the `Thuộc chỉ tiêu` cell, read in the same query.
        .select_related(  # type: ignore[misc]  # the filtered relation
            "resolution__committee",
            "assessment",
            "group",
            "resolution__assigned_from__committee",
            "predecessor__resolution__committee",
        ).order_by("resolution__committee__path", "resolution__kind", "resolution__number", "sort_key")
    )
    return indicators


def predecessor_codes(committees: list[Committee]) -> dict[int, list[str]]:
    """Each committee's predecessors' codes, in one query."""
    codes: dict[int, list[str]] = {}
    links = CommitteePredecessor.objects.filter(committee__in=[c.pk for c in committees]).order_by(
        "predecessor__code"
    )
    for committee_id, code in links.values_list("committee_id", "predecessor__code"):
        codes.setdefault(committee_id, []).append(code)
    return codes
