"""Admission control: a bounded queue per kind of work, so overload is refused, not absorbed.

    gates = Admissions.from_settings(settings.server.admission)     # one per app
    async with gates.speech.slot():                                  # waits, or raises Overloaded
        ...the work...

    ticket = await gates.transcription.enter()                       # the same, held across a stream
    ...
    ticket.leave()

Each kind (speech, transcription) has `slots` requests running at once and at most `queue` more
waiting, each at most `wait` seconds; a request that finds the queue full, whose wait would be longer
(from the recent average time per request), or that waited too long, gets
`Overloaded` — a 503 with `Retry-After` (the seconds the work ahead should take, from the recent
average). Kinds do not share slots, so a burst of transcriptions never starves speech, and the
CPU-bound work in worker threads is bounded, which keeps the event loop (and /health) responsive.

When the last slot of every kind is released, freed memory is handed back to the system
(`malloc_trim`, glibc only), so resident memory returns to its baseline after a burst; the number of
malloc arenas is capped (`MALLOC_ARENAS`) so freed memory is not stranded across worker threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import functools
import logging
import math
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

import anyio
from starlette.concurrency import run_in_threadpool

from mynah.config import AdmissionSettings
from mynah.errors import Overloaded

__all__ = ["WORKER_NICENESS", "Admission", "Admissions", "Ticket", "in_worker"]

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")


WORKER_NICENESS = 5
"""How much lower than the event loop's the scheduling priority of a thread doing engine work is,
so that on a busy machine the loop (and /health) gets the CPU first when it has something to do."""

_lowered = threading.local()


def in_worker(fn: Callable[P, T]) -> Callable[P, T]:
    """`fn` for a worker thread: the thread's priority lowered first (once per thread, Linux)."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        if not getattr(_lowered, "done", False):
            _lowered.done = True
            with contextlib.suppress(AttributeError, OSError):  # not Linux, or not allowed
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICENESS)
        return fn(*args, **kwargs)

    return run


class Ticket:
    """A held slot; `leave()` gives it back (once; later calls do nothing)."""

    def __init__(self, admission: Admission) -> None:
        self._admission = admission
        self._started = time.monotonic()
        self._left = False

    def leave(self) -> None:
        if not self._left:
            self._left = True
            self._admission._release(time.monotonic() - self._started)


class Admission:
    """One kind of work's slots and queue (see the module docstring)."""

    def __init__(
        self, kind: str, *, slots: int, queue: int, wait: float, on_idle: Idle | None = None
    ) -> None:
        self.kind = kind
        self.slots = slots
        self.queue = queue
        self.wait = wait
        self.running = 0
        self.waiting = 0
        self._semaphore = anyio.Semaphore(slots)
        self._average = 1.0
        """Seconds one piece of work takes, as a moving average."""
        self._on_idle = on_idle

    def retry_after(self) -> int:
        """Seconds until a slot is likely free: the work running and queued, shared by the slots."""
        ahead = self.running + self.waiting
        return max(1, math.ceil(self._average * ahead / self.slots))

    async def enter(self) -> Ticket:
        if self._semaphore.value == 0:
            if self.waiting >= self.queue:
                raise self._overloaded(f"{self.running} running and {self.waiting} waiting")
            expected = self._average * (self.waiting + 1) / self.slots
            if expected > self.wait:  # it would wait longer than allowed: say so now, not later
                raise self._overloaded(f"the wait would be about {expected:.0f} s")
        self.waiting += 1
        try:
            with anyio.fail_after(self.wait):
                await self._semaphore.acquire()
        except TimeoutError:
            raise self._overloaded(f"waited {self.wait:g} s for a slot") from None
        finally:
            self.waiting -= 1
        self.running += 1
        return Ticket(self)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[Ticket]:
        ticket = await self.enter()
        try:
            yield ticket
        finally:
            ticket.leave()

    def _release(self, seconds: float) -> None:
        self.running -= 1
        self._average = 0.8 * self._average + 0.2 * seconds
        self._semaphore.release()
        if self._on_idle is not None and self.running == 0 and self.waiting == 0:
            self._on_idle.check()

    def _overloaded(self, why: str) -> Overloaded:
        retry = self.retry_after()
        log.warning("%s refused: %s (queue of %d)", self.kind, why, self.queue)
        return Overloaded(
            f"the server is busy with {self.kind} ({why}); retry in {retry} s "
            f"(MYNAH_SERVER__ADMISSION__{self.kind.upper()}_SLOTS / _QUEUE)",
            retry_after=retry,
        )


_M_ARENA_MAX = -8
MALLOC_ARENAS = 2
"""glibc's arenas (malloc_trim / mallopt: glibc only). By default each worker thread may get an
arena of its own (up to 8 per core) and memory freed in one stays there; two keep the heap compact."""


class Idle:
    """Hands freed heap back to the system once every kind is idle (at most every 5 s)."""

    def __init__(self) -> None:
        self.admissions: list[Admission] = []
        self._last = 0.0
        path = ctypes.util.find_library("c")
        libc = ctypes.CDLL(path) if path else None
        self._trim = getattr(libc, "malloc_trim", None) if libc is not None else None
        self._task: asyncio.Task[object] | None = None
        self._pending: asyncio.TimerHandle | None = None
        mallopt = getattr(libc, "mallopt", None) if libc is not None else None
        if mallopt is not None:  # few malloc arenas: less memory stranded between worker threads
            mallopt(_M_ARENA_MAX, MALLOC_ARENAS)

    def check(self) -> None:
        """Called when a kind went idle: trim now if every kind is idle, or once 5 s have passed
        since the last trim (a burst ending right after one still gets its trim)."""
        if self._trim is None or any(a.running or a.waiting for a in self.admissions):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not on the event loop: trim here
            self._trim(0)
            return
        wait = self._last + 5.0 - time.monotonic()
        if wait > 0:
            if self._pending is None:
                self._pending = loop.call_later(wait, self._later)
            return
        self._last = time.monotonic()
        self._task = loop.create_task(run_in_threadpool(self._trim, 0))

    def _later(self) -> None:
        self._pending = None
        self.check()


@dataclass(frozen=True)
class Admissions:
    speech: Admission
    transcription: Admission

    @classmethod
    def from_settings(cls, settings: AdmissionSettings) -> Admissions:
        idle = Idle()
        speech = Admission(
            "speech",
            slots=settings.speech_slots,
            queue=settings.speech_queue,
            wait=settings.speech_wait,
            on_idle=idle,
        )
        transcription = Admission(
            "transcription",
            slots=settings.transcription_slots,
            queue=settings.transcription_queue,
            wait=settings.transcription_wait,
            on_idle=idle,
        )
        idle.admissions = [speech, transcription]
        return cls(speech, transcription)
