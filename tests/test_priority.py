"""Thread priorities (mynah.priority): the event loop's thread is left alone, engine workers are
lowered, and transcription's model threads run lower still, read back from the kernel."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mynah.priority import (
    BLAS_THREADS,
    WORKER_NICENESS,
    at_transcription_priority,
    in_worker,
    keep_priority,
    lower_other_threads,
    lower_this_thread,
    transcription_niceness,
)

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="Linux: threads listed in /proc")


def _niceness(tid: int | None = None) -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id() if tid is None else tid)


def _in_thread(fn: object) -> object:
    """`fn()` in a fresh thread (so the test's own thread keeps its priority)."""
    out: list[object] = []
    thread = threading.Thread(target=lambda: out.append(fn()))  # type: ignore[operator]
    thread.start()
    thread.join()
    return out[0]


def test_every_thread_but_the_loops_is_lowered() -> None:
    """The engines' own thread pools are native threads mynah never runs code in: the sweep lowers
    them as it lowers any thread but the event loop's."""
    keep_priority()  # this thread stands for the event loop's
    mine = _niceness()
    started, done = threading.Event(), threading.Event()
    native: list[int] = []

    def pool_thread() -> None:  # as a native pool's thread: started at its creator's priority
        native.append(threading.get_native_id())
        started.set()
        done.wait(30)

    thread = threading.Thread(target=pool_thread)
    thread.start()
    try:
        started.wait(30)
        lower_other_threads()
        assert _niceness(native[0]) >= WORKER_NICENESS
        assert _niceness() == mine
    finally:
        done.set()
        thread.join()


def test_threads_a_transcription_model_starts_run_below_the_speech_workers() -> None:
    """What `at_transcription_priority` runs starts its pools at the transcription priority, and
    they keep it after the sweep; a speech worker (`in_worker`) runs at WORKER_NICENESS."""
    assert transcription_niceness() > WORKER_NICENESS
    keep_priority()
    started, done = threading.Event(), threading.Event()
    pool: list[int] = []

    def load() -> str:  # as a model's constructor: it starts a pool thread and returns
        def pool_thread() -> None:
            pool.append(threading.get_native_id())
            started.set()
            done.wait(30)

        threading.Thread(target=pool_thread, daemon=True).start()
        started.wait(30)
        return "model"

    try:
        assert at_transcription_priority(load) == "model"
        lower_other_threads()
        speech = _in_thread(in_worker(_niceness))
        assert _niceness(pool[0]) == transcription_niceness()
        assert speech == WORKER_NICENESS < _niceness(pool[0])
    finally:
        done.set()


def test_a_failure_while_loading_at_transcription_priority_is_raised_as_itself() -> None:
    def fails() -> None:
        raise ValueError("no model here")

    with pytest.raises(ValueError, match="no model here"):
        at_transcription_priority(fails)


def test_a_thread_is_never_raised_back_up() -> None:
    """Niceness only goes up: a thread already at the transcription priority stays there."""

    def lowered_then_asked_for_less() -> int:
        lower_this_thread(transcription_niceness())
        lower_this_thread(WORKER_NICENESS)
        return _niceness()

    assert _in_thread(lowered_then_asked_for_less) == transcription_niceness()


def test_numpys_blas_runs_on_the_calling_thread() -> None:
    # what `mynah` (cli.main) and this suite's conftest do before numpy loads: no OpenBLAS worker
    # thread, so no BLAS call can wait for one that a fork shut down
    script = (
        "import ctypes, os\n"
        "from mynah.priority import single_threaded_blas\n"
        "single_threaded_blas()\n"
        "import numpy\n"
        "path = next(line.split()[-1] for line in open('/proc/self/maps') if 'openblas' in line)\n"
        "print(ctypes.CDLL(path).scipy_openblas_get_num_threads64_())\n"
    )
    env = {k: v for k, v in os.environ.items() if k != BLAS_THREADS}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "1"
