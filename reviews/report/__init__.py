"""The review report: its data read once (selectors.py), HTML from a Django template (html.py), then PDF
with WeasyPrint (pdf.py) and the DOCX (docx.py); requested by a page (services.py, views.py), rendered by
the worker (tasks.py)."""

from django.utils.translation import gettext as _

# The typed text's bound is the document's own (reviews.models.MAX_DOCUMENT_CHARS, which the
# editor enforces): one limit, so a document the editor accepted always prints.
from reviews.models import MAX_DOCUMENT_CHARS

# Bounds that keep one rendering to seconds: a real report has tens of indicators, not thousands.
MAX_REPORT_INDICATORS = 800
MAX_REPORT_CHILDREN = 300


class ReportTooLarge(Exception):
    """The report would be too long to render in a reasonable time; nothing was rendered."""

    def __init__(self, *, indicators: int = 0, children: int = 0, chars: int = 0):
        self.indicators, self.children, self.chars = indicators, children, chars
        if indicators > MAX_REPORT_INDICATORS:
            message = _(
                "Báo cáo có %(n)d chỉ tiêu, vượt giới hạn %(max)d chỉ tiêu của một bản in PDF. "
                "Hãy xuất sổ tổng hợp Excel để xem đầy đủ."
            ) % {"n": indicators, "max": MAX_REPORT_INDICATORS}
        elif children > MAX_REPORT_CHILDREN:
            message = _(
                "Đơn vị có %(n)d đơn vị trực thuộc, vượt giới hạn %(max)d đơn vị của một bản in PDF."
            ) % {"n": children, "max": MAX_REPORT_CHILDREN}
        else:
            message = _(
                "Nội dung báo cáo dài %(n)d ký tự, vượt giới hạn %(max)d ký tự của một bản in PDF."
            ) % {
                "n": chars,
                "max": MAX_DOCUMENT_CHARS,
            }
        super().__init__(message)
