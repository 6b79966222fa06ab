"""The report's file names, apart from the PDF renderer: the web workers name files on every
download but never render (the report worker does), and importing WeasyPrint with its fonts cost
each worker about 0.3 s of CPU and its memory."""

from indicators.models import Committee


def report_filename(committee: Committee, extension: str = "pdf", stage: str = "mid") -> str:
    """An ASCII-safe file name: "bao-cao-so-ket-BK-CD-2020-2025.pdf" (or ".docx"); at the end of
    the term "bao-cao-tong-ket-…"."""
    safe_code = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in committee.code)
    kind = "so-ket" if stage == "mid" else "tong-ket"
    return f"bao-cao-{kind}-{safe_code}-{committee.term.code}.{extension}"
