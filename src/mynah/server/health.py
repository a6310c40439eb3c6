"""The /health body, kept ready so that a liveness check costs microseconds, not a walk of the disk.

What /health reports (engines, what each OpenAI name resolves to and what was passed over) comes from
resolving every alias, which reads the manifests and stats the files of every installed model: tens
of milliseconds, and under load a worker thread that waits for the GIL. So the body is built once,
off the event loop, and kept with the `fingerprint` of what it was built from:

* the model cache's change counter (`ModelCache.changes`: a pull, remove or failed load in this
  process) and the modification times of the cache directory and its engine directories (an install
  or removal by another process, e.g. `mynah models pull`, renames a directory there);
* a changed fingerprint rebuilds the body before answering, so the next /health after a change says so;
* anything else that can change what it says without touching those (a file truncated inside a model
  directory, the hub going offline) is caught by a rebuild in the background once the body is older
  than `REFRESH_SECONDS`: that call answers the body it has, the next ones the new one.

The cluster's state, when there is one, is live and read on every call, as before.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool

from mynah.runtime import Runtime

__all__ = ["REFRESH_SECONDS", "HealthBody", "fingerprint"]

log = logging.getLogger(__name__)

REFRESH_SECONDS = 2.0


def fingerprint(runtime: Runtime) -> tuple[object, ...]:
    """What the body depends on that can be read in a few system calls (see the module docstring)."""
    models = runtime.models
    if models is None:
        return (id(runtime),)
    parts: list[object] = [id(runtime), models.cache.changes]
    root = models.cache_dir
    try:
        parts.append(root.stat().st_mtime_ns)
        with os.scandir(root) as entries:
            parts += sorted(
                (e.name, e.stat().st_mtime_ns) for e in entries if e.is_dir() and not e.name.startswith(".")
            )
    except OSError:  # no cache directory (yet): that is a state too
        parts.append(None)
    return tuple(parts)


class HealthBody:
    """The /health body as JSON bytes, rebuilt when its fingerprint changes or it is old."""

    def __init__(self, build: Callable[[Runtime], dict[str, Any]]) -> None:
        self._build = build
        self.body: dict[str, Any] = {}
        """The body last built (the JSON below, as a dict)."""
        self._json = b""
        self._key: tuple[object, ...] | None = None
        self._built = 0.0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = asyncio.Lock()
        self._background: asyncio.Task[None] | None = None

    async def get(self, runtime: Runtime) -> bytes:
        if self._loop is not asyncio.get_running_loop():  # an app started again (a new TestClient)
            self._loop, self._lock, self._background = asyncio.get_running_loop(), asyncio.Lock(), None
        key = fingerprint(runtime)
        if key != self._key:
            async with self._lock:  # one build at a time; the ones waiting take its result
                if key != self._key:
                    await self._rebuild(runtime, key)
        elif time.monotonic() - self._built > REFRESH_SECONDS and self._background is None:
            self._background = asyncio.create_task(self._refresh(runtime))
        return self._json

    async def _refresh(self, runtime: Runtime) -> None:
        try:
            async with self._lock:
                await self._rebuild(runtime, fingerprint(runtime))
        except Exception:  # the body it has stays; the next call tries again
            log.exception("rebuilding the /health body failed")
        finally:
            self._background = None

    async def _rebuild(self, runtime: Runtime, key: tuple[object, ...]) -> None:
        body = await run_in_threadpool(self._build, runtime)
        self.body, self._json = body, json.dumps(body, separators=(",", ":")).encode()
        self._key, self._built = key, time.monotonic()
