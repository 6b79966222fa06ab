"""The report's page, in one place for both formats: paper, margins, and when the annex turns."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Margins:
    top: float
    right: float
    bottom: float
    left: float

    def css(self) -> str:
        return f"{self.top:g}mm {self.right:g}mm {self.bottom:g}mm {self.left:g}mm"


A4_MM = (210, 297)
# Party document margins (Hướng dẫn 36-HD/VPTW), on every page of the PDF and the DOCX; a landscape
# annex page keeps them as they are (the binding on the left): 252 mm of text width.
MARGINS_MM = Margins(top=20, right=15, bottom=20, left=30)
# A value longer than this in the annex's narrow columns (unit, target, result) wraps to more than
# two lines at portrait widths: the annex is then set on landscape pages (html.annex_is_landscape).
NARROW_COLUMN_CHARS = 20


def page_css() -> str:
    """The PDF's @page margins (report.css holds the rest of its page rules)."""
    margin = MARGINS_MM.css()
    return f"@page {{ margin: {margin}; }} @page annex-wide {{ margin: {margin}; }}"
