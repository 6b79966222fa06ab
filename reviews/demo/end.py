"""The demo's end-of-term review (tổng kết nhiệm kỳ 2020–2025), opened and partly written through
the services as users would: the whole Bắc Kạn tree opened at the end stage, the province's own
indicators judged (so its end-of-term sentence prints), its end deadlines set, and three Chợ Mới
communes judged, their end reports written, sent (on time) and approved. The mid-term review is
not touched: its figures stay.

The end statuses are illustrative, drawn from the mid-term's by one fixed rule (`end_status`)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from indicators.models import Assessment, ChangeSource, Committee, Direction, Stage, Status, Term
from indicators.people import person_name
from indicators.results import with_suggestion
from indicators.services.assessments import AssessmentEdit, stage_open
from indicators.values import parse_number

from ..campaign.services import deadlines_set
from ..models import Review, ReviewAction, SolutionArea
from ..services import SolutionItem, review_assess, review_document_seed, review_step

# The communes whose end-of-term review is sent and approved, with their secretaries (campaign's).
COMMUNES = {"BK-CM-ML": "bithu.mailap", "BK-CM-HM": "bithu.hoamuc", "BK-CM-TM": "bithu.thanhmai"}
APPROVER = "vanphong.chomoi"
# The end review's deadlines, in days from the day the demo is loaded.
END_COMMUNE_DAYS, END_DISTRICT_DAYS = 45, 60
NARRATIVE = {
    "overall": "Hết nhiệm kỳ, Đảng bộ đã lãnh đạo hoàn thành phần lớn các chỉ tiêu Nghị quyết đề ra.",
    "shortcomings": "Một số chỉ tiêu về chăn nuôi và thu ngân sách chưa đạt.",
    "causes_objective": "Dịch bệnh và thiên tai ảnh hưởng đến sản xuất trong các năm 2021–2024.",
    "causes_subjective": "Việc huy động nguồn lực ở một số lĩnh vực chưa quyết liệt.",
    "tasks": "Bàn giao kết quả, đề xuất mục tiêu cho nhiệm kỳ 2025–2030.",
}
LESSONS = ["Giữ vững đoàn kết, phát huy vai trò người đứng đầu trong cả nhiệm kỳ."]
SOLUTIONS = [
    SolutionItem(area=SolutionArea.SOCIO_ECONOMIC, text="Tiếp tục chuyển dịch cơ cấu kinh tế nông nghiệp.")
]
# A short reason where the end judgement needs one (not achieved, not assessable).
END_NOTE = "Đến hết nhiệm kỳ chưa hoàn thành mục tiêu đề ra."
OFF_NUMBERS_NOTE = "Đạt theo số liệu thống kê chính thức cả nhiệm kỳ, cao hơn số ước trong biểu."


def end_status(mid_status: str, position: int) -> tuple[str, bool]:
    """The demo's end judgement from the mid-term's: what was on track stays achieved, half of what
    was hard is achieved in the end (alternately), the rest as it was; no "hard" at the end."""
    if mid_status == Status.HARD:
        return (Status.ACHIEVED, False) if position % 2 == 0 else (Status.NOT_ACHIEVED, False)
    if mid_status in (Status.NOT_ASSESSED, Status.NOT_ASSESSABLE):
        return Status.ACHIEVED, False
    return mid_status, False


def _short_of_target(a: Assessment) -> bool:
    """Whether the value is a number on the wrong side of a numeric target (below it, or above it
    for an indicator meant to go down)."""
    value, target = parse_number(a.value), parse_number(a.indicator.target_in_force)
    if value is None or target is None:
        return False
    return value > target if a.indicator.direction == Direction.DOWN else value < target


def _judge(committee: Committee, by) -> None:
    """Every end assessment of the committee judged by `end_status`, in one service call."""
    mids = dict(
        Assessment.objects.filter(indicator__resolution__committee=committee, stage=Stage.MID).values_list(
            "indicator_id", "exceeded"
        )
    )
    edits = []
    rows = (
        Assessment.objects.filter(indicator__resolution__committee=committee, stage=Stage.END)
        .select_related("indicator__resolution__committee__term")  # with_suggestion reads them
        .order_by("indicator__resolution__number", "indicator__sort_key")
    )
    mid_status = dict(
        Assessment.objects.filter(indicator__resolution__committee=committee, stage=Stage.MID).values_list(
            "indicator_id", "status"
        )
    )
    for position, a in enumerate(rows):
        if a.status != Status.NOT_ASSESSED:
            continue  # judged already (a second load changes nothing)
        was = mid_status.get(a.indicator_id, Status.NOT_ASSESSED)
        status, _ = end_status(was, position)
        exceeded = status == Status.ACHIEVED and mids.get(a.indicator_id, False)
        if status != was:
            a.note = ""  # judged anew at the end: the mid-term's reason ("khó đạt …") no longer fits
        if status == Status.ACHIEVED and _short_of_target(a):
            # Achieved at the end: the value reached the target, whatever it was at mid-term.
            a.value = a.indicator.target_in_force
            with_suggestion(a)
        # A reason wherever one is needed to send: not achieved, or a status the numbers do not support.
        needs_note = status != Status.ACHIEVED or (a.suggested_status and a.suggested_status != status)
        note = a.note or (END_NOTE if status != Status.ACHIEVED else OFF_NUMBERS_NOTE if needs_note else "")
        edits.append(
            AssessmentEdit(assessment_id=a.pk, status=status, value=a.value, note=note, exceeded=exceeded)
        )
    if edits:
        # The demo writes them (source "system"), as it writes the mid-term figures, whoever signs.
        review_assess(committee=committee, edits=edits, by=by, source=ChangeSource.SYSTEM, stage=Stage.END)


def load(*, term: Term) -> bool:
    """Open and write the demo's end review unless it is open already (then users carry on)."""
    province = Committee.objects.select_related("term").filter(term=term, code="BK").first()
    if province is None or Review.objects.filter(committee__term=term, stage=Stage.END).exists():
        return False
    stage_open(committee=province, stage=Stage.END)
    province.refresh_from_db()
    # The end review's own deadlines, set by the province: weeks away, so no reminder is due yet
    # and the mid-term campaign's reminders and figures stay as they are.
    today = timezone.localdate()
    deadlines_set(
        committee=province,
        levels={
            "district": today + timedelta(days=END_DISTRICT_DAYS),
            "commune": today + timedelta(days=END_COMMUNE_DAYS),
        },
        by=None,
        stage=Stage.END,
    )
    _judge(province, None)
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=[*COMMUNES.values(), APPROVER])
    }
    by_code = {
        c.code: c
        for c in Committee.objects.filter(term=term, code__in=COMMUNES).select_related("term", "parent")
    }
    if len(users) < len(COMMUNES) + 1:
        return True  # loaded without accounts: nobody to send or approve the communes' reports
    day = timezone.localdate() - timedelta(days=1)
    for number, (code, username) in enumerate(COMMUNES.items(), start=71):
        committee, secretary = by_code[code], users[username]
        _judge(committee, secretary)
        review_document_seed(
            committee=committee,
            fields={
                "document_number": f"{number}-BC/ĐU",
                "document_date": day,
                "place": "Chợ Mới",
                "signer_title": "Bí thư",
                "signer_name": person_name(secretary),
                **NARRATIVE,
            },
            lessons=LESSONS,
            solutions=SOLUTIONS,
            stage=Stage.END,
        )
        review_step(committee=committee, step=ReviewAction.SUBMIT, by=secretary, stage=Stage.END)
        review_step(committee=committee, step=ReviewAction.APPROVE, by=users[APPROVER], stage=Stage.END)
    return True
