"""Thread priorities: the event loop first, then speech, then transcription (Linux; elsewhere nothing);
and numpy's BLAS on the calling thread (`single_threaded_blas`).

    event loop        niceness 0 (`keep_priority`)        /health and every request's first bytes
    engine workers    WORKER_NICENESS (5) (`in_worker`, `lower_other_threads`)     speech
    transcription     `transcription_niceness()` (12) (`at_transcription_priority`)

Speech is latency-bound (a person waits for the first audio) and transcription throughput-bound
(a file is done when it is done), so on a busy machine a synthesis takes the CPU first: measured on
2 cores, 8 speech and 8 transcription clients at once (bench/overload.py), a served synthesis took
about 2.8x its time alone while transcription shared the cores at the same priority.

The work of a transcription is done in CTranslate2's own native threads, which mynah never runs
code in; a thread inherits its creator's priority, so a Whisper model made by
`at_transcription_priority` (a short-lived thread at that priority makes it) gets pools that run at
it, whichever thread asked for the model, and so do the threads those pools start later (OpenMP's).
`lower_other_threads` only ever raises a thread's niceness up to WORKER_NICENESS, so it leaves them
where they are. Niceness only goes up for an unprivileged process, so a thread is never moved from
one kind of work to the other: the shared worker pool stays at WORKER_NICENESS and transcription
gets threads of its own. Live transcription decodes on the same model, so it shares that priority.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = [
    "BLAS_THREADS",
    "TRANSCRIPTION_NICENESS",
    "WORKER_NICENESS",
    "at_transcription_priority",
    "in_worker",
    "keep_priority",
    "lower_other_threads",
    "lower_this_thread",
    "set_transcription_niceness",
    "single_threaded_blas",
    "transcription_niceness",
]

BLAS_THREADS = "OPENBLAS_NUM_THREADS"


def single_threaded_blas() -> None:
    """numpy's OpenBLAS on this process's own thread (`OPENBLAS_NUM_THREADS` 1 unless set): call it
    before numpy is imported (`mynah.cli.main`, the test suite's conftest; dev.py sets it for
    the xdist workers, which may load numpy before conftest runs). The engines keep their
    own pools (ONNX Runtime, CTranslate2); mynah's numpy work (VAD, DSP, quality) is small matrices.
    With OpenBLAS's worker thread a call can hang for good: one in flight while another thread
    forks loses its worker to OpenBLAS's fork handler, which shuts the workers down (seen once in
    the suite: `exec_blas` spinning with no worker thread left in the process)."""
    os.environ.setdefault(BLAS_THREADS, "1")


P = ParamSpec("P")
T = TypeVar("T")

WORKER_NICENESS = 5
"""How much lower than the event loop's the scheduling priority of a thread doing engine work is,
so that on a busy machine the loop (and /health) gets the CPU first when it has something to do."""

TRANSCRIPTION_NICENESS = 12
"""The default niceness of the threads that run transcription's models: Linux gives a thread at 5
about 4.8 times the CPU of one at 12 when they compete (CFS weights 335 and 70), so a synthesis
beside a transcription runs nearly as fast as alone, and the transcription still gets what is left
(all of it when no synthesis runs)."""

SWEEP_SECONDS = 2.0

SWITCH_INTERVAL = 0.001
"""How long a thread running Python keeps the GIL when another wants it (Python's default: 5 ms).
The event loop wakes for a request and needs the GIL several times per request; behind engine
threads that run Python between their native calls, each of those waits could cost 5 ms."""


class _State:
    loop_thread: int | None = None
    """The native id of the event loop's thread (`keep_priority`): the one thread not lowered."""
    last_sweep = 0.0
    transcription = TRANSCRIPTION_NICENESS


_state = _State()
_lowered = threading.local()


def set_transcription_niceness(niceness: int) -> None:
    """The niceness for transcription's model threads from now on (the server's setting,
    MYNAH_SERVER__ADMISSION__TRANSCRIPTION_NICENESS); models made before keep theirs."""
    _state.transcription = max(0, min(19, niceness))


def transcription_niceness() -> int:
    return _state.transcription


def lower_this_thread(niceness: int) -> None:
    """Raise the calling thread's niceness to `niceness` (never lowers it; Linux only)."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not allowed
        tid = threading.get_native_id()
        if os.getpriority(os.PRIO_PROCESS, tid) < niceness:
            os.setpriority(os.PRIO_PROCESS, tid, niceness)


def at_transcription_priority(fn: Callable[[], T]) -> T:
    """`fn()` in a thread of its own at `transcription_niceness()`: the threads it starts (an
    engine's native pools) run at that priority for the rest of their lives."""
    results: list[T] = []
    failures: list[BaseException] = []

    def run() -> None:
        lower_this_thread(_state.transcription)
        try:
            results.append(fn())
        except BaseException as exc:  # raised in the caller's thread, as itself
            failures.append(exc)

    thread = threading.Thread(target=run, name="mynah-transcription-start", daemon=True)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]
    return results[0]


def in_worker(fn: Callable[P, T]) -> Callable[P, T]:
    """`fn` for a worker thread: the thread's priority lowered first (once per thread, Linux), and
    the threads the engines started since the last look lowered too (`lower_other_threads`)."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        if not getattr(_lowered, "done", False):
            _lowered.done = True
            lower_this_thread(WORKER_NICENESS)
        if time.monotonic() - _state.last_sweep > SWEEP_SECONDS:
            lower_other_threads()
        return fn(*args, **kwargs)

    return run


def keep_priority() -> None:
    """Called on the event loop's thread: the one thread `lower_other_threads` leaves alone; and
    the GIL handed over sooner (`SWITCH_INTERVAL`)."""
    _state.loop_thread = threading.get_native_id()
    sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))


def lower_other_threads() -> int:
    """Lower every thread of this process but the event loop's to WORKER_NICENESS (Linux; others:
    nothing); how many were lowered. The engines' own native thread pools (CTranslate2's, ONNX
    Runtime's) are started by the threads that load a model and are not Python threads, so
    `in_worker` cannot lower them itself; a thread inherits its creator's priority, but a model
    loaded at startup on the loop's thread would make a pool that competes with the loop. A
    thread already nicer (transcription's) is left as it is."""
    _state.last_sweep = time.monotonic()
    if _state.loop_thread is None:
        return 0
    lowered = 0
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return 0
    for name in tasks:
        tid = int(name)
        if tid == _state.loop_thread:
            continue
        with contextlib.suppress(OSError):  # the thread ended meanwhile
            if os.getpriority(os.PRIO_PROCESS, tid) < WORKER_NICENESS:
                os.setpriority(os.PRIO_PROCESS, tid, WORKER_NICENESS)
                lowered += 1
    return lowered
