"""An utterance's final decoded while the silence that may end it runs (speculative finals).

    speculation = SpeculativeFinal(submit, enabled=True)
    speculation.keep_up(endpoint, window)     # as audio arrives: True while a decode stands
    future = speculation.take((start, until)) # at the final: that decode, if it is of this window

The endpointer ends an utterance after `final_silence` seconds without voice; only then would its
final be decoded, one decode after the silence. But once `PAD` seconds of the silence have passed,
the audio that final needs is all there: it is decoded now, and the final is ready when the silence
ends the utterance. Voice coming back before that makes the decode stale: it is cancelled (a queued
one never runs) and the partials go on. A final asked for (`finalize`, the end of the stream) is
started the same way (`start`), at once, so it never waits for a partial still decoding.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from mynah.realtime.endpoint import Endpointer
from mynah.types import Transcription

__all__ = ["PAD", "SpeculativeFinal"]

PAD = 0.2
"""Seconds of audio kept after an utterance's last voiced frame (and so the silence a speculative
decode waits for: by then the final's audio is all there)."""

Window = tuple[float, float]
"""Audio in stream time: (start, end) seconds."""


@dataclass(frozen=True)
class _Decode:
    voice: float
    """The endpointer's last voiced frame when it started: voice after it makes this one stale."""
    window: Window
    """The audio decoded: what the final would decode if the silence goes on."""
    future: Future[Transcription]


class SpeculativeFinal:
    """The one speculative decode of a stream (see the module docstring). `submit(window)` starts a
    decode of that audio; `enabled` False makes `keep_up` do nothing (every final decoded at its end)."""

    def __init__(self, submit: Callable[[Window], Future[Transcription]], *, enabled: bool) -> None:
        self._submit = submit
        self.enabled = enabled
        self._current: _Decode | None = None

    def keep_up(self, endpoint: Endpointer, window: Callable[[float, float], Window]) -> bool:
        """Start a decode once the open utterance has been silent for `PAD` (its audio:
        `window(speech_start, last_voice)`), drop one that voice made stale. True while one stands."""
        current = self._current
        if current is not None and current.voice != endpoint.last_voice:
            self.drop()  # voice came back
            current = None
        if current is not None:
            return True
        if not self.enabled or endpoint.speech_start is None or endpoint.time - endpoint.last_voice < PAD:
            return False
        start, until = window(endpoint.speech_start, endpoint.last_voice)
        if until - start <= 0.1:
            return False
        self._current = _Decode(endpoint.last_voice, (start, until), self._submit((start, until)))
        return True

    def start(self, voice: float, window: Window) -> None:
        """Decode `window` for the final now, whatever `enabled` says (the stream asked for its final,
        or ended): a standing decode of this very window is kept, one of other audio replaced."""
        current = self._current
        if current is not None and current.window == window:
            return
        self.drop()
        self._current = _Decode(voice, window, self._submit(window))

    def take(self, window: Window) -> Future[Transcription] | None:
        """The standing decode if it is of exactly `window` (the final's audio), else None; either
        way none stands after this (one of other audio is cancelled)."""
        current, self._current = self._current, None
        if current is None:
            return None
        if current.window == window:
            return current.future
        current.future.cancel()
        return None

    def drop(self) -> None:
        """Cancel the standing decode, if any (a queued one never runs)."""
        if self._current is not None:
            self._current.future.cancel()
            self._current = None
