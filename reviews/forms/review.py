"""The review editor's form: heading, narrative, and the two lists as one textarea per list.

Why textareas and not a formset: a secretary drafts the report in Word and pastes it. One item per
line pastes in one go, needs no JavaScript, no "add row" round trips and no hidden management
fields an old browser's autofill can break; reordering is moving a line. Solution groups get one
textarea per area, so the area is chosen by where a line is pasted, not by a select per row."""

import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from config.forms import TextField

from ..models import (
    DOCUMENT_FIELDS,
    MAX_DOCUMENT_CHARS,
    MAX_ITEM_CHARS,
    MAX_LIST_ITEMS,
    MAX_NARRATIVE_CHARS,
    SolutionArea,
    document_chars,
)
from ..selectors import REQUIRED_TO_SEND, ReviewDocument
from ..services import SolutionItem

# "1.", "2)", "a)", "-", "+", "•" at the start of a pasted line: the report numbers items itself.
_LEADING_MARK = re.compile(r"^\s*(?:\d{1,3}\s*[.)/:-]|[a-zđ]\)|[-–—•+*])\s*", re.IGNORECASE)

SOLUTION_FIELD = {area: f"solutions_{area}" for area in SolutionArea.values}

_SOLUTION_LABELS: dict[str, StrOrPromise] = {
    SolutionArea.SOCIO_ECONOMIC: _("Nhóm giải pháp về phát triển kinh tế – xã hội"),
    SolutionArea.DEFENCE_SECURITY: _("Nhóm giải pháp về quốc phòng – an ninh"),
    SolutionArea.ADMINISTRATIVE_REFORM: _("Nhóm giải pháp về cải cách hành chính"),
    SolutionArea.PARTY_BUILDING: _("Nhóm giải pháp về xây dựng Đảng và hệ thống chính trị"),
}

_LIST_HELP = _("Mỗi dòng một mục. Không cần gõ số thứ tự: báo cáo tự đánh số và tự đếm.")
_PARAGRAPH_HELP = _("Văn bản thường; để một dòng trống giữa hai đoạn.")


def split_items(text: str) -> list[str]:
    """One item per non-empty line, without the numbering a pasted list brings along."""
    items = []
    for line in text.splitlines():
        item = _LEADING_MARK.sub("", line, count=1).strip()
        if item:
            items.append(item)
    return items


def _narrative(label, help_text=_PARAGRAPH_HELP, rows=8):
    return TextField(
        label=label,
        required=False,
        max_length=MAX_NARRATIVE_CHARS,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _list_field(label, rows=6):
    # The items are counted and measured in clean(); this only bounds what is read at all.
    return TextField(
        label=label,
        required=False,
        max_length=MAX_DOCUMENT_CHARS,
        help_text=_LIST_HELP,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReviewDocumentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    document_number = TextField(
        label=_("Số văn bản"),
        required=False,
        max_length=60,
        help_text=_("Ví dụ: 125-BC/TU, hoặc chỉ số 125. Để trống khi còn là dự thảo."),
    )
    place = TextField(
        label=_("Địa danh"),
        required=False,
        max_length=100,
        help_text=_("Để trống thì dùng tên địa phương của đơn vị."),
    )
    document_date = forms.DateField(
        label=_("Ngày văn bản"),
        required=False,
        input_formats=["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"],
        help_text=_("Dạng ngày/tháng/năm, ví dụ 15/6/2023."),
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric", "placeholder": "15/6/2023"}),
    )
    signer_title = TextField(
        label=_("Chức vụ người ký"), required=False, max_length=120, help_text=_("Ví dụ: BÍ THƯ.")
    )
    signer_name = TextField(label=_("Họ tên người ký"), required=False, max_length=120)
    recipients = TextField(
        label=_("Nơi nhận"),
        required=False,
        max_length=2000,
        help_text=_("Mỗi dòng một nơi nhận, ví dụ: Ban Thường vụ Tỉnh ủy (b/c)."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    overall = _narrative(_("Đánh giá chung kết quả thực hiện Nghị quyết"), rows=10)
    shortcomings = _narrative(_("Tồn tại, hạn chế"))
    causes_objective = _narrative(_("Nguyên nhân khách quan"), rows=5)
    causes_subjective = _narrative(_("Nguyên nhân chủ quan"), rows=5)
    lessons = _list_field(_("Bài học kinh nghiệm"), rows=8)
    tasks = _narrative(_("Nhiệm vụ trọng tâm nửa cuối nhiệm kỳ"), rows=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for area, name in SOLUTION_FIELD.items():
            self.fields[name] = _list_field(_SOLUTION_LABELS[area])
        # Saving a draft needs none of them; sending does (reviews.selectors.review_checklist):
        # the editor says so beside each one, not only in the checklist.
        for name in REQUIRED_TO_SEND:
            field = self.fields[name]
            field.label = format_lazy("{label} {mark}", label=field.label, mark=_("(cần có để gửi)"))
            field.widget.attrs["aria-required"] = "true"

    @classmethod
    def initial_for(cls, document: ReviewDocument) -> dict:
        review = document.review
        initial = {name: getattr(review, name) for name in DOCUMENT_FIELDS}
        initial["version"] = review.version
        initial["lessons"] = "\n".join(lesson.text for lesson in document.lessons)
        for area, name in SOLUTION_FIELD.items():
            initial[name] = "\n".join(s.text for s in document.solutions if s.area == area)
        return initial

    def _clean_list(self, name: str) -> list[str]:
        items = split_items(self.cleaned_data.get(name, ""))
        if len(items) > MAX_LIST_ITEMS:
            raise forms.ValidationError(
                _("Tối đa %(max)d mục (hiện có %(n)d)."),
                code="too_many",
                params={"max": MAX_LIST_ITEMS, "n": len(items)},
            )
        for i, item in enumerate(items, start=1):
            if len(item) > MAX_ITEM_CHARS:
                raise forms.ValidationError(
                    _("Mục %(i)d dài quá %(max)d ký tự; hãy tách thành nhiều mục."),
                    code="too_long",
                    params={"i": i, "max": MAX_ITEM_CHARS},
                )
        return items

    def clean_lessons(self):
        return self._clean_list("lessons")

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        solutions: list[SolutionItem] = []
        for area, name in SOLUTION_FIELD.items():
            try:
                items = self._clean_list(name)
            except forms.ValidationError as error:
                self.add_error(name, error)
                continue
            solutions += [SolutionItem(area=area, text=text) for text in items]
        if len(solutions) > MAX_LIST_ITEMS:
            raise forms.ValidationError(
                _("Tối đa %(max)d nhóm giải pháp."), code="too_many", params={"max": MAX_LIST_ITEMS}
            )
        cleaned["solutions"] = solutions
        lessons = cleaned.get("lessons") or []
        size = document_chars(fields=cleaned, lessons=lessons, solutions=solutions)
        if size > MAX_DOCUMENT_CHARS:
            raise forms.ValidationError(
                _("Báo cáo dài %(n)s ký tự, vượt giới hạn %(max)s ký tự (khoảng 40 trang). Hãy rút gọn."),
                code="too_long",
                params={
                    "n": f"{size:,}".replace(",", "."),
                    "max": f"{MAX_DOCUMENT_CHARS:,}".replace(",", "."),
                },
            )
        return cleaned

    def document_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in DOCUMENT_FIELDS}
