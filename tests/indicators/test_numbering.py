from hypothesis import given
from hypothesis import strategies as st

from indicators.numbering import number_sort_key


def test_numbers_sort_as_people_read_them():
    numbers = ["10", "2", "1", "2.10", "2.3", "1.1", "3a", "3"]
    assert sorted(numbers, key=number_sort_key) == ["1", "1.1", "2", "2.3", "2.10", "3", "3a", "10"]


@given(
    st.lists(st.integers(0, 9999), min_size=1, max_size=4),
    st.lists(st.integers(0, 9999), min_size=1, max_size=4),
)
def test_dotted_numbers_order_like_tuples(a, b):
    ka = number_sort_key(".".join(map(str, a)))
    kb = number_sort_key(".".join(map(str, b)))
    assert (ka < kb) == (tuple(a) < tuple(b))
