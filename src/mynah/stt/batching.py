"""Windows from every transcription on one model, decoded together in batches, fairly.

    request A ─ Ticket ─┐                        ┌─► lane 1: run(batch) ─► futures of A, B, ...
    request B ─ Ticket ─┼─► BatchQueue (per model) ┤
    request C ─ Ticket ─┘                        └─► lane 2: run(batch)   (a newcomer never waits
                                                                           for a busy lane)

A request opens a `Ticket`, submits its windows as its audio is decoded (each `submit` gives a
Future) and waits for their results. Worker threads ("lanes", started when work arrives and gone
after a few idle seconds) form batches:

- A request's windows become ready to start a batch once it has a whole batch of them queued, or
  when it waits for a result or has no more to send (its audio ended): a long recording is decoded
  in full batches, a short one at once.
- Fair by request: batches are started for the request served least recently (a request that
  has never been served comes first), then filled round-robin, one window per request per turn,
  from every request with windows queued. A long recording therefore cannot hold back a short
  one's first window by more than the batch already running.
- Lanes go to requests that have no batch running first; only when every request with windows
  queued already has one running does a free lane take a second batch of the same request. A lone
  long recording therefore fills every lane (on two cores, two lanes of one thread each decode 9
  windows of a 3.6-minute file in 9.7-10.4 s where one lane of two threads takes 11.8-14.0 s:
  CTranslate2's beam search does not use a second thread well; `bench/whisper_lanes.py`), and a newcomer takes the next
  lane that frees, ahead of the long recording's next batch.
- A bounded wait: a batch that is not full waits at most `max_wait` (20 ms) for other open requests
  that have nothing queued yet, so uploads that start together share their first batch.
- Only windows with the same key (decoding options the engine must share within a batch: task,
  prompt, language) go into one batch.
- `Ticket.cancel()` drops the request's queued windows (their futures raise `Cancelled`). A batch
  already running runs under a `mynah.cancel` token that is set once every request in it was
  cancelled: an engine that checks it between its steps (`mynah.engines.whisper_batch`) stops
  there; otherwise the batch finishes and its results for cancelled requests are thrown away.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from mynah.cancel import CancelToken, cancellable
from mynah.errors import Cancelled
from mynah.priority import lower_this_thread, transcription_niceness

__all__ = ["BatchQueue", "Ticket"]

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")

DEFAULT_MAX_WAIT = 0.02
"""Seconds a batch that is not full waits for other requests' windows."""


@dataclass(eq=False)
class _Entry(Generic[ItemT, ResultT]):
    item: ItemT
    key: Hashable
    future: Future[ResultT] = field(default_factory=Future)


class Ticket(Generic[ItemT, ResultT]):
    """One request's place in a `BatchQueue`. Use it as a context manager: leaving it closes it."""

    def __init__(self, queue: BatchQueue[ItemT, ResultT], order: int) -> None:
        self._queue = queue
        self.order = order
        self.queued: deque[_Entry[ItemT, ResultT]] = deque()
        self.last_served = -1.0
        """Monotonic count of the batch that last served this request (-1: never)."""
        self.waiting = 0
        self.ended = False
        self.running = 0
        """Batches of this request running now (in different lanes)."""
        self.cancelled = False

    @property
    def batch_size(self) -> int:
        return self._queue.batch_size

    @property
    def lanes(self) -> int:
        return self._queue.lanes

    def submit(self, item: ItemT, key: Hashable = None) -> Future[ResultT]:
        """Queue one window; its Future gives the engine's result (or raises the batch's error)."""
        return self._queue._submit(self, item, key)

    def wait(self, future: Future[ResultT], timeout: float | None = None) -> ResultT:
        """The result of one of this request's windows; its queued windows may start a batch now.
        Raises TimeoutError when `timeout` passes first (the window stays queued)."""
        self._queue._waiting(self, +1)
        try:
            return future.result(timeout)
        finally:
            self._queue._waiting(self, -1)

    def end(self) -> None:
        """No more windows will come: those queued may start a batch however few they are."""
        self._queue._end(self)

    def cancel(self) -> None:
        """Drop every queued window (their futures raise Cancelled) and close the ticket."""
        self._queue._cancel(self)

    def __enter__(self) -> Ticket[ItemT, ResultT]:
        return self

    def __exit__(self, *exc: object) -> None:
        self._queue._close(self)


