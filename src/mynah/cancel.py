"""Cancellation of work that runs in a worker thread: a token the caller sets, checked by the work.

    token = CancelToken()
    with cancellable(token):               # in the worker thread, around the work
        for item in checked(items): ...    # raises Cancelled between items once token.cancel() ran

The server sets the token when the client disconnects (`mynah.server.disconnect`); the transcription
pipeline checks it between blocks and windows (`check_cancelled`), and an engine that yields its
output piece by piece (faster-whisper's segments) between pieces (`checked`). Outside a
`cancellable` block the checks do nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from mynah.errors import Cancelled

__all__ = ["CancelToken", "cancellable", "check_cancelled", "checked"]

T = TypeVar("T")


class CancelToken:
    """Set once, from any thread; `check()` raises `Cancelled` from then on."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason = "the client disconnected; the work was stopped"

    def cancel(self, reason: str | None = None) -> None:
        if reason:
            self.reason = reason
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled(self.reason)


_current: ContextVar[CancelToken | None] = ContextVar("mynah_cancel_token", default=None)


@contextmanager
def cancellable(token: CancelToken) -> Iterator[CancelToken]:
    """Make `token` the one `check_cancelled` and `checked` see in this thread (context)."""
    reset = _current.set(token)
    try:
        yield token
    finally:
        _current.reset(reset)


def check_cancelled() -> None:
    """Raise `Cancelled` if the current work was cancelled; nothing outside `cancellable`."""
    token = _current.get()
    if token is not None:
        token.check()


def checked(items: Iterable[T]) -> Iterator[T]:
    """`items`, checking for cancellation before each one is produced."""
    iterator = iter(items)
    while True:
        check_cancelled()
        try:
            item = next(iterator)
        except StopIteration:
            return
        yield item
