"""The ONNX Runtime sessions of a loaded Piper voice (`mynah.engines.piper`): the server's session
options, the memory arena that can be emptied, and the two sessions a voice is loaded as.

    options = session_options(2)                       # threads sleeping, the CPU memory arena on
    front = ArenaSession(InferenceSession(model, options))
    Sessions(wide, narrow).release_memory()            # each session's arena emptied

Each voice is a `SplitVoice` (mynah.engines.piper_decode): a front and a decoder session.

The model manager calls `release_memory` on a voice idle `release_memory_seconds`
(`ModelManager.release_idle_memory`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["ArenaSession", "Sessions", "session_options"]


def session_options(threads: int, *, arena: bool = True, spinning: bool = False) -> Any:
    """ONNX Runtime options for a server: `threads` intra-op threads that sleep rather than spin
    while they wait unless `spinning` (a spinning pool burns the CPU the event loop and the other
    requests need), and the CPU memory arena unless not `arena`. Without the arena every tensor of
    the decoder (tens of MB each on a long sentence) is a fresh mmap whose pages fault in one by one:
    on the 41-word sentence of bench/realtime_tts.py 80,000-145,000 page faults, and 1.4x the
    library's time on its 302 words (bench/piper_threads.py counts and times both). The arena reuses them within a synthesis and across
    the next; it keeps them until emptied (`ArenaSession.release`, on the model manager's
    `release_idle_memory`)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = arena
    spin = "1" if spinning and threads > 1 else "0"
    options.add_session_config_entry("session.intra_op.allow_spinning", spin)
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return options


class ArenaSession:
    """An ONNX Runtime session whose CPU memory arena can be emptied: while `releasing()` is open,
    this thread's runs carry the arena shrinkage run option, which frees every arena region nothing
    uses once the run ends. Other threads' runs pass through to the session as they are."""

    def __init__(self, session: Any) -> None:
        import onnxruntime

        self._session = session
        self._shrink = onnxruntime.RunOptions()
        self._shrink.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        self._releasing = threading.local()

    def run(self, output_names: Any, input_feed: Any, run_options: Any = None) -> Any:
        if getattr(self._releasing, "on", False):
            run_options = self._shrink
        return self._session.run(output_names, input_feed, run_options)

    @contextlib.contextmanager
    def releasing(self) -> Iterator[None]:
        self._releasing.on = True
        try:
            yield
        finally:
            self._releasing.on = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


@dataclass(frozen=True)
class Sessions:
    """A loaded voice: `wide` (all the cores' threads) for a synthesis that runs alone, `narrow` (one
    thread) for one that runs beside others; the same session when `threads` is set."""

    wide: Any
    narrow: Any

    @property
    def config(self) -> Any:
        return self.wide.config

    def release_memory(self) -> None:
        """Empty each session's memory arena (`ArenaSession`) with a one-word synthesis (about 30 ms
        after a 41-word sentence, bench/piper_threads.py: most of it handing the pages back)."""
        from piper import SynthesisConfig

        for voice in {id(v): v for v in (self.wide, self.narrow)}.values():
            arenas = [s for s in voice.sessions if isinstance(s, ArenaSession)]
            if not arenas:
                continue
            with contextlib.ExitStack() as stack:
                for session in arenas:
                    stack.enter_context(session.releasing())
                for sentence in voice.sentences("a", SynthesisConfig()):
                    list(sentence.pieces)
