"""The machine's speed, printed beside the speed figures of `make bench` and `make loadtest`."""

import time


def yardstick_ms(*, rounds: int = 5, loops: int = 1_000_000) -> float:
    """The machine's speed just now: the best of `rounds` CPU times (ms) of one fixed pure-Python
    loop. This VM's speed moves from day to day (the same code read 12.3 ms of web CPU a request
    one day and 18-21 the next); the figure tells a slower machine from a slower app. The best
    round, as the machine is then least disturbed. It was the load generator's CPU until that
    got cheaper (loadtest/browser.py). Printed by `make loadtest` and `make bench`."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        total = 0
        for i in range(loops):
            total += i * i
        best = min(best, time.process_time() - start)
    return best * 1000
