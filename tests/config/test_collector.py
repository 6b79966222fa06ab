"""config.collector: a serving process's long-lived heap is frozen out of the collector's walks and
its youngest generation collected every YOUNG_THRESHOLD new objects."""

import gc
import weakref

import pytest

from config.collector import YOUNG_THRESHOLD, tune_for_serving


@pytest.fixture
def restored_collector():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_tuning_freezes_what_is_loaded_and_raises_only_the_young_threshold(restored_collector):
    gc.unfreeze()
    _young, middle, old = gc.get_threshold()
    tune_for_serving()
    assert gc.get_freeze_count() > 1000  # the loaded modules, at least
    assert gc.get_threshold() == (YOUNG_THRESHOLD, middle, old)


def test_garbage_cycles_made_after_tuning_are_still_collected(restored_collector):
    tune_for_serving()

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle only the collector frees
    gone = weakref.ref(a)
    del a, b
    assert gone() is not None  # not freed by reference counting
    gc.collect()
    assert gone() is None
