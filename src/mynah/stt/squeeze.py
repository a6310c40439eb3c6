"""A window with its long pauses shortened, and the engine's times mapped back to the recording.

Whisper in batches pays one encoder pass per window of up to 30 s, however much of it is silence.
Read speech has a pause of about a second between sentences (0.3 s of it the VAD's padding on each
side); shortening each pause between speech regions to `squeeze` seconds (0.5 by default) packs
more speech into each window. On the 3.6-minute file of bench/stt_batched.py that is 8 windows
instead of 9 (0.3 s gives 7, as many as faster-whisper's own batched pipeline makes with Silero,
and took 0.76 x fw-seq's time against 0.98 x unsqueezed in one loaded run; but tiny.en then heard
a few words differently from its sequential decode, 0.968 similar where tests/real asks 0.97):

    recording  |speech a|--- 1.0 s ---|speech b|-- 0.4 s --|speech c|
    sent       |speech a|0.25+0.25|speech b|-- 0.4 s --|speech c|      (squeeze 0.5: the middle
                                                                      0.5 s of the long pause cut)

The engine's times in the squeezed window (`Squeezed.real`) map back to the window's own time: a
time inside a kept stretch moves by the seconds cut before it; a time on a cut maps to the edge of
the pause, so a word never lands in the middle of a pause nobody heard.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from mynah.stt.vad import SpeechRegion
from mynah.stt.word_fit import in_order
from mynah.types import Samples, Segment, Transcription

__all__ = ["SQUEEZE", "Squeezed", "squeeze_window"]

SQUEEZE = 0.5
"""Seconds a pause between speech regions is kept at, in batched windows."""


@dataclass(frozen=True)
class Squeezed:
    """The samples to send, and where each kept stretch lies: `kept[i] = (sent_start, real_start)`
    in seconds from the window's start (sorted, the first at 0, 0)."""

    samples: Samples
    kept: tuple[tuple[float, float], ...]

    def real(self, sent: float, *, end: bool = False) -> float:
        """A time in the sent samples as a time in the window; a time exactly on a cut is the end
        of the pause for a start, its beginning for an `end`."""
        starts = [s for s, _ in self.kept]
        index = max(0, (bisect.bisect_left if end else bisect.bisect_right)(starts, sent) - 1)
        sent_start, real_start = self.kept[index]
        return real_start + (sent - sent_start)

    def unsqueeze(self, transcription: Transcription, duration: float) -> Transcription:
        """`transcription` of the sent samples, in the window's time (`duration` seconds long)."""
        if len(self.kept) == 1:
            return transcription
        return _mapped(transcription, self.real, duration)


def squeeze_window(
    samples: Samples,
    rate: int,
    window_start: float,
    regions: Sequence[SpeechRegion],
    squeeze: float,
) -> Squeezed:
    """`samples` (the window, starting at `window_start` s in the recording) with every pause
    between two of `regions` that is longer than `squeeze` shortened to it (its middle cut)."""
    duration = len(samples) / rate
    cuts: list[tuple[float, float]] = []  # (from, to) in window time, removed
    for here, after in itertools.pairwise(regions):
        gap_start, gap_end = here.end - window_start, after.start - window_start
        if gap_end <= 0 or gap_start >= duration:
            continue
        gap_start, gap_end = max(0.0, gap_start), min(duration, gap_end)
        if gap_end - gap_start > squeeze:
            half = squeeze / 2
            cuts.append((gap_start + half, gap_end - half))
    if not cuts:
        return Squeezed(samples, ((0.0, 0.0),))
    pieces: list[Samples] = []
    kept: list[tuple[float, float]] = []
    at, sent = 0, 0
    for cut_from, cut_to in cuts:
        lo, hi = round(cut_from * rate), round(cut_to * rate)
        if lo <= at:
            at = max(at, hi)
            continue
        pieces.append(samples[at:lo])
        kept.append((sent / rate, at / rate))
        sent += lo - at
        at = hi
    if at < len(samples):
        pieces.append(samples[at:])
        kept.append((sent / rate, at / rate))
    if not kept or kept[0] != (0.0, 0.0):
        kept.insert(0, (0.0, 0.0))
    return Squeezed(np.concatenate(pieces) if pieces else samples[:0], tuple(kept))


def _mapped(transcription: Transcription, real: Callable[..., float], duration: float) -> Transcription:
    def at(t: float, end: bool = False) -> float:
        return min(duration, max(0.0, real(t, end=end)))

    segments: list[Segment] = []
    for segment in transcription.segments:
        words = tuple(
            replace(w, start=at(w.start), end=max(at(w.start), at(w.end, True))) for w in segment.words
        )
        words = in_order(words)  # a word ending on a cut maps to the pause's start: guards rounding
        start, end = at(segment.start), at(segment.end, True)
        segments.append(replace(segment, start=start, end=max(start, end), words=words))
    return replace(transcription, segments=tuple(segments), duration=duration)
