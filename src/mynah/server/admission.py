"""Admission control: a bounded queue per kind of work, so overload is refused, not absorbed.

    gates = Admissions.from_settings(settings.server.admission)     # one per app
    async with gates.speech.slot():                                  # waits, or raises Overloaded
        ...the work...

    ticket = await gates.transcription.enter()                       # the same, held across a stream
    ...
    ticket.leave()

Each kind (speech, transcription) has `slots` requests running at once and at most `queue` more
waiting. How long one may wait adapts to how long the work takes: `wait_factor` times the median
time the last 32 requests held their slot (the service time), at least `wait_floor` and at most
`wait` seconds. A request that finds the queue full, whose expected wait (the service time times its
place in the queue, shared by the slots) is longer than that, or that waited that long, gets
`Overloaded` — a 503 with `Retry-After` (the seconds the work ahead should take). So a request that
is served waited at most about `wait_factor` service times: its latency stays a small multiple of
the service time however many clients pile up, and the excess is told at once to come back.
`wait_factor` 0 turns the adapting off (a fixed `wait`). Kinds do not share slots, so a burst of transcriptions never starves speech, and the
CPU-bound work in worker threads is bounded, which keeps the event loop (and /health) responsive
(the threads' priorities: `mynah.priority`).

When the last slot of every kind is released, freed memory is handed back to the system
(`mynah.heap`, glibc only), so resident memory returns to its baseline after a burst; the number of
malloc arenas is capped (`MALLOC_ARENAS`) so freed memory is not stranded across worker threads.
"""

from __future__ import annotations

import asyncio
import logging
import math
import statistics
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio
from starlette.concurrency import run_in_threadpool

from mynah import heap
from mynah.config import AdmissionSettings
from mynah.errors import Overloaded

__all__ = ["Admission", "Admissions", "Ticket"]

log = logging.getLogger(__name__)


SERVICE_WINDOW = 32
"""How many recent service times the median (`Admission.service_time`) is taken over."""


class Ticket:
    """A held slot; `leave()` gives it back (once; later calls do nothing)."""

    def __init__(self, admission: Admission) -> None:
        self._admission = admission
        self._started = admission.clock()
        self._left = False

    def leave(self) -> None:
        if not self._left:
            self._left = True
            self._admission._release(self._admission.clock() - self._started)


class Admission:
    """One kind of work's slots and queue (see the module docstring)."""

    def __init__(
        self,
        kind: str,
        *,
        slots: int,
        queue: int,
        wait: float,
        wait_factor: float = 0.0,
        wait_floor: float = 0.0,
        on_idle: Idle | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.kind = kind
        self.clock = clock
        """What service times are measured with."""
        self.slots = slots
        self.queue = queue
        self.wait = wait
        """The longest any request waits for a slot (the ceiling of `allowed_wait`)."""
        self.wait_factor = wait_factor
        """The wait allowed, in service times (0: no adapting; `wait` alone bounds it)."""
        self.wait_floor = wait_floor
        self.running = 0
        self.waiting = 0
        self._semaphore = anyio.Semaphore(slots)
        self._served: deque[float] = deque(maxlen=SERVICE_WINDOW)
        """Seconds each of the last pieces of work held its slot."""
        self._on_idle = on_idle

    def service_time(self) -> float:
        """The median of the recent service times (one second before anything was served)."""
        return statistics.median(self._served) if self._served else 1.0

    def allowed_wait(self) -> float:
        """The longest a request may wait for a slot now: `wait_factor` recent service times, at
        least `wait_floor`, at most `wait` (just `wait` when not adapting or nothing was served)."""
        if self.wait_factor <= 0 or not self._served:
            return self.wait
        return min(self.wait, max(self.wait_floor, self.wait_factor * self.service_time()))

    def retry_after(self) -> int:
        """Seconds until a slot is likely free: the work running and queued, shared by the slots."""
        ahead = self.running + self.waiting
        return max(1, math.ceil(self.service_time() * ahead / self.slots))

    async def enter(self) -> Ticket:
        allowed = self.allowed_wait()
        if self._semaphore.value == 0:
            if self.waiting >= self.queue:
                raise self._overloaded(f"{self.running} running and {self.waiting} waiting")
            expected = self.service_time() * (self.waiting + 1) / self.slots
            if expected > allowed:  # it would wait longer than allowed: say so now, not later
                raise self._overloaded(f"the wait would be about {expected:.1f} s, over {allowed:.1f} s")
        self.waiting += 1
        try:
            with anyio.fail_after(allowed):
                await self._semaphore.acquire()
        except TimeoutError:
            raise self._overloaded(f"waited {allowed:.1f} s for a slot") from None
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
        self._served.append(seconds)
        self._semaphore.release()
        if self._on_idle is not None and self.running == 0 and self.waiting == 0:
            self._on_idle.check()

    def _overloaded(self, why: str) -> Overloaded:
        retry = self.retry_after()
        log.warning("%s refused: %s (queue of %d)", self.kind, why, self.queue)
        return Overloaded(
            f"the server is busy with {self.kind} ({why}); retry in {retry} s "
            f"(MYNAH_SERVER__ADMISSION__{self.kind.upper()}_SLOTS / _QUEUE / _WAIT_FACTOR)",
            retry_after=retry,
        )


MALLOC_ARENAS = 2
"""glibc's arenas (`mynah.heap`). By default each worker thread may get an arena of its own (up to 8
per core) and memory freed in one stays there; two keep the heap compact."""


class Idle:
    """Hands freed heap back to the system once every kind is idle (at most every 5 s)."""

    def __init__(self) -> None:
        self.admissions: list[Admission] = []
        self._last = 0.0
        self._task: asyncio.Task[object] | None = None
        self._pending: asyncio.TimerHandle | None = None
        heap.cap_arenas(MALLOC_ARENAS)

    def check(self) -> None:
        """Called when a kind went idle: trim now if every kind is idle, or once 5 s have passed
        since the last trim (a burst ending right after one still gets its trim)."""
        if not heap.trims() or any(a.running or a.waiting for a in self.admissions):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not on the event loop: trim here
            heap.trim()
            return
        wait = self._last + 5.0 - time.monotonic()
        if wait > 0:
            if self._pending is None:
                self._pending = loop.call_later(wait, self._later)
            return
        self._last = time.monotonic()
        self._task = loop.create_task(self._trim_in_pool())

    async def _trim_in_pool(self) -> None:
        """The trim, in a worker thread (it walks the whole heap); a coroutine of mynah's own so a
        stack shows whose hop it is."""
        await run_in_threadpool(heap.trim)

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
            wait_factor=settings.speech_wait_factor,
            wait_floor=settings.speech_wait_floor,
            on_idle=idle,
        )
        transcription = Admission(
            "transcription",
            slots=settings.transcription_slots,
            queue=settings.transcription_queue,
            wait=settings.transcription_wait,
            wait_factor=settings.transcription_wait_factor,
            wait_floor=settings.transcription_wait_floor,
            on_idle=idle,
        )
        idle.admissions = [speech, transcription]
        return cls(speech, transcription)
