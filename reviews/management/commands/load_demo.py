"""Load the Bắc Kạn demo (committee tree, resolutions, assessments, reviews, accounts); idempotent."""

import json
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.dateparse import parse_date

from indicators.models import ChangeSource, Committee, Indicator, Resolution
from indicators.results import Results
from indicators.services.committees import committees_bulk_create
from indicators.services.indicators import indicators_bulk_create
from indicators.services.people import account_get_or_create, person_update, role_grant
from indicators.services.resolutions import resolution_create
from indicators.services.terms import term_get_or_create
from reviews.demo import campaign as demo_campaign
from reviews.demo import end as demo_end
from reviews.demo import next_term as demo_next_term
from reviews.demo import reviews as demo_reviews

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "bac_kan_2020_2025.json"

# (username, committee code or None for the superuser, role, what the account is for)
DEMO_ACCOUNTS = [
    ("admin", None, None, "Quản trị hệ thống (superuser)"),
    ("bithu.nongha", "BK-CM-NH", "secretary", "Bí thư Đảng ủy xã Nông Hạ"),
    ("bithu.namcuong", "BK-CD-NC", "secretary", "Bí thư Đảng ủy xã Nam Cường"),
    ("vanphong.chomoi", "BK-CM", "viewer", "Văn phòng Huyện ủy Chợ Mới"),
    ("vanphong.chodon", "BK-CD", "viewer", "Văn phòng Huyện ủy Chợ Đồn"),
    ("bithu.chodon", "BK-CD", "secretary", "Huyện ủy Chợ Đồn (nhập liệu)"),
    ("vanphong.tinhuy", "BK", "viewer", "Văn phòng Tỉnh ủy Bắc Kạn"),
    ("bithu.tinhuy", "BK", "secretary", "Tỉnh ủy Bắc Kạn (nhập liệu)"),
    # The Chợ Mới communes whose reviews the demo campaign has already sent (reviews/demo/campaign.py).
    ("bithu.mailap", "BK-CM-ML", "secretary", "Bí thư Đảng ủy xã Mai Lạp"),
    ("bithu.hoamuc", "BK-CM-HM", "secretary", "Bí thư Đảng ủy xã Hòa Mục"),
    ("bithu.thanhmai", "BK-CM-TM", "secretary", "Bí thư Đảng ủy xã Thanh Mai"),
    ("bithu.caoky", "BK-CM-CK", "secretary", "Bí thư Đảng ủy xã Cao Kỳ"),
    ("bithu.yencu", "BK-CM-YC", "secretary", "Bí thư Đảng ủy xã Yên Cư"),
    ("bithu.thanhthinh", "BK-CM-TT", "secretary", "Bí thư Đảng ủy xã Thanh Thịnh"),
    ("bithu.yenhan", "BK-CM-YH", "secretary", "Bí thư Đảng ủy xã Yên Hân"),
    ("bithu.dongtam", "BK-CM-DT", "secretary", "Bí thư Đảng ủy thị trấn Đồng Tâm"),
]
# Every demo account gets an address at example.org (reserved: nothing is ever delivered there).
DEMO_EMAIL_DOMAIN = "example.org"

# How pages name the demo people: (họ và tên đệm, tên, chức vụ). Illustrative, like the signers of
# the demo reports (who are the same people where an account signs).
DEMO_PEOPLE = {
    "admin": ("Lý Thị Hồng", "Nhung", "Chuyên viên quản trị hệ thống, Văn phòng Tỉnh ủy"),
    "bithu.nongha": ("Đinh Anh", "Trường", "Bí thư Đảng ủy xã Nông Hạ"),
    "bithu.namcuong": ("Triệu Văn", "Quân", "Bí thư Đảng ủy xã Nam Cường"),
    "vanphong.chomoi": ("Nông Thị Thu", "Hà", "Chánh Văn phòng Huyện ủy Chợ Mới"),
    "vanphong.chodon": ("Hà Văn", "Tuấn", "Chánh Văn phòng Huyện ủy Chợ Đồn"),
    "bithu.chodon": ("Ma Thị", "Na", "Phó Bí thư Thường trực Huyện ủy Chợ Đồn"),
    "vanphong.tinhuy": ("Lương Thị", "Mai", "Phó Chánh Văn phòng Tỉnh ủy Bắc Kạn"),
    "bithu.tinhuy": ("Hoàng Văn", "Minh", "Bí thư Tỉnh ủy Bắc Kạn"),
    # The Chợ Mới secretaries of the demo campaign (illustrative names).
    "bithu.mailap": ("Hoàng Văn", "Dũng", "Bí thư Đảng ủy xã Mai Lạp"),
    "bithu.hoamuc": ("Nông Văn", "Thắng", "Bí thư Đảng ủy xã Hòa Mục"),
    "bithu.thanhmai": ("Lục Thị", "Hằng", "Bí thư Đảng ủy xã Thanh Mai"),
    "bithu.caoky": ("Ma Văn", "Hùng", "Bí thư Đảng ủy xã Cao Kỳ"),
    "bithu.yencu": ("Hà Thị", "Lan", "Bí thư Đảng ủy xã Yên Cư"),
    "bithu.thanhthinh": ("Triệu Văn", "Sơn", "Bí thư Đảng ủy xã Thanh Thịnh"),
    "bithu.yenhan": ("Đàm Văn", "Phúc", "Bí thư Đảng ủy xã Yên Hân"),
    "bithu.dongtam": ("La Thị", "Thu", "Bí thư Đảng ủy thị trấn Đồng Tâm"),
}


