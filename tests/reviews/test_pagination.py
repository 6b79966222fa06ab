"""Paged tables take any `?page=` and `?per_page=` without an error (reviews.pagination)."""

import pytest

from reviews.pagination import MAX_PER_PAGE, ClampedPaginator


@pytest.mark.parametrize(
    ("per_page", "page", "expected_size", "expected_number"),
    [
        (-1, 1, 1, 1),
        (-5, 1, 1, 1),
        (0, 1, 1, 1),
        (10**12, 1, MAX_PER_PAGE, 1),
        ("x", 1, MAX_PER_PAGE, 1),
        (50, 999999, 50, 9),  # 450 rows of 50: the last page
        (50, -3, 50, 1),
        (50, 0, 50, 1),
        (50, "abc", 50, 1),
        (50, "9" * 5000, 50, 1),  # too many digits for int(): not a number
        (50, 2, 50, 2),
    ],
)
def test_clamped_paginator_always_gives_a_page(per_page, page, expected_size, expected_number):
    paginator = ClampedPaginator(list(range(450)), per_page)
    shown = paginator.page(page)
    assert paginator.per_page == expected_size
    assert shown.number == expected_number
    assert len(shown.object_list) == min(expected_size, 450 - (expected_number - 1) * expected_size)


@pytest.fixture
def long_trouble_list(client, tree, make_user, make_indicators):
    make_indicators(tree["P-D1-C1"], ["hard"] * 60, number="02-NQ/ĐH")
    client.force_login(make_user("province", tree["P"], role="viewer"))
    return client


def rows(response) -> int:
    return len(response.context["table"].page.object_list)


@pytest.mark.parametrize(
    ("query", "expected_rows", "expected_page"),
    [
        ("per_page=-1", 1, 1),
        ("per_page=-5", 1, 1),
        ("per_page=0", 25, 1),  # 0 is "unset" to django-tables2: its default size
        ("page=999999", 67 - 50, 2),  # 60 + 7 troubled indicators in the tree
        ("page=-2", 50, 1),
        ("per_page=100000", 67, 1),
        ("per_page=10&page=3", 10, 3),
        ("page=abc&per_page=abc", 50, 1),
    ],
)
def test_trouble_page_clamps_page_size_and_number(long_trouble_list, query, expected_rows, expected_page):
    response = long_trouble_list.get(f"/committees/P/trouble/?{query}")
    assert response.status_code == 200
    assert rows(response) == expected_rows
    assert response.context["table"].page.number == expected_page
