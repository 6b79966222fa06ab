"""The report as PDF: WeasyPrint, with a URL fetcher that serves the project's own static files only.

WeasyPrint fetches every URL a document names (stylesheets, images, `<link rel=attachment>`),
`file://` and the network included. The report's HTML escapes all user text, so no user can
name a URL; the fetcher is the second wall: it answers only our own virtual origin's
`/static/…` paths from the static files finders (the stylesheet, the watermark, the fonts of
static/fonts/), and refuses everything else without opening a file or a socket. Refusals are
logged, and rendering goes on without the resource."""

import logging
import posixpath
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from indicators.models import Committee

from .html import STATIC_PREFIX, report_html

logger = logging.getLogger(__name__)

# A name that can never resolve (RFC 2606 `.invalid`): relative URLs in the report resolve here.
ORIGIN = "https://report.soket.invalid"
BASE_URL = ORIGIN + "/"
# The report's own fonts (static/fonts/, loaded by report.css's @font-face) are static files too.
_SERVED_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ttf": "font/ttf",
}
_MAX_STATIC_BYTES = 2 * 1024 * 1024


class URLRefused(ValueError):
    """A URL the report may not fetch."""


class StaticOnlyFetcher(URLFetcher):
    """Serves `https://report.soket.invalid/static/<path>` from the finders; refuses the rest."""

    def __init__(self):
        # No redirects, no protocols: even if `fetch` were bypassed, urllib could not open anything.
        super().__init__(timeout=1, allowed_protocols=(), allow_redirects=False)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        try:
            path = self._static_path(url)
        except URLRefused:
            self.refused.append(url)
            logger.warning("report: refused to fetch %.200s", url)
            raise
        with open(path, "rb") as file:
            body = file.read(_MAX_STATIC_BYTES + 1)
        if len(body) > _MAX_STATIC_BYTES:
            self.refused.append(url)
            raise URLRefused("static file too large")
        self.served.append(url)
        content_type = _SERVED_TYPES[posixpath.splitext(path)[1].lower()]
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    def _static_path(self, url: str) -> str:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != ORIGIN or parts.query or parts.username:
            raise URLRefused(url)
        if not parts.path.startswith(STATIC_PREFIX):
            raise URLRefused(url)
        relative = unquote(parts.path[len(STATIC_PREFIX) :])
        normal = posixpath.normpath(relative)
        if (
            normal != relative
            or normal.startswith(("/", "."))
            or "\\" in normal
            or "\x00" in normal
            or posixpath.splitext(normal)[1].lower() not in _SERVED_TYPES
        ):
            raise URLRefused(url)
        try:
            found = finders.find(normal)
        except SuspiciousFileOperation:
            raise URLRefused(url) from None
        if not found or isinstance(found, list):
            raise URLRefused(url)
        return found


def html_to_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """WeasyPrint alone: the benchmark's floor measures exactly this call."""
    fetcher = fetcher or StaticOnlyFetcher()
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher, media_type="print").write_pdf()


def html_to_pdfa(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """The archive rendition: PDF/A-2b (fonts embedded, sRGB output intent, XMP metadata), with the
    report's `<meta name="soket…">` tags as custom keys of the document information dictionary."""
    fetcher = fetcher or StaticOnlyFetcher()
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher, media_type="print").write_pdf(
        pdf_variant="pdf/a-2b", custom_metadata=True
    )


def report_pdf(*, committee: Committee, stage: str = "mid") -> bytes:
    """The committee's review report at `stage`; raises ReportTooLarge before rendering a huge one."""
    return html_to_pdf(report_html(committee=committee, stage=stage))
