"""Workbook import speed: 10,000 indicators over 300 committees into a fresh term, against openpyxl alone."""

import io
import random
import time

N_COMMITTEES = 300
N_INDICATORS = 10_000
STATUSES = ["Đạt và vượt", "Khó đạt", "Không đạt", "Chưa đánh giá", "cơ bản đạt"]


def build_workbook(*, seed: int = 7) -> tuple[bytes, int]:
    """A workbook as another office would write it (openpyxl write-only), and its number of data rows."""
    from openpyxl import Workbook

    from reviews.workbook.cells import COMMITTEE_COLUMNS, INDICATOR_COLUMNS

    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    committees = wb.create_sheet("Đơn vị")
    committees.append([c.vi for c in COMMITTEE_COLUMNS])
    codes = ["T"]
    committees.append(["T", "Đảng bộ tỉnh", "tỉnh", ""])
    districts = [f"T-H{d:02d}" for d in range(1, 20)]
    for d in districts:
        committees.append([d, f"Đảng bộ huyện {d}", "huyện", "T"])
        codes.append(d)
    for i in range(N_COMMITTEES - len(codes)):
        parent = districts[i % len(districts)]
        code = f"{parent}-X{i:03d}"
        committees.append([code, f"Đảng bộ xã {code}", "xã", parent])
        codes.append(code)
    indicators = wb.create_sheet("Chỉ tiêu")
    indicators.append([c.vi for c in INDICATOR_COLUMNS])
    per = N_INDICATORS // len(codes)
    extra = N_INDICATORS - per * len(codes)
    for index, code in enumerate(codes):
        for n in range(1, per + 1 + (1 if index < extra else 0)):
            status = rng.choice(STATUSES)
            indicators.append(
                [
                    code,
                    "01-NQ/ĐH",
                    "đại hội",
                    str(n),
                    f"Chỉ tiêu số {n} của {code}: tỷ lệ hộ nghèo giảm bình quân hằng năm",
                    "Kinh tế",
                    "%",
                    f"{rng.randint(1, 99)},{rng.randint(0, 9)}",
                    rng.choice(["6,5", "6.5", 73, 4.3, "≥ 95"]),
                    status,
                    "" if status in ("Đạt và vượt", "Chưa đánh giá") else "Do ảnh hưởng của dịch bệnh",
                ]
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), len(codes) + N_INDICATORS


def read_floor(data: bytes) -> float:
    """Seconds for openpyxl alone to iterate every cell of both sheets, read-only."""
    import openpyxl

    started = time.perf_counter()
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                cell.value, cell.data_type  # noqa: B018 - touching the cell is the work being timed
    wb.close()
    return time.perf_counter() - started


def _fresh_term_code() -> str:
    from indicators.models import Term

    used = set(Term.objects.values_list("start_year", flat=True))
    start = next(y for y in range(2100, 9000, 5) if y not in used)
    return f"{start}-{start + 5}"


def run(ctx=None, *, rounds: int = 3) -> dict:
    """Best of `rounds` for both, interleaved, so a busy machine slows both sides alike."""
    from reviews.workbook.services import workbook_import

    data, rows = build_workbook()
    floors, imports = [], []
    for _round in range(rounds):
        floors.append(read_floor(data))
        term_code = _fresh_term_code()
        started = time.perf_counter()
        result = workbook_import(data=data, term_code=term_code, by=None)
        imports.append(time.perf_counter() - started)
        if result.errors or result.indicators_created != N_INDICATORS:
            raise RuntimeError(f"bench import failed: {result.errors[:3]}")
    import_rate = rows / min(imports)
    floor_rate = rows / min(floors)
    return {
        "import_rows_per_s": round(import_rate),
        "openpyxl_read_floor_rows_per_s": round(floor_rate),
        "import_over_floor": round(import_rate / floor_rate, 2),
    }


def _standalone() -> None:
    import os
    import tempfile

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench-workbook.sqlite3"
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for name, value in run().items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    _standalone()
