"""Long audio: cut a recording into windows an engine can take, transcribe them, stitch the words.

    audio blocks ──► VadStream ──► WindowPlanner ──► engine.transcribe(window) ──► fit_to_speech ──► merge_windows
         │                              ▲                     ▲
         └──────► rolling buffer ───────┴─────────────────────┘

(`fit_to_speech`, `mynah.stt.word_fit`: a word's times are kept out of the pauses the VAD heard.)

Windows (`plan_windows`) cover every second of speech the detector found, are at most `max_window`
seconds long, and never contain a pause longer than `max_silence` (so silence is never sent to the
engine and cannot come back as invented words). A window is cut, in order of preference:

1. at the first pause of `max_silence` or more: the window ends where speech stops, the next one
   starts where it resumes;
2. at a pause of `min_gap_to_cut` or more, choosing the longest one in the second half of the window
   (the latest pause when the second half has none): again nothing overlaps;
3. inside speech, when there is no usable pause: at the middle of the longest short pause in the
   second half of the window, or `overlap` seconds before its limit. Both windows then extend
   `overlap` seconds past the cut, and `merge_windows` takes each word once from the window where it
   lies further from the edge.

Memory: `transcribe_long` never holds the whole recording. It reads blocks (e.g. from
`mynah.audio.decode.iter_decode`), pushes each into a streaming detector and into a rolling buffer,
and asks the planner for the windows that the speech found so far already decides. The planner
decides a window starting at `s` once the detector's regions are final up to
`s + max_window + max_silence`; it never looks further, so planning whole-file and planning block by
block give the same windows. After each block the buffer drops everything before the earliest time a
future window can start. The buffer therefore holds about
`max_window + max_silence + detector delay (<= its max_piece_seconds) + one block` of audio
(30 + 3 + 11 + 30 s, 4.7 MB of float32 at 16 kHz, with the defaults and `iter_decode`'s 30 s blocks;
Whisper's 300 s windows make it 344 s, 22 MB), whatever the length of the recording; only the words transcribed so far grow with it. Measured:
15 minutes fed in 10 s blocks peak at 4.9 MB of allocations, against 58 MB for the decoded recording
(tests/stt/test_chunking.py keeps it under a sixth). In batches (`transcribe_long(batches=...)`)
windows are planned by their length with pauses shortened to `squeeze` seconds and sent so
(`mynah.stt.squeeze`: more speech per 30 s window, times mapped back); each window's samples are
copied out when it is submitted and at most one batch more than the queue has lanes (with the
defaults, 3 batches of 2 windows of <= 30 s, 11 MB) wait for the engine or run at a time.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from mynah.cancel import check_cancelled
from mynah.engines.base import BatchTranscriber, SttEngine, TranscriptionOptions
from mynah.errors import Cancelled
from mynah.stt.merge import merge_windows
from mynah.stt.squeeze import SQUEEZE, Squeezed, squeeze_window
from mynah.stt.vad import SpeechRegion, VoiceActivityDetector
from mynah.stt.word_fit import Pause, fit_to_speech, pauses_in
from mynah.types import Samples, Transcription

if TYPE_CHECKING:
    from mynah.stt.batching import Ticket

__all__ = ["Window", "WindowPlanner", "plan_windows", "transcribe_long"]

DEFAULT_MAX_WINDOW = 30.0
"""Window length when neither the caller nor the engine names one (Whisper's own window)."""

DEFAULT_MAX_SILENCE = 3.0
"""A pause this long always ends a window (for engines that want context, see `transcribe_long`)."""

_EPS = 1e-9

_POLL = 0.1
"""Seconds between looks at the cancellation token (`mynah.cancel`) while waiting for a batch."""


@dataclass(frozen=True)
class Window:
    """A stretch of the recording sent to the engine in one call, in seconds from its start."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


def plan_windows(
    regions: Sequence[SpeechRegion],
    total_seconds: float,
    *,
    max_window: float,
    overlap: float,
    min_gap_to_cut: float,
    max_silence: float = DEFAULT_MAX_SILENCE,
) -> list[Window]:
    """Windows covering every region of speech, as the module docstring describes.

    `regions` may be unsorted or overlapping; they are clipped to [0, total_seconds] and merged first.
    Raises `ValueError` for a `max_window` that leaves no progress after two overlaps
    (`max_window <= 2 * overlap`) or other impossible settings.
    """
    planner = WindowPlanner(
        max_window=max_window, overlap=overlap, min_gap_to_cut=min_gap_to_cut, max_silence=max_silence
    )
    return planner.finish(regions, total_seconds)


class WindowPlanner:
    """`plan_windows`, fed as the speech regions become known.

    Call `advance(regions, known_until)` whenever the regions are final up to `known_until` (they may
    include a region clipped there); it returns the windows that this knowledge settles, each
    once. `finish(regions, total)` returns the rest. Whatever the increments, the windows are the
    ones `plan_windows` gives for the final regions.
    """

    def __init__(
        self,
        *,
        max_window: float,
        overlap: float,
        min_gap_to_cut: float,
        max_silence: float = DEFAULT_MAX_SILENCE,
        pack: bool = False,
        squeeze: float | None = None,
    ) -> None:
        if not max_window > 0 or not math.isfinite(max_window):
            raise ValueError(f"max_window must be a positive number of seconds, got {max_window}")
        if overlap < 0 or min_gap_to_cut < 0:
            raise ValueError(
                f"overlap and min_gap_to_cut must not be negative, got {overlap}, {min_gap_to_cut}"
            )
        if max_window <= 2 * overlap:
            raise ValueError(
                f"max_window ({max_window} s) must be longer than twice the overlap ({overlap} s)"
            )
        if max_silence <= 0 or max_silence < min_gap_to_cut:
            raise ValueError(
                f"max_silence ({max_silence} s) must be positive and at least min_gap_to_cut ({min_gap_to_cut} s)"
            )
        self.max_window = max_window
        self.overlap = overlap
        self.min_gap_to_cut = min_gap_to_cut
        self.max_silence = max_silence
        self.pack = pack
        """Cut at the latest usable pause rather than the longest late one: windows as full as
        they can be, for engines that pay per window (Whisper in batches pads each to 30 s)."""
        if squeeze is not None and squeeze < 0:
            raise ValueError(f"squeeze must not be negative, got {squeeze}")
        self.squeeze = squeeze
        """A pause inside a window counts (and is sent) as at most this many seconds
        (`mynah.stt.squeeze`): windows hold more speech. None: pauses count in full."""
        self._cursor = 0.0  # no window starts before this
        self._inside = False  # the cursor was placed inside speech by a forced cut
        self._finished = False

    def earliest_start(self, regions: Sequence[SpeechRegion], known_until: float) -> float:
        """No window returned later starts before this time (audio before it can be dropped)."""
        if self._inside:
            return self._cursor
        for region in _normalise(regions, math.inf):
            if region.end > self._cursor + _EPS:
                return max(self._cursor, region.start)
        return max(self._cursor, known_until)

    def advance(self, regions: Sequence[SpeechRegion], known_until: float) -> list[Window]:
        if self._finished:
            raise RuntimeError("advance after finish")
        return list(self._plan(_normalise(regions, known_until), known_until, final=False))

    def finish(self, regions: Sequence[SpeechRegion], total_seconds: float) -> list[Window]:
        if self._finished:
            raise RuntimeError("finish called twice")
        if total_seconds < 0 or not math.isfinite(total_seconds):
            raise ValueError(f"total_seconds must be a finite duration, got {total_seconds}")
        self._finished = True
        return list(self._plan(_normalise(regions, total_seconds), total_seconds, final=True))

    def _plan(self, regions: list[SpeechRegion], known: float, *, final: bool) -> Iterator[Window]:
        while True:
            rest = [r for r in regions if r.end > self._cursor + _EPS]
            if not rest:
                if not self._inside:
                    self._cursor = max(self._cursor, known)
                return
            start = self._cursor if self._inside else max(self._cursor, rest[0].start)
            limit = self._limit(start, rest)
            if not final and known < limit + self.max_silence:
                return  # the regions that decide this window are not all known yet
            window, next_start, inside = self._decide(start, limit, rest, known, final=final)
            if final:
                window = Window(max(0.0, window.start), min(known, window.end))
            yield window
            self._cursor, self._inside = next_start, inside

    def _limit(self, start: float, rest: list[SpeechRegion]) -> float:
        """Where a window starting at `start` reaches `max_window` seconds, its pauses counted as at
        most `squeeze` seconds each. Time after the last region known is counted as speech, so the
        limit is never later than the one the final regions give."""
        if self.squeeze is None:
            return start + self.max_window
        budget, at = self.max_window, start
        for here, after in zip(rest, [*rest[1:], None], strict=True):
            speech_from = max(here.start, at)
            speech = max(0.0, here.end - speech_from)
            if speech >= budget or after is None:
                return speech_from + budget
            budget -= speech
            kept = min(after.start - here.end, self.squeeze)
            if kept >= budget:
                return here.end + budget
            budget -= kept
            at = after.start
        return at + budget

    def _decide(
        self, start: float, limit: float, rest: list[SpeechRegion], known: float, *, final: bool
    ) -> tuple[Window, float, bool]:
        """The window starting at `start`, the start of the next one, and whether that is inside speech."""
        cuttable: list[tuple[float, float]] = []  # pauses >= min_gap_to_cut inside the window
        short: list[tuple[float, float]] = []  # shorter pauses, where a forced cut hurts least
        for here, after in zip(rest, [*rest[1:], None], strict=True):
            gap_start = max(here.end, start)
            if gap_start > limit + _EPS:
                break
            gap_end = after.start if after is not None else (math.inf if final else known)
            if gap_end - gap_start >= self.max_silence - _EPS:
                return Window(start, gap_start), after.start if after else known, False
            if gap_end - gap_start >= self.min_gap_to_cut - _EPS:
                cuttable.append((gap_start, gap_end))
            else:
                short.append((gap_start, gap_end))
        half = start + self.max_window / 2
        late = [g for g in cuttable if g[0] >= half - _EPS]
        if self.pack and cuttable:
            gap_start, gap_end = cuttable[-1]
            return Window(start, gap_start), gap_end, False
        if late:
            gap_start, gap_end = max(late, key=lambda g: (g[1] - g[0], g[0]))
            return Window(start, gap_start), gap_end, False
        if cuttable:
            gap_start, gap_end = cuttable[-1]
            return Window(start, gap_start), gap_end, False
        latest_cut = limit - self.overlap
        pauses = [g for g in short if half - _EPS <= (g[0] + g[1]) / 2 <= latest_cut + _EPS]
        if pauses:
            gap_start, gap_end = max(pauses, key=lambda g: (g[1] - g[0], g[0]))
            cut = (gap_start + gap_end) / 2
        else:
            cut = latest_cut
        return Window(start, cut + self.overlap), cut - self.overlap, True


def _normalise(regions: Sequence[SpeechRegion], until: float) -> list[SpeechRegion]:
    """Sorted, merged, clipped to [0, until], empty ones dropped."""
    merged: list[SpeechRegion] = []
    for region in sorted(regions, key=lambda r: (r.start, r.end)):
        start, end = max(0.0, float(region.start)), min(float(until), float(region.end))
        if end <= start:
            continue
        if merged and start <= merged[-1].end:
            if end > merged[-1].end:
                merged[-1] = SpeechRegion(merged[-1].start, end)
            continue
        merged.append(SpeechRegion(start, end))
    return merged


def transcribe_long(
    engine: SttEngine,
    audio: Iterable[Samples] | Samples,
    options: TranscriptionOptions,
    *,
    vad: VoiceActivityDetector,
    max_window: float | None = None,
    overlap: float = 2.0,
    min_gap_to_cut: float = 0.3,
    max_silence: float | None = None,
    total_seconds: float | None = None,
    progress: Callable[[float, float], None] | None = None,
    batches: Ticket[tuple[Samples, TranscriptionOptions], Transcription] | None = None,
    squeeze: float | None = SQUEEZE,
) -> Transcription:
    """Transcribe a recording of any length: detect speech, cut windows, transcribe them, merge.

    `audio` is mono float32 at `engine.capabilities.sample_rate`: one array, or blocks of it in order
    (`iter_decode(source, rate)`), which are read once and not kept (see the module docstring).
    `max_window` defaults to the engine's `max_window_seconds` (or 30 s) and is capped by it.
    `max_silence` defaults by the kind of engine: one with a window limit (Whisper-like) gets pauses
    of up to 3 s packed into its windows, for context; one without (pocketsphinx, which adapts
    its feature normalisation per call and decodes utterance by utterance) gets one stretch of
    speech per call, cut at every pause of `min_gap_to_cut`. Packing 30 s windows cost pocketsphinx
    7 points of WER on the shared recordings; one utterance per call cost none.
    Silence and noise are never sent to the engine, so a recording without speech gives an empty
    transcription. `progress(done, total)` is called as the work advances: `done` is the seconds of
    audio finished with, `total` is `total_seconds` when given, else the seconds read so far.

    With `batches` (a ticket of the model's `mynah.stt.batching.BatchQueue`; the engine is then a
    `BatchTranscriber`) windows are submitted as they are planned and decoded in shared batches:
    the language is settled once, from the first window, and at most one batch more than the
    queue has lanes of this request's windows are queued or running at a time, so memory stays flat however long the recording.
    Cancelled work (`mynah.cancel`) stops at the next window, or while waiting for a batch: the
    request's queued windows are dropped and `Cancelled` is raised.
    """
    rate = engine.capabilities.sample_rate
    engine_limit = engine.capabilities.max_window_seconds
    if max_window is None:
        max_window = engine_limit if engine_limit is not None else DEFAULT_MAX_WINDOW
    elif engine_limit is not None:
        max_window = min(max_window, engine_limit)
    if max_silence is None:
        max_silence = DEFAULT_MAX_SILENCE if engine_limit is not None else max(min_gap_to_cut, 0.1)
    planner = WindowPlanner(
        max_window=max_window,
        overlap=overlap,
        min_gap_to_cut=min_gap_to_cut,
        max_silence=max_silence,
        pack=batches is not None,
        squeeze=squeeze if batches is not None else None,
    )
    stream = vad.stream(rate)
    buffer = _RollingBuffer(rate)
    results: list[tuple[Window, Transcription]] = []
    pending: deque[tuple[Window, Future[Transcription], Squeezed, tuple[Pause, ...]]] = deque()
    done = 0.0
    language: tuple[str | None, float | None] | None = None
    limit = (batches.lanes + 1) * batches.batch_size if batches is not None else 0

    def check() -> None:
        try:
            check_cancelled()
        except Cancelled:
            if batches is not None:
                batches.cancel()
            raise

    def report(position: float) -> None:
        nonlocal done
        if pending:
            position = min(position, pending[0][0].start)
        done = max(done, min(position, buffer.end))
        if progress is not None:
            progress(done, total_seconds if total_seconds is not None else buffer.end)

    def collect() -> None:
        assert batches is not None
        window, future, squeezed, pauses = pending.popleft()
        while True:
            check()
            try:
                found = batches.wait(future, _POLL)
                results.append((window, fit_to_speech(squeezed.unsqueeze(found, window.duration), pauses)))
                break
            except TimeoutError:
                continue
        report(window.end)

    def run(windows: list[Window], regions: Sequence[SpeechRegion]) -> None:
        nonlocal options, language
        for window in windows:
            check()
            samples = buffer.slice(window.start, window.end)
            pauses = pauses_in(regions, window.start, window.end)
            if batches is None:
                results.append((window, fit_to_speech(engine.transcribe(samples, options), pauses)))
                report(window.end)
                continue
            assert isinstance(engine, BatchTranscriber)
            squeezed = (
                squeeze_window(samples, rate, window.start, _normalise(regions, math.inf), squeeze)
                if squeeze is not None
                else Squeezed(samples, ((0.0, 0.0),))
            )
            if language is None:
                language = engine.detect_language(squeezed.samples, options)
                options = replace(options, language=language[0])
            future = batches.submit((squeezed.samples, options), key=options)
            pending.append((window, future, squeezed, pauses))
            while len(pending) >= limit:
                collect()

    for block in _blocks(audio, rate):
        buffer.append(block)
        stream.push(block)
        regions = stream.regions()
        run(planner.advance(regions, stream.final_until), regions)
        keep_from = planner.earliest_start(regions, stream.final_until)
        buffer.drop_before(keep_from)
        report(keep_from)
    stream.finish()
    total = buffer.end
    run(planner.finish(stream.regions(), total), stream.regions())
    if batches is not None:
        batches.end()
        while pending:
            collect()
    report(total)
    merged = merge_windows(results, duration=total)
    if language is not None and language[0] is not None:
        merged = replace(merged, language=language[0], language_probability=language[1])
    return merged


def _blocks(audio: Iterable[Samples] | Samples, rate: int) -> Iterator[Samples]:
    if isinstance(audio, np.ndarray):
        step = round(DEFAULT_MAX_WINDOW * rate)
        for start in range(0, len(audio), step):
            yield _mono(audio[start : start + step])
        return
    for block in audio:
        yield _mono(block)


def _mono(block: Samples) -> Samples:
    array = np.asarray(block, dtype=np.float32)
    if array.ndim != 1:
        raise ValueError(f"expected mono audio blocks as 1-D arrays, got shape {array.shape}")
    return array


class _RollingBuffer:
    """The recent part of a recording: blocks appended at the end, dropped from the front."""

    def __init__(self, rate: int) -> None:
        self._rate = rate
        self._blocks: deque[Samples] = deque()
        self._first = 0  # sample index of the first sample of the first block held
        self._samples = 0  # samples appended in all

    @property
    def end(self) -> float:
        """Seconds appended so far."""
        return self._samples / self._rate

    @property
    def held(self) -> int:
        """Samples currently held."""
        return self._samples - self._first

    def append(self, block: Samples) -> None:
        if len(block):
            self._blocks.append(block)
            self._samples += len(block)

    def drop_before(self, seconds: float) -> None:
        sample = math.floor(seconds * self._rate)
        while self._blocks and self._first + len(self._blocks[0]) <= sample:
            self._first += len(self._blocks.popleft())

    def slice(self, start: float, end: float) -> Samples:
        lo = max(round(start * self._rate), self._first)
        hi = min(round(end * self._rate), self._samples)
        if round(start * self._rate) < self._first:
            raise RuntimeError(f"audio at {start:.3f} s was already dropped from the buffer")
        parts: list[Samples] = []
        offset = self._first
        for block in self._blocks:
            block_end = offset + len(block)
            if block_end > lo and offset < hi:
                parts.append(block[max(0, lo - offset) : hi - offset])
            offset = block_end
        if not parts:
            return np.zeros(0, dtype=np.float32)
        return parts[0].copy() if len(parts) == 1 else np.concatenate(parts)
