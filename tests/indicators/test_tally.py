import re
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from indicators.tally import Tally


def test_sentence_matches_the_provincial_report():
    assert Tally(achieved=54, hard=11, not_achieved=1).sentence() == (
        "54/66 chỉ tiêu có khả năng đạt và vượt; 11 chỉ tiêu khó đạt; 1 chỉ tiêu không đạt"
    )


def test_zero_later_parts_are_left_out_but_first_part_stays():
    assert Tally(achieved=18, not_achieved=2).sentence() == (
        "18/20 chỉ tiêu có khả năng đạt và vượt; 2 chỉ tiêu không đạt"
    )
    assert Tally(hard=20).sentence() == "0/20 chỉ tiêu có khả năng đạt và vượt; 20 chỉ tiêu khó đạt"
    assert Tally().sentence() == "0/0 chỉ tiêu có khả năng đạt và vượt"


def test_not_assessed_is_added_last():
    assert Tally(achieved=3, hard=1, not_assessed=2).sentence() == (
        "3/6 chỉ tiêu có khả năng đạt và vượt; 1 chỉ tiêu khó đạt; 2 chỉ tiêu chưa đánh giá"
    )


def test_sentence_in_english():
    from django.utils import translation

    with translation.override("en"):
        assert Tally(achieved=54, hard=11, not_achieved=1).sentence() == (
            "54/66 indicators achieved or on track; 11 hard to achieve; 1 not achieved"
        )


def test_lao_cai_the_exceeded_part_sits_inside_the_achieved_part():
    # Lào Cai 2015–2020: 25 indicators, 12 "vượt", 11 "đạt 100%", 2 "không đạt".
    lao_cai = Tally(achieved=23, exceeded=12, not_achieved=2)
    assert lao_cai.total == 25
    assert lao_cai.sentence() == (
        "23/25 chỉ tiêu có khả năng đạt và vượt (trong đó 12 chỉ tiêu vượt); 2 chỉ tiêu không đạt"
    )


def test_lao_cai_in_english():
    from django.utils import translation

    with translation.override("en"):
        assert Tally(achieved=23, exceeded=12, not_achieved=2).sentence() == (
            "23/25 indicators achieved or on track (12 exceeded); 2 not achieved"
        )
        assert Tally(achieved=1, exceeded=1, not_assessable=1).sentence() == (
            "1/2 indicators achieved or on track (1 exceeded); 1 cannot yet be assessed"
        )


def test_nghi_thu_without_exceeded_says_nothing_of_it():
    assert Tally(achieved=15, not_achieved=13).sentence() == (
        "15/28 chỉ tiêu có khả năng đạt và vượt; 13 chỉ tiêu không đạt"
    )


def test_not_assessable_comes_after_not_achieved_and_not_assessed_stays_last():
    tally = Tally(achieved=3, exceeded=1, hard=1, not_achieved=1, not_assessable=2, not_assessed=4)
    assert tally.total == 11
    assert tally.sentence() == (
        "3/11 chỉ tiêu có khả năng đạt và vượt (trong đó 1 chỉ tiêu vượt); 1 chỉ tiêu khó đạt; "
        "1 chỉ tiêu không đạt; 2 chỉ tiêu chưa thể đánh giá; 4 chỉ tiêu chưa đánh giá"
    )
    assert tally.as_dict() == {
        "total": 11,
        "achieved": 3,
        "hard": 1,
        "not_achieved": 1,
        "not_assessed": 4,
        "not_assessable": 2,
        "exceeded": 1,
    }


STATUSES = ["achieved", "exceeded", "hard", "not_achieved", "not_assessable", "not_assessed"]
# "exceeded" stands for an achieved indicator marked "vượt".
statuses = st.lists(st.sampled_from(STATUSES), max_size=300)


def _of(items: list[str]) -> Tally:
    counts = {status: items.count(status) for status in set(items)}
    counts["achieved"] = items.count("achieved") + items.count("exceeded")
    return Tally(**counts)  # type: ignore[arg-type]  # counts only; the stage keeps its default


@given(statuses, statuses)
def test_tallies_of_two_lists_add_up_to_the_tally_of_both(a, b):
    both = _of(a) + _of(b)
    assert both == _of(a + b)
    assert both.total == len(a) + len(b)
    assert both.as_dict()["total"] == len(a + b)


@given(statuses)
def test_the_sentence_reads_back_as_the_counts_it_was_made_from(items):
    """Every indicator is in exactly one part; a part appears exactly when its count is not 0."""
    sentence = _of(items).sentence()
    first, *rest = sentence.split("; ")
    achieved, total, exceeded = re.match(
        r"^(\d+)/(\d+) chỉ tiêu có khả năng đạt và vượt(?: \(trong đó (\d+) chỉ tiêu vượt\))?$", first
    ).groups()
    assert (int(achieved), int(total)) == (items.count("achieved") + items.count("exceeded"), len(items))
    assert int(exceeded or 0) == items.count("exceeded")
    assert (exceeded is None) == ("exceeded" not in items)
    achieved = int(achieved)
    words = {
        "khó đạt": "hard",
        "không đạt": "not_achieved",
        "chưa thể đánh giá": "not_assessable",
        "chưa đánh giá": "not_assessed",
    }
    shown = {}
    for part in rest:
        n, label = re.match(r"^(\d+) chỉ tiêu (.+)$", part).groups()
        shown[words[label]] = int(n)
    assert shown == {s: items.count(s) for s in words.values() if items.count(s)}
    assert list(shown) == [s for s in words.values() if s in shown]  # in domain.md's order
    assert achieved + sum(shown.values()) == int(total)


def test_adding_tallies_adds_each_count_to_its_own():
    assert Tally(1, 2, 3, 4, 5, 1) + Tally(10, 20, 30, 40, 50, 9) == Tally(
        achieved=11, hard=22, not_achieved=33, not_assessed=44, not_assessable=55, exceeded=10
    )


def test_a_committee_tally_reads_each_counter_into_its_own_status():
    committee = SimpleNamespace(
        n_achieved=1, n_hard=2, n_not_achieved=3, n_not_assessed=4, n_not_assessable=5, n_exceeded=6
    )
    assert Tally.of_committee(committee) == Tally(
        achieved=1, hard=2, not_achieved=3, not_assessed=4, not_assessable=5, exceeded=6
    )


def test_one_indicator_in_all_is_singular_in_english():
    from django.utils import translation

    with translation.override("en"):
        assert Tally(achieved=1).sentence() == "1/1 indicator achieved or on track"
        assert Tally(hard=1, not_assessed=1).sentence() == (
            "0/2 indicators achieved or on track; 1 hard to achieve; 1 not yet assessed"
        )


# ---- one rounding rule for every percentage -------------------------------------------------------


def test_percent_rounds_half_up_to_one_decimal():
    from decimal import Decimal

    from indicators.tally import percent

    assert percent(27, 32) == Decimal("84.4")  # 84.375: a truncating format said 84,3
    assert percent(1, 8) == Decimal("12.5")
    assert percent(1, 16) == Decimal("6.3")  # 6.25: half up, not half to even
    assert percent(1, 3) == Decimal("33.3")
    assert percent(0, 0) is None
    assert Tally(achieved=27, hard=5).percent_achieved == Decimal("84.4")


def test_percent_text_in_the_active_language():
    from django.utils import translation

    from indicators.tally import percent, percent_text

    with translation.override("vi"):
        assert percent_text(percent(27, 32)) == "84,4%"
    with translation.override("en"):
        assert percent_text(percent(27, 32)) == "84.4%"
    assert percent_text(None) == "—"
