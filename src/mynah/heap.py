"""The process heap, through glibc (elsewhere every call does nothing).

    heap.cap_arenas(2)     # few malloc arenas: memory freed in one thread's arena is not stranded
    heap.trim()            # free pages back to the system (walks the whole heap: off the event loop)

Called by the server when its queues empty (`mynah.server.admission.Idle`) and by the model manager
after loaded models emptied their working memory (`ModelManager.release_idle_memory`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from typing import Any

__all__ = ["cap_arenas", "trim", "trims"]

_M_ARENA_MAX = -8


@functools.cache
def _libc() -> Any:
    path = ctypes.util.find_library("c")
    return ctypes.CDLL(path) if path else None


def trims() -> bool:
    """Whether `trim` can hand anything back here (glibc's `malloc_trim` is there)."""
    return getattr(_libc(), "malloc_trim", None) is not None


def trim() -> None:
    malloc_trim = getattr(_libc(), "malloc_trim", None)
    if malloc_trim is not None:
        malloc_trim(0)


def cap_arenas(arenas: int) -> None:
    mallopt = getattr(_libc(), "mallopt", None)
    if mallopt is not None:
        mallopt(_M_ARENA_MAX, arenas)