class _Abandoned(CancelToken):
    """Set when every request of a running batch was cancelled: nobody waits for its results."""

    def __init__(self, tickets: list[Ticket[ItemT, ResultT]]) -> None:
        super().__init__()
        self._tickets = tickets

    def check(self) -> None:
        if all(ticket.cancelled for ticket in self._tickets):
            raise Cancelled("every request of the batch was cancelled; the batch was stopped")


class BatchQueue(Generic[ItemT, ResultT]):
    """Batches `run(items) -> results` (one result per item, in order) over many tickets.

    `batch_size` caps a batch; `lanes` is how many batches may run at once (the engine must take
    that many concurrent calls); `idle_exit` is how long a lane thread lingers without work.
    """

    def __init__(
        self,
        run: Callable[[list[ItemT]], Sequence[ResultT]],
        *,
        batch_size: int,
        lanes: int = 1,
        max_wait: float = DEFAULT_MAX_WAIT,
        idle_exit: float = 5.0,
        name: str = "batch",
    ) -> None:
        if batch_size < 1 or lanes < 1:
            raise ValueError("batch_size and lanes must be at least 1")
        self._run = run
        self.batch_size = batch_size
        self.lanes = lanes
        self.max_wait = max_wait
        self.idle_exit = idle_exit
        self._name = name
        self._cond = threading.Condition()
        self._tickets: list[Ticket[ItemT, ResultT]] = []
        self._order = itertools.count()
        self._served = itertools.count()
        self._workers: set[threading.Thread] = set()
        self._closed = False
        self.batches: list[list[int]] = []
        """The ticket orders of each batch run, newest last (the last 1,000): who was served when."""

    def open(self) -> Ticket[ItemT, ResultT]:
        with self._cond:
            if self._closed:
                raise RuntimeError("the batch queue is closed")
            ticket = Ticket(self, next(self._order))
            self._tickets.append(ticket)
            return ticket

    def close(self) -> None:
        """Stop the lanes once they finish what is running; queued windows are cancelled."""
        with self._cond:
            self._closed = True
            for ticket in self._tickets:
                self._drop(ticket)
            self._cond.notify_all()
            workers = list(self._workers)
        for worker in workers:
            if worker is not threading.current_thread():
                worker.join()

    @property
    def active(self) -> int:
        """Requests open on this queue."""
        with self._cond:
            return len(self._tickets)

    # ------------------------------------------------------------------------------ ticket side

    def _submit(self, ticket: Ticket[ItemT, ResultT], item: ItemT, key: Hashable) -> Future[ResultT]:
        entry: _Entry[ItemT, ResultT] = _Entry(item, key)
        with self._cond:
            if ticket.cancelled or self._closed:
                entry.future.set_exception(Cancelled("the transcription was cancelled"))
                return entry.future
            ticket.queued.append(entry)
            self._wake()
        return entry.future

    def _waiting(self, ticket: Ticket[ItemT, ResultT], delta: int) -> None:
        with self._cond:
            ticket.waiting += delta
            if delta > 0:
                self._wake()

    def _end(self, ticket: Ticket[ItemT, ResultT]) -> None:
        with self._cond:
            ticket.ended = True
            self._wake()

    def _cancel(self, ticket: Ticket[ItemT, ResultT]) -> None:
        with self._cond:
            ticket.cancelled = True
            self._drop(ticket)
            self._close_locked(ticket)

    def _close(self, ticket: Ticket[ItemT, ResultT]) -> None:
        with self._cond:
            self._drop(ticket)
            self._close_locked(ticket)

    def _close_locked(self, ticket: Ticket[ItemT, ResultT]) -> None:
        if ticket in self._tickets:
            self._tickets.remove(ticket)
        self._cond.notify_all()

    @staticmethod
    def _drop(ticket: Ticket[ItemT, ResultT]) -> None:
        while ticket.queued:
            entry = ticket.queued.popleft()
            if not entry.future.done():
                entry.future.set_exception(Cancelled("the transcription was cancelled"))

    def _wake(self) -> None:
        """Call with the lock held: let a lane look at the queue, starting one if too few run."""
        self._cond.notify_all()
        self._workers = {w for w in self._workers if w.is_alive()}
        if len(self._workers) < self.lanes and not self._closed:
            worker = threading.Thread(target=self._lane, name=f"{self._name}-lane", daemon=True)
            self._workers.add(worker)
            worker.start()

    # ------------------------------------------------------------------------------ lane side

    def _lane(self) -> None:
        lower_this_thread(transcription_niceness())  # transcription's priority (mynah.priority)
        while True:
            with self._cond:
                batch = self._next_batch()
                if batch is None:
                    self._workers.discard(threading.current_thread())
                    return
                tickets = {id(t): t for t, _ in batch}
                for ticket in tickets.values():
                    ticket.running += 1
            try:
                self._execute(batch)
            finally:
                with self._cond:
                    for ticket in tickets.values():
                        ticket.running -= 1
                    self._cond.notify_all()

    def _execute(self, batch: list[tuple[Ticket[ItemT, ResultT], _Entry[ItemT, ResultT]]]) -> None:
        live = [(t, e) for t, e in batch if e.future.set_running_or_notify_cancel()]
        if not live:
            return
        try:
            with cancellable(_Abandoned([t for t, _ in live])):
                results = self._run([e.item for _, e in live])
            if len(results) != len(live):
                raise RuntimeError(f"batch of {len(live)} gave {len(results)} results")
        except BaseException as exc:  # every window of the batch shares its failure
            for _, entry in live:
                entry.future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for (_, entry), result in zip(live, results, strict=True):
            entry.future.set_result(result)

    def _next_batch(self) -> list[tuple[Ticket[ItemT, ResultT], _Entry[ItemT, ResultT]]] | None:
        """Call with the lock held: wait for a batch that may start and take it (None: go idle)."""
        idle_since = time.monotonic()
        deadline: float | None = None
        while True:
            if self._closed:
                return None
            free = [t for t in self._tickets if t.queued and not t.running]
            ready = [t for t in free if self._ready(t)]
            if not free:  # every request with windows queued has a batch running: add one
                free = [t for t in self._tickets if t.queued]
                ready = [t for t in free if self._ready(t)]
            if ready:
                waiting_for = [t for t in self._tickets if not t.queued and not t.running and not t.ended]
                queued = sum(len(t.queued) for t in free)
                now = time.monotonic()
                if queued < self.batch_size and waiting_for and self.max_wait > 0:
                    deadline = deadline if deadline is not None else now + self.max_wait
                    if now < deadline:
                        self._cond.wait(deadline - now)
                        continue
                return self._form(ready, free)
            remaining = self.idle_exit - (time.monotonic() - idle_since)
            if remaining <= 0:
                return None
            self._cond.wait(remaining)

    def _ready(self, ticket: Ticket[ItemT, ResultT]) -> bool:
        return len(ticket.queued) >= self.batch_size or ticket.waiting > 0 or ticket.ended

    def _form(
        self, ready: list[Ticket[ItemT, ResultT]], free: list[Ticket[ItemT, ResultT]]
    ) -> list[tuple[Ticket[ItemT, ResultT], _Entry[ItemT, ResultT]]]:
        first = min(ready, key=lambda t: (t.last_served, t.order))
        key = first.queued[0].key
        rotation = sorted((t for t in free if t is not first), key=lambda t: (t.last_served, t.order))
        turn = [first, *rotation]
        batch: list[tuple[Ticket[ItemT, ResultT], _Entry[ItemT, ResultT]]] = []
        taking = True
        while taking and len(batch) < self.batch_size:
            taking = False
            for ticket in turn:
                if len(batch) >= self.batch_size:
                    break
                entry = next((e for e in ticket.queued if e.key == key), None)
                if entry is None:
                    continue
                ticket.queued.remove(entry)
                batch.append((ticket, entry))
                taking = True
        served = float(next(self._served))
        for ticket in {id(t): t for t, _ in batch}.values():
            ticket.last_served = served
        self.batches.append([t.order for t, _ in batch])
        del self.batches[:-1000]
        return batch
