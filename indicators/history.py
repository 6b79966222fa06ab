"""The readable copy a history row keeps of its object (SubjectCopy), so it outlives the object.

Plain attribute reads, so the migration that filled the copies of older rows uses them too."""

from typing import Any

SUBJECT_MAX = 300


def resolution_subject(resolution: Any) -> str:
    """'12-NQ/ĐH – Nghị quyết Đại hội …': the number, then the title as far as it fits."""
    text = f"{resolution.number} – {resolution.title}" if resolution.title else resolution.number
    return text[:SUBJECT_MAX]


def indicator_subject(indicator: Any) -> str:
    """'12-NQ/ĐH – 1.2. Tốc độ tăng trưởng …': the resolution, the indicator's number and text."""
    return f"{indicator.resolution.number} – {indicator.number}. {indicator.text}"[:SUBJECT_MAX]
