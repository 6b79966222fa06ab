"""reviews.tables_signature: django-tables2's signature read gives the same answer as before for
every kind of callable, and asks inspect once per function, not once per cell."""

import functools
from unittest import mock

from django_tables2 import utils

from reviews import tables_signature
from reviews.tables_signature import signature


class Column:
    def render(self, value, record):
        return value

    def render_all(self, **kwargs):
        return kwargs


def plain(value, *args, bound_row=None):
    return value


def test_installed_by_the_app():
    assert utils.signature is signature


def test_the_same_answer_as_django_tables2_for_methods_functions_and_other_callables():
    callables = [
        Column().render,
        Column().render_all,
        plain,
        lambda record: record,
        functools.partial(plain, 1),
        Column,
    ]
    for fn in callables:
        assert signature(fn) == tables_signature._asked(fn), fn
    assert signature(Column().render) == (("value", "record"), None)


def test_inspect_is_asked_once_per_function_whatever_the_instance():
    tables_signature._kept.clear()
    with mock.patch.object(tables_signature, "_asked", wraps=tables_signature._asked) as asked:
        for _ in range(3):
            signature(Column().render)
            signature(plain)
            signature(functools.partial(plain, 1))  # not a function: asked every time
    assert asked.call_count == 2 + 3


def test_the_kept_answers_are_bounded(monkeypatch):
    tables_signature._kept.clear()
    monkeypatch.setattr(tables_signature, "KEPT_AT_MOST", 3)
    made = [eval("lambda value: value") for _ in range(5)]  # noqa: S307 - fresh function objects
    for fn in made:
        signature(fn)
    assert len(tables_signature._kept) <= 3
