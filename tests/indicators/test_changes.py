"""History rows read as lines a person understands, never as raw JSON."""

from indicators.changes import ChangeLine, content_lines, results_lines
from indicators.models import Indicator, Resolution


def test_results_lines_name_each_changed_year_the_baseline_and_the_forecast():
    old = {"baseline": "3", "years": {"2021": {"value": "4,1", "estimate": False}}, "forecast": ""}
    new = {
        "baseline": "3",
        "years": {"2021": {"value": "4,1", "estimate": False}, "2022": {"value": "4,5", "estimate": True}},
        "forecast": "6",
    }
    assert results_lines(old, new) == [
        ChangeLine("Năm 2022", "", "4,5 (ước)"),
        ChangeLine("Dự báo cuối kỳ", "", "6"),
    ]


def test_an_estimate_made_actual_with_the_same_figure_is_a_change():
    old = {"years": {"2022": {"value": "4,5", "estimate": True}}}
    new = {"years": {"2022": {"value": "4,5", "estimate": False}}}
    assert results_lines(old, new) == [ChangeLine("Năm 2022", "4,5 (ước)", "4,5")]


def test_a_changed_baseline_and_a_removed_year_are_lines_and_no_change_is_none():
    old = {"baseline": "1", "years": {"2021": {"value": "2", "estimate": False}}}
    new = {"baseline": "1,5", "years": {}}
    assert results_lines(old, new) == [ChangeLine("Đầu kỳ", "1", "1,5"), ChangeLine("Năm 2021", "2", "")]
    assert results_lines(None, None) == []
    assert results_lines(old, old) == []


def test_content_lines_use_field_labels_and_choice_names():
    lines = content_lines(
        Indicator, {"target": "1", "field": "economy"}, {"target": "2", "field": "party_building"}
    )
    assert lines == [
        ChangeLine("Mục tiêu", "1", "2"),
        ChangeLine("Lĩnh vực", "Kinh tế", "Xây dựng Đảng và hệ thống chính trị"),
    ]


def test_content_lines_of_a_creation_list_every_field_and_a_removed_field_by_name():
    assert content_lines(Resolution, None, {"number": "16-NQ/ĐH", "kind": "congress"}) == [
        ChangeLine("Số nghị quyết", "", "16-NQ/ĐH"),
        ChangeLine("Loại nghị quyết", "", "Đại hội"),
    ]
    assert content_lines(Indicator, {"gone": "x"}, {"gone": "y"}) == [ChangeLine("gone", "x", "y")]


def test_a_target_and_its_adjustment_read_as_one_line():
    decision = "15-NQ/TU ngày 10/3/2022"
    old = {"target_adjusted": "", "target_adjusted_by": ""}
    new = {"target_adjusted": "6", "target_adjusted_by": decision}
    assert content_lines(Indicator, old, new) == [
        ChangeLine("Mục tiêu", "không điều chỉnh", f"điều chỉnh: 6 theo {decision}")
    ]
    created = content_lines(Indicator, None, {"number": "1", "target": "7,5 – 8", "target_adjusted": ""})
    assert created == [ChangeLine("STT", "", "1"), ChangeLine("Mục tiêu", "", "7,5 – 8")]


def test_a_creation_shows_no_empty_line_and_the_group_by_its_label():
    """An indicator created on its own stores part_of "": no "part_of: — → —" line; moved into a
    group, the line is labelled, not the key."""
    assert content_lines(Indicator, None, {"number": "3", "part_of": ""}) == [ChangeLine("STT", "", "3")]
    assert content_lines(Indicator, {"part_of": ""}, {"part_of": "5"}) == [
        ChangeLine("Thuộc nhóm chỉ tiêu", "", "5")
    ]
