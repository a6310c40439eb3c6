"""`WorkerPool`: threads that claim jobs from the store and run them, with the upkeep beside them.

    worker threads   claim (a lease) -> JobService.process, a heartbeat renewing the lease every
                     third of `jobs.lease_seconds` and recording progress; at most
                     `jobs.max_running[kind]` jobs of one kind at once, so a batch of one kind
                     cannot take every thread
    upkeep thread    expired leases back to the queue (a killed worker's job runs again), due
                     callbacks delivered, retention cleanup every ten minutes

`mynah serve` runs one pool in-process (`jobs.workers` threads); `mynah worker` runs one per
process, every process on the same store. `stop(grace)` stops claiming, lets running jobs finish for
`grace` seconds, then hands the rest back to the queue (at their next progress report).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable

from mynah.jobs.service import JobAbandoned, JobHandedBack, JobService
from mynah.jobs.store import Job
from mynah.jobs.tables import KINDS

log = logging.getLogger(__name__)

PROGRESS_STEP = 0.01
"""A running job's progress is written to the store when it has moved this much (at most 100 writes)."""

CLEANUP_SECONDS = 600.0


class WorkerPool:
    def __init__(self, service: JobService, *, threads: int | None = None, name: str | None = None) -> None:
        self.service = service
        self.settings = service.settings
        self.threads = self.settings.workers if threads is None else threads
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._stopping = threading.Event()
        self._hand_back = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._running: Counter[str] = Counter()
        self._alive: set[str] = set()
        """Lease tokens of the jobs this pool is running: its upkeep never expires those."""
        self._threads: list[threading.Thread] = []
        service.on_submit(self.wake)

    def start(self) -> WorkerPool:
        for index in range(self.threads):
            self._spawn(self._work, f"mynah-job-worker-{index}")
        self._spawn(self._upkeep, "mynah-job-upkeep")
        log.info("job worker pool %s: %d threads", self.name, self.threads)
        return self

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def wake(self) -> None:
        self._wake.set()

    @property
    def busy(self) -> int:
        with self._lock:
            return sum(self._running.values())

    def stop(self, grace: float = 30.0) -> None:
        """Stop claiming; wait up to `grace` s for running jobs, then hand the rest back."""
        self._stopping.set()
        self._wake.set()
        deadline = time.monotonic() + grace
        while self.busy and time.monotonic() < deadline:
            time.sleep(0.05)
        self._hand_back.set()
        for thread in self._threads:
            thread.join(timeout=max(1.0, self.settings.lease_seconds))
        log.info("job worker pool %s stopped", self.name)

    # ------------------------------------------------------------------------------ work

    def _free_kinds(self) -> list[str]:
        with self._lock:
            limits = self.settings.max_running
            return [k for k in KINDS if self._running[k] < limits.get(k, self.threads)]

    def _work(self) -> None:
        store = self.service.store
        while not self._stopping.is_set():
            try:
                job = store.claim(self.name, self._free_kinds(), self.settings.lease_seconds)
            except Exception:  # the database is away: try again shortly
                log.exception("cannot claim a job")
                job = None
            if job is None:
                self._wake.wait(self.settings.poll_seconds)
                self._wake.clear()
                continue
            with self._lock:
                self._running[job.kind] += 1
            try:
                self._run(job)
            except Exception:
                log.exception("job %s: unexpected failure in the worker", job.id)
            finally:
                with self._lock:
                    self._running[job.kind] -= 1
                self._wake.set()  # a slot is free; upkeep may have callbacks to send

    def _run(self, job: Job) -> None:
        """Run `job`, renewing its lease from a heartbeat thread and at every progress report (an
        engine that holds the GIL for a long window starves the thread, not the reports)."""
        store, lease = self.service.store, self.settings.lease_seconds
        done = threading.Event()
        lost = threading.Event()
        latest: dict[str, float | None] = {}
        lock = threading.Lock()
        renewed = [time.monotonic()]
        written = [0.0]

        def renew() -> None:
            with lock:
                values = dict(latest)
                renewed[0] = time.monotonic()
                written[0] = values.get("progress") or written[0]
            try:
                if not store.heartbeat(job, lease, **values):
                    lost.set()
            except Exception:  # a missed beat is not fatal: the lease still has two thirds
                log.exception("job %s: heartbeat failed", job.id)

        def beat() -> None:
            while not done.wait(lease / 3) and not lost.is_set():
                renew()

        def report(fraction: float, seconds_done: float, seconds_total: float | None) -> None:
            with lock:
                latest.update(progress=fraction, seconds_done=seconds_done, seconds_total=seconds_total)
                # progress reaches the store whenever it moved by a step since it was last written
                # (watchers see it move), and the lease is renewed with it
                due = time.monotonic() - renewed[0] > lease / 3 or fraction - written[0] >= PROGRESS_STEP
            if due:
                renew()
            if lost.is_set():
                raise JobAbandoned
            if self._hand_back.is_set():
                raise JobHandedBack

        assert job.lease_token is not None
        with self._lock:
            self._alive.add(job.lease_token)
        heart = threading.Thread(target=beat, name=f"heartbeat {job.id}", daemon=True)
        heart.start()
        try:
            self.service.process(job, report)
        finally:
            done.set()
            heart.join()
            with self._lock:
                self._alive.discard(job.lease_token)

    # ------------------------------------------------------------------------------ upkeep

    def _upkeep(self) -> None:
        last_cleanup = 0.0
        while not self._stopping.is_set():
            try:
                with self._lock:
                    alive = set(self._alive)
                if self.service.store.expire_leases(alive=alive):
                    self._wake.set()
                self.service.deliver_due()
                if time.monotonic() - last_cleanup > CLEANUP_SECONDS:
                    last_cleanup = time.monotonic()
                    self.service.cleanup()
            except Exception:
                log.exception("jobs upkeep failed; trying again")
            self._stopping.wait(self.settings.poll_seconds)
