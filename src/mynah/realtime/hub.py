"""The shared pieces of every live stream in one process: the fair synthesis scheduler, the pool
that decodes live transcription windows, and a count of the streams open now.

The server builds one on the first socket (and closes it at shutdown); `mynah wyoming` builds its
own. Both take an already started `Runtime`, which stays the caller's to close.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from mynah.config import RealtimeSettings
from mynah.realtime.scheduler import FairScheduler, SchedulerStats
from mynah.runtime import Runtime

__all__ = ["Realtime", "RealtimeStats"]

T = TypeVar("T")


@dataclass(frozen=True)
class RealtimeStats:
    streams: int
    """Speech and transcription streams open now."""
    scheduler: SchedulerStats
    decoding: int = 0
    """Live transcription decodes queued or running (a dropped stream's last one finishes first)."""
    decodes: int = 0
    """Live transcription decodes submitted since the hub began (partials, finals, speculative
    finals: `mynah.realtime.transcribe`), dropped ones included."""


class Realtime:
    def __init__(self, runtime: Runtime, settings: RealtimeSettings | None = None) -> None:
        self.runtime = runtime
        self.settings = settings or runtime.settings.realtime
        self.scheduler = FairScheduler(
            workers=self.settings.synthesis_workers, units_ahead=self.settings.units_ahead
        )
        self.decoders = ThreadPoolExecutor(
            max_workers=self.settings.transcription_workers, thread_name_prefix="mynah-live-stt"
        )
        self._streams: set[object] = set()
        self._decoding = 0
        self._decodes = 0
        self._lock = threading.Lock()

    def track(self, stream: object) -> None:
        with self._lock:
            self._streams.add(stream)

    def untrack(self, stream: object) -> None:
        with self._lock:
            self._streams.discard(stream)

    def decode(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run one live decode on the pool, counted until it is done."""
        with self._lock:
            self._decoding += 1
            self._decodes += 1
        future = self.decoders.submit(fn, *args)
        future.add_done_callback(self._decoded)
        return future

    def _decoded(self, _: Future[Any]) -> None:
        with self._lock:
            self._decoding -= 1

    def stats(self) -> RealtimeStats:
        with self._lock:
            streams, decoding, decodes = len(self._streams), self._decoding, self._decodes
        return RealtimeStats(streams, self.scheduler.stats(), decoding, decodes)

    def close(self) -> None:
        self.scheduler.close()
        self.decoders.shutdown(wait=True, cancel_futures=True)
