"""One pool of synthesis threads shared fairly by every live stream.

    scheduler = FairScheduler(workers=1, units_ahead=2)
    lane = scheduler.lane("stream-1")       # one per stream
    lane.submit(job)                        # job(lane) runs on a worker, after the lane's earlier jobs
    lane.release()                          # the stream sent one job's output: it may run another
    lane.cancel()                           # drop queued jobs; the running one sees lane.cancelled
    lane.close()                            # the stream is gone: cancel, and forget the lane

Which job runs next: among lanes with a queued job that are not running one and are not
`units_ahead` jobs ahead of their client, the lane that has run the fewest jobs (first units first),
then the one served longest ago (round robin). So a new stream's first sentence goes before another
stream's third, and a stream whose client reads slowly stops taking turns instead of piling up audio.

A job is a callable taking its lane; it must not raise (it reports its own failures to its stream),
and it should check `lane.cancelled` between pieces of work so a cancel stops it at once.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["FairScheduler", "Lane", "SchedulerStats"]

log = logging.getLogger(__name__)

Job = Callable[["Lane"], None]


@dataclass(frozen=True)
class SchedulerStats:
    lanes: int
    queued: int
    running: int
    workers: int


class Lane:
    """One stream's place in the scheduler. Thread-safe; every method returns at once."""

    def __init__(self, scheduler: FairScheduler, name: str) -> None:
        self.name = name
        self._scheduler = scheduler
        self._jobs: deque[Job] = deque()
        self.started = 0
        """Jobs that have begun running."""
        self.ahead = 0
        """Jobs run whose output the stream has not released yet."""
        self.running = False
        self.served_at = 0
        self.cancelled = False
        """Set by `cancel` until the next `submit`: a running job stops at its next check."""
        self.closed = False

    def submit(self, job: Job) -> None:
        with self._scheduler._ready:
            if self.closed:
                return
            self.cancelled = False
            self._jobs.append(job)
            self._scheduler._ready.notify()

    def release(self) -> None:
        with self._scheduler._ready:
            self.ahead = max(0, self.ahead - 1)
            self._scheduler._ready.notify()

    def cancel(self) -> None:
        """Drop every queued job; a running one sees `cancelled`. Nothing is owed any more."""
        with self._scheduler._ready:
            self._jobs.clear()
            self.cancelled = True
            self.ahead = 0
            self._scheduler._ready.notify()

    def close(self) -> None:
        with self._scheduler._ready:
            self._jobs.clear()
            self.cancelled = True
            self.closed = True
            self._scheduler._lanes.pop(id(self), None)

    @property
    def queued(self) -> int:
        return len(self._jobs)

    @property
    def idle(self) -> bool:
        """No job queued or running."""
        with self._scheduler._ready:
            return not self._jobs and not self.running


class FairScheduler:
    def __init__(self, *, workers: int = 1, units_ahead: int = 2, name: str = "mynah-synth") -> None:
        if workers < 1 or units_ahead < 1:
            raise ValueError("workers and units_ahead must be at least 1")
        self.units_ahead = units_ahead
        self._ready = threading.Condition()
        self._lanes: dict[int, Lane] = {}
        self._turn = itertools.count(1)
        self._stopping = False
        self._running = 0
        """Jobs running now, closed lanes' included (a closed lane's job finishes its piece first)."""
        self._threads = [
            threading.Thread(target=self._work, name=f"{name}-{i}", daemon=True) for i in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def lane(self, name: str) -> Lane:
        with self._ready:
            if self._stopping:
                raise RuntimeError("the scheduler is closed")
            lane = Lane(self, name)
            self._lanes[id(lane)] = lane
            return lane

    def stats(self) -> SchedulerStats:
        with self._ready:
            lanes = list(self._lanes.values())
            return SchedulerStats(
                lanes=len(lanes),
                queued=sum(lane.queued for lane in lanes),
                running=self._running,
                workers=sum(t.is_alive() for t in self._threads),
            )

    def close(self) -> None:
        """Stop taking jobs, drop the queued ones, and wait for the running ones to return."""
        with self._ready:
            self._stopping = True
            for lane in self._lanes.values():
                lane._jobs.clear()
                lane.cancelled = True
            self._ready.notify_all()
        for thread in self._threads:
            thread.join()

    # ------------------------------------------------------------------------------------ workers

    def _next(self) -> tuple[Lane, Job] | None:
        """The job to run next (see the module docstring), taken off its lane; None to stop."""
        with self._ready:
            while True:
                if self._stopping:
                    return None
                eligible = [
                    lane
                    for lane in self._lanes.values()
                    if lane._jobs and not lane.running and lane.ahead < self.units_ahead
                ]
                if eligible:
                    lane = min(eligible, key=lambda lane: (lane.started, lane.served_at))
                    job = lane._jobs.popleft()
                    lane.running = True
                    self._running += 1
                    lane.started += 1
                    lane.ahead += 1
                    lane.served_at = next(self._turn)
                    return lane, job
                self._ready.wait()

    def _work(self) -> None:
        while (picked := self._next()) is not None:
            lane, job = picked
            try:
                job(lane)
            except Exception:  # a job reports its own failures; this is a bug, not a stream error
                log.exception("synthesis job of %s failed", lane.name)
            finally:
                with self._ready:
                    lane.running = False
                    self._running -= 1
                    self._ready.notify_all()
