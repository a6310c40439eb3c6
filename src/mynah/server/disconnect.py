"""Work in a worker thread that stops when its HTTP client goes away.

`run_until_disconnect(receive, fn, *args)` runs `fn(*args)` in the thread pool while it listens on
`receive` (the request's body must be read already): when the client disconnects, the work's
`CancelToken` is set and the work raises `Cancelled` at its next check (`mynah.cancel`), so a
transcription nobody waits for stops within one block or window instead of running to the end.
With `budget`, the work also stops (`OverBudget`, a 413) at its first check past that many seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive

from mynah.cancel import Budget, CancelToken, cancellable
from mynah.errors import Cancelled
from mynah.priority import in_worker

__all__ = ["run_until_disconnect"]

log = logging.getLogger(__name__)
T = TypeVar("T")


async def run_until_disconnect(
    receive: Receive, fn: Callable[..., T], *args: object, budget: Budget | None = None
) -> T:
    token = CancelToken(budget=budget)

    async def watch() -> None:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                log.info("client disconnected: cancelling %s", getattr(fn, "__name__", "work"))
                token.cancel()
                return

    def work() -> T:
        with cancellable(token):
            return fn(*args)

    results: list[T] = []
    failures: list[Exception] = []

    async def run() -> None:
        try:
            results.append(await run_in_threadpool(in_worker(work)))
        except Exception as exc:  # raised below, as itself (not inside a task group's ExceptionGroup)
            if isinstance(exc, Cancelled):
                log.info("cancelled work stopped: %s", exc.message)
            failures.append(exc)
        finally:
            group.cancel_scope.cancel()  # stop listening

    async with anyio.create_task_group() as group:
        group.start_soon(watch)
        group.start_soon(run)
    if failures:
        raise failures[0]
    return results[0]
