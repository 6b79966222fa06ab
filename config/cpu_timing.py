"""CPU_TIMING=1: every answer carries `X-Cpu-Ms`, the CPU milliseconds the app spent on it.

For the load test (loadtest/run.py), which writes the header into gunicorn's access log and sums
it by request kind: the web workers' total CPU says how much a request costs on average, this says
which kind costs it. Measured with the thread's own CPU clock (right under gunicorn's sync and
threaded workers alike), from the moment the request reaches Django to the moment the response
starts (Django has then built the whole body); gunicorn's own parsing and logging are outside it.
Off by default: it tells anyone who asks how busy the server is."""

import time
from collections.abc import Callable, Iterable
from typing import Any

HEADER = "X-Cpu-Ms"


def timed(application: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.thread_time()

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            used = (time.thread_time() - started) * 1000
            return start_response(status, [*headers, (HEADER, f"{used:.1f}")], exc_info)

        return application(environ, start)

    return app