class Command(BaseCommand):
    help = "Loads the Bắc Kạn 2020–2025 demo data and demo accounts (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", ""),
            help="password for new demo accounts (default: $DEMO_PASSWORD; without one, new accounts "
            "get no usable password); existing accounts keep theirs",
        )
        parser.add_argument("--no-accounts", action="store_true", help="load the data only")

    def handle(self, *args, password, no_accounts, **options):
        if not settings.DEBUG and not password and not no_accounts:
            # In production accounts without a usable password are 16 names nobody can log in with.
            raise CommandError(
                "load_demo with DEBUG off needs --password (or DEMO_PASSWORD) for the demo accounts, "
                "or --no-accounts for the data alone."
            )
        try:
            data = json.loads(FIXTURE.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {FIXTURE}: {exc}") from exc
        with transaction.atomic():
            term, committees, indicators = load_tree(data)
            reviews = demo_reviews.load(term=term)
            accounts = [] if no_accounts else load_accounts(term=term, password=password)
            campaign = demo_campaign.load(term=term)
            # After the mid-term campaign: the end review starts from the mid-term's values and notes.
            demo_end.load(term=term)
            next_term = demo_next_term.load()
        self.stdout.write(
            f"Demo {term.code}: {committees} committees and {indicators} indicators added, "
            f"{reviews} reviews written" + ("; the review campaign started." if campaign else ".")
        )
        if next_term:
            self.stdout.write(
                f"Demo {demo_next_term.NEW_TERM}: Thái Nguyên continues Thái Nguyên and Bắc Kạn, "
                "a new commune of parts of two old ones, indicators carried forward."
            )
        if accounts:
            self.stdout.write(f"{'account':<18} {'password':<16} {'name':<22} role")
            for username, pw, what in accounts:
                last, first, _position = DEMO_PEOPLE[username]
                name = f"{last} {first}"
                self.stdout.write(f"{username:<18} {pw:<16} {name:<22} {what}")


def load_tree(data: dict):
    """Create what is missing; never overwrite what users may have changed since."""
    t = data["term"]
    term, _created = term_get_or_create(code=t["code"], midterm_date=parse_date(t["midterm_date"]))
    existing_codes = set(Committee.objects.filter(term=term).values_list("code", flat=True))
    new_rows = [
        {"code": c["code"], "name": c["name"], "level": c["level"], "parent_code": c["parent"]}
        for c in data["committees"]
        if c["code"] not in existing_codes
    ]
    committees_bulk_create(term=term, rows=new_rows)
    by_code = {c.code: c for c in Committee.objects.filter(term=term)}

    existing_resolutions = {
        (r.committee_id, r.number): r for r in Resolution.objects.filter(committee__term=term)
    }
    existing_indicators = set(
        Indicator.objects.filter(resolution__committee__term=term).values_list("resolution_id", "number")
    )
    rows = []
    for r in data["resolutions"]:
        committee = by_code[r["committee"]]
        resolution = existing_resolutions.get((committee.pk, r["number"]))
        if resolution is None:
            resolution = resolution_create(
                committee=committee,
                number=r["number"],
                kind=r.get("kind", "congress"),
                date=parse_date(r["date"]) if r.get("date") else None,
                title=r.get("title", ""),
                source=ChangeSource.SYSTEM,
            )
        rows += [
            (resolution, {**ind, "results": Results.from_json(ind.get("results") or {})})
            for ind in r["indicators"]
            if (resolution.pk, ind["number"]) not in existing_indicators
        ]
    indicators_bulk_create(rows=rows, source=ChangeSource.SYSTEM)
    return term, len(new_rows), len(rows)


def load_accounts(*, term, password: str) -> list[tuple[str, str, str]]:
    """The demo accounts through the same services as `grant`, with the same password policy: a new
    account gets `password`, an existing one keeps its own (printed as unchanged)."""
    printed = []
    for username, code, role, what in DEMO_ACCOUNTS:
        email = f"{username}@{DEMO_EMAIL_DOMAIN}"
        if code is None or role is None:
            _user, created = account_get_or_create(
                username=username, password=password, superuser=True, email=email
            )
        else:
            committee = Committee.objects.get(term=term, code=code)
            created = role_grant(
                username=username, committee=committee, role=role, password=password, email=email
            ).user_created
        user = get_user_model().objects.get(username=username)
        if not (user.first_name or user.last_name):  # never overwrite a name set since
            last, first, position = DEMO_PEOPLE[username]
            person_update(user=user, last_name=last, first_name=first, position=position)
        # A new account without a password cannot log in: say so, not "(unchanged)".
        shown = (password or "(no password)") if created else "(unchanged)"
        printed.append((username, shown, what))
    return printed
