"""The demo's campaign in mid-flight, written through the services as users would: deadlines
cascaded from the province, some Chợ Mới communes sent, some approved, one returned, some overdue,
Nam Cường's review waiting for Chợ Đồn's office, and the day's reminders already queued (so every
seat has something in its inbox on first login).

Dates are relative to the day the demo is loaded, so the panel shows a live campaign on first run."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from indicators.models import Committee, Stage, Term
from indicators.people import person_name

from ..campaign.models import Deadline
from ..campaign.services import deadlines_set
from ..models import ReviewAction, SolutionArea
from ..notifications.services import reminders_queue
from ..services import SolutionItem, review_document_seed, review_lock, review_step

# The communes' secretaries who send their review (committee code → username).
SENDERS = {
    "BK-CM-ML": "bithu.mailap",
    "BK-CM-HM": "bithu.hoamuc",
    "BK-CM-TM": "bithu.thanhmai",
    "BK-CM-CK": "bithu.caoky",
    "BK-CM-YC": "bithu.yencu",
    "BK-CM-TT": "bithu.thanhthinh",
    "BK-CM-YH": "bithu.yenhan",
}
# Chợ Đồn's commune whose review waits for its approver (vanphong.chodon).
CHO_DON_SENDER = ("BK-CD-NC", "bithu.namcuong")
APPROVED = ("BK-CM-ML", "BK-CM-HM", "BK-CM-TM")
RETURNED = {
    "BK-CM-YH": "Đề nghị bổ sung số liệu tổng đàn gia súc năm 2022 và nêu rõ nguyên nhân chỉ tiêu không đạt."
}
DRAFTS = ("BK-CM-DT",)  # opened, not sent; NH's draft is the demo's document already
EARLY = ("BK-CM-DT", "BK-CM-TS", "BK-CM-TV")  # asked to report first: their deadline has passed
APPROVER = "vanphong.chomoi"
PLACES = {"BK-CM": "Chợ Mới", "BK-CD": "Chợ Đồn"}  # where each district's communes sign

# What every sent commune report says, briefly (illustrative): a report is sent only complete, its
# sections written, with a lesson and a solution group (reviews.selectors.review_checklist).
NARRATIVE = {
    "overall": "Đảng bộ đã lãnh đạo thực hiện đạt phần lớn các chỉ tiêu Nghị quyết đề ra giữa nhiệm kỳ.",
    "shortcomings": "Một số chỉ tiêu về phát triển kinh tế, chăn nuôi còn chậm so với kế hoạch.",
    "causes_objective": "Dịch bệnh và thời tiết cực đoan ảnh hưởng đến sản xuất.",
    "causes_subjective": "Công tác chỉ đạo ở một số lĩnh vực chưa sát sao, quyết liệt.",
    "tasks": "Tập trung hoàn thành các chỉ tiêu còn chậm trong nửa cuối nhiệm kỳ.",
}
LESSONS = ["Bám sát cơ sở, phát huy vai trò người đứng đầu."]
SOLUTIONS = [
    SolutionItem(area=SolutionArea.SOCIO_ECONOMIC, text="Đẩy mạnh chuyển dịch cơ cấu cây trồng, vật nuôi.")
]


def load(*, term: Term, today: date | None = None) -> bool:
    """Write the campaign unless the term already has mid-term deadlines (then users run their own)."""
    if Deadline.objects.filter(set_by__term=term, stage=Stage.MID).exists():
        return False
    senders = {**SENDERS, CHO_DON_SENDER[0]: CHO_DON_SENDER[1]}
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=[*senders.values(), APPROVER])
    }
    if len(users) < len(senders) + 1:
        return False  # loaded without accounts: nobody to send or approve
    today = today or timezone.localdate()
    day = lambda n: today + timedelta(days=n)  # noqa: E731
    by_code = {c.code: c for c in Committee.objects.filter(term=term).select_related("term", "parent")}

    deadlines_set(committee=by_code["BK"], levels={"district": day(21), "commune": day(7)}, by=None)
    deadlines_set(
        committee=by_code["BK-CM"],
        levels={"commune": day(3)},
        only={code: day(-4) for code in EARLY},
        by=None,
    )
    deadlines_set(committee=by_code["BK-CD"], levels={"commune": day(-2)}, by=None)

    approver = users[APPROVER]
    for number, (code, username) in enumerate(senders.items(), start=31):
        secretary = users[username]
        # The heading a filed report needs (number, date, signer) before it may be sent.
        review_document_seed(
            committee=by_code[code],
            fields={
                "document_number": f"{number}-BC/ĐU",
                "document_date": day(-1),
                "place": PLACES[code[:5]],
                "signer_title": "Bí thư",
                "signer_name": person_name(secretary),
                **NARRATIVE,
            },
            lessons=LESSONS,
            solutions=SOLUTIONS,
        )
        review_step(committee=by_code[code], step=ReviewAction.SUBMIT, by=users[username])
    for code in APPROVED:
        review_step(committee=by_code[code], step=ReviewAction.APPROVE, by=approver)
    for code, reason in RETURNED.items():
        review_step(committee=by_code[code], step=ReviewAction.RETURN, by=approver, reason=reason)
    for code in DRAFTS:
        review_lock(committee=by_code[code])  # inside load_demo's transaction: the row, nothing else
    # What the daily `send_reminders` would have queued today: the late communes' secretaries and
    # the offices above them find their notices on first login.
    reminders_queue(on=today)
    return True
