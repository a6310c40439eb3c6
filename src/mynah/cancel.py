"""Cancellation of work that runs in a worker thread: a token the caller sets, checked by the work.

    token = CancelToken()
    with cancellable(token):               # in the worker thread, around the work
        for item in checked(items): ...    # raises Cancelled between items once token.cancel() ran

The server sets the token when the client disconnects (`mynah.server.disconnect`); the transcription
pipeline checks it between blocks and windows (`check_cancelled`), and an engine that yields its
output piece by piece (faster-whisper's segments) between pieces (`checked`). Outside a
`cancellable` block the checks do nothing.

A token may also carry a time budget: `CancelToken(budget=Budget(600, "MYNAH_STT__MAX_WORK_SECONDS"))`
raises `OverBudget` (413, naming the setting) at the first check after that many seconds, so work
that runs too long stops the same way as work nobody waits for. `token.within(items)` checks before
each item without a `cancellable` block (a render pulled piece by piece from several threads).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from mynah.errors import Cancelled, OverBudget

__all__ = ["Budget", "CancelToken", "cancellable", "check_cancelled", "checked"]

T = TypeVar("T")


@dataclass(frozen=True)
class Budget:
    """Seconds of wall time the work may take (from the token's making), and the setting that says so."""

    seconds: float
    setting: str
    what: str = "the work"


class CancelToken:
    """Set once, from any thread; `check()` raises `Cancelled` from then on, or `OverBudget` once the
    token's time budget is spent."""

    def __init__(self, *, budget: Budget | None = None) -> None:
        self._event = threading.Event()
        self.reason = "the client disconnected; the work was stopped"
        self.budget = budget
        self._deadline = time.monotonic() + budget.seconds if budget is not None else None

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
        if self._deadline is not None and time.monotonic() >= self._deadline:
            assert self.budget is not None
            raise OverBudget(
                f"{self.budget.what} took longer than its budget of {self.budget.seconds:g} s and was "
                f"stopped ({self.budget.setting}); submit it as a job (/v1/mynah/jobs) to let it run",
                code="time_budget_exceeded",
            )

    def within(self, items: Iterable[T]) -> Iterator[T]:
        """`items`, checking this token before each one is produced."""
        iterator = iter(items)
        try:
            while True:
                self.check()
                try:
                    item = next(iterator)
                except StopIteration:
                    return
                yield item
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()


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
