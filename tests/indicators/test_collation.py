"""Vietnamese alphabetical order of names."""

from indicators.collation import vietnamese_key


def test_names_sort_as_a_vietnamese_reader_expects():
    names = [
        "Đồng Thắng",
        "Yên Cư",
        "Đại Sảo",
        "Bằng Vân",
        "Đồng Lạc",
        "Ba Bể",
        "Bạch Thông",
        "Âu Cơ",
        "An Thắng",
    ]
    assert sorted(names, key=vietnamese_key) == [
        "An Thắng",
        "Âu Cơ",
        "Ba Bể",
        "Bạch Thông",
        "Bằng Vân",
        "Đại Sảo",
        "Đồng Lạc",
        "Đồng Thắng",
        "Yên Cư",
    ]


def test_case_and_tones_break_ties_only_after_the_letters():
    assert sorted(["ma", "mà", "má", "mả", "mã", "mạ"], key=vietnamese_key) == [
        "ma",
        "mà",
        "mả",
        "mã",
        "má",
        "mạ",
    ]
    assert vietnamese_key("Xã") < vietnamese_key("xã b")
