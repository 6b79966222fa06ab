"""The report's HTML (for the PDF), written from its data (selectors.ReportContext) by a Django template."""

import dataclasses

from django.template.loader import render_to_string

from indicators.models import Committee, Stage

from .layout import page_css
from .selectors import ReportContext, report_context

# The fetcher of pdf.py serves this path prefix (and only it) from the static files finders.
STATIC_PREFIX = "/static/"


def render_report_html(context: ReportContext) -> str:
    """The HTML WeasyPrint sets as the PDF; the template reads the context's fields by name."""
    fields = {field.name: getattr(context, field.name) for field in dataclasses.fields(context)}
    return render_to_string(
        "reviews/report/report.html",
        {
            **fields,
            "annex_columns": context.annex_columns,
            "value_label": context.value_label,
            "page_css": page_css(),
            "static_prefix": STATIC_PREFIX,
        },
    )


def report_html(*, committee: Committee, stage: str = Stage.MID) -> str:
    return render_report_html(report_context(committee=committee, stage=stage))
