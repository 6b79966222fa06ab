"""Building small workbooks for the workbook tests."""

import io

from openpyxl import Workbook

from reviews.workbook.cells import COMMITTEE_COLUMNS, INDICATOR_COLUMNS

COMMITTEE_HEADER = [c.vi for c in COMMITTEE_COLUMNS]
INDICATOR_HEADER = [c.vi for c in INDICATOR_COLUMNS]


def xlsx(committees=None, indicators=None, *, committee_header=None, indicator_header=None) -> bytes:
    """A workbook with the given rows; None leaves the sheet out."""
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    if committees is not None:
        ws = wb.create_sheet("Đơn vị")
        ws.append(committee_header or COMMITTEE_HEADER)
        for row in committees:
            ws.append(row)
    if indicators is not None:
        ws = wb.create_sheet("Chỉ tiêu")
        ws.append(indicator_header or INDICATOR_HEADER)
        for row in indicators:
            ws.append(row)
    if not wb.sheetnames:
        wb.create_sheet("Sheet1")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def indicator(code="P", number="1", status="Đạt và vượt", note="", resolution="01-NQ/ĐH", **extra):
    row = {
        "code": code,
        "resolution": resolution,
        "kind": "đại hội",
        "number": number,
        "text": f"Chỉ tiêu {number}",
        "field": "Kinh tế",
        "unit": "%",
        "target": "6,5",
        "value": "4,3",
        "status": status,
        "note": note,
    }
    row.update(extra)
    return [row[c.key] for c in INDICATOR_COLUMNS]
