import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.labels import REAL_LABELS, UnknownLabel, read_status, status_label
from indicators.models import Status


@pytest.mark.parametrize(("label", "reading"), REAL_LABELS.items())
def test_every_label_of_domain_md_is_read_in_any_case_and_spacing(label, reading):
    for written in (label, label.upper(), f"  {label.title()}  ", label.replace(" ", "\u00a0 ")):
        got = read_status(written)
        assert (got.status, got.exceeded) == reading


def test_a_status_own_name_is_canonical_and_says_nothing_more():
    for status in Status:
        assert read_status(str(status.label)).read_from == ""
        assert read_status(status.value).status == status
    assert read_status("Cannot yet be assessed").status == Status.NOT_ASSESSABLE
    assert read_status("đạt 100%").read_from == "đạt 100%"


def test_any_other_label_is_refused_listing_the_accepted_words_never_guessed():
    with pytest.raises(UnknownLabel) as refused:
        read_status("phấn đấu đạt")
    message = str(refused.value)
    assert "“phấn đấu đạt”" in message
    assert all(
        label in message for label in ("Đạt và vượt", "Chưa thể đánh giá", "vượt kế hoạch", "chưa có số liệu")
    )


@given(st.text(max_size=40))
def test_any_text_is_read_or_refused_never_crashes(text):
    try:
        reading = read_status(text)
    except UnknownLabel:
        return
    assert reading.status in Status


def test_the_exceeded_mark_is_shown_only_on_achieved():
    assert status_label("achieved", exceeded=True) == "Đạt và vượt (vượt)"
    assert status_label("hard", exceeded=True) == "Khó đạt"
