"""The machine's speed beside the bench's and the load test's figures (harness/yardstick.py)."""

import pytest

from harness.yardstick import yardstick_ms


def test_the_yardstick_is_the_best_round_in_milliseconds(monkeypatch):
    """The least disturbed round stands for the machine: rounds of 0.3, 0.1 and 0.2 s read 100 ms."""
    clock = iter([10.0, 10.3, 20.0, 20.1, 30.0, 30.2])
    monkeypatch.setattr("harness.yardstick.time.process_time", lambda: next(clock))
    assert yardstick_ms(rounds=3, loops=10) == pytest.approx(100.0)


def test_the_yardstick_grows_with_the_work_it_times():
    assert yardstick_ms(rounds=1, loops=2_000_000) > yardstick_ms(rounds=1, loops=20_000)
