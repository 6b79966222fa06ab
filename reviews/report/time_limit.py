"""Run a slow, CPU-bound job (a PDF render) under a time limit, so it cannot hold a worker."""

import multiprocessing
import traceback


class RenderTimeout(Exception):
    """The job did not finish within its time limit; it has been killed."""

    def __init__(self, seconds: float):
        super().__init__(f"gave up after {seconds:g} s")
        self.seconds = seconds


class RenderFailed(Exception):
    """The job raised (or died) in its worker process."""


class DatabaseUsedInChild(RuntimeError):
    """The forked job tried to query: it would have spoken on the parent's socket."""


def _refuse_database(*args, **kwargs):
    raise DatabaseUsedInChild("a job run under a time limit must not use the database; pass it plain data")


_inherited: list = []


def _forget_parent_connections() -> None:
    """Drop, without closing, the database connections inherited from the parent, and refuse new
    ones. A query here would travel on the parent's socket and leave its connection broken (on
    PostgreSQL: "the connection is closed" at the parent's next query)."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        _inherited.append(conn.connection)  # kept alive: never finalised (closed) from this side
        conn.connection = None
    for conn in connections.all():
        conn.connect = _refuse_database  # type: ignore[method-assign]


def _child(send, fn, args, kwargs):
    try:
        _forget_parent_connections()
        result = (True, fn(*args, **kwargs))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        result = (False, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    try:
        send.send(result)
    except Exception as exc:  # the result could not be pickled
        send.send((False, f"unpicklable result: {exc}"))
    finally:
        send.close()


def call_with_time_limit(fn, /, *args, seconds: float, **kwargs):
    """`fn(*args, **kwargs)` in a forked process; its result, or RenderTimeout after `seconds`.

    A thread cannot be stopped, so a runaway render would keep burning the worker's CPU after
    the request gave up; a process can be killed. The child must not use the database (it
    shares the parent's connection socket): query first, pass plain data (e.g. the HTML) in,
    get bytes back. The child ends with os._exit, so it never closes the parent's connections.
    """
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(send, fn, args, kwargs), daemon=True)
    process.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise RenderTimeout(seconds)
        try:
            ok, payload = receive.recv()
        except EOFError:
            raise RenderFailed(f"worker process died (exit code {process.exitcode})") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receive.close()
    if not ok:
        raise RenderFailed(payload)
    return payload
