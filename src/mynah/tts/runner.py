"""Runs one prepared synthesis plan: engines speak its steps, DSP applies what they cannot, the
clock of the audio produced is kept, and the engines' timings are mapped back onto the input."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from mynah.audio.dsp import StreamResampler, silence
from mynah.audio.dsp import resample as _resample
from mynah.audio.prosody import apply_gain, pitch_shift, time_stretch
from mynah.engines.base import SynthesisOptions, TtsEngine, Voice
from mynah.errors import (
    EngineFailed,
    EngineUnavailable,
    InvalidRequest,
    MynahError,
    PayloadTooLarge,
)
from mynah.text.ssml import Prosody
from mynah.tts.plan import Clip, MarkAt, Pause, Say, Script
from mynah.tts.speech import PreparedSpeech, SpeechChunk, SpeechMark
from mynah.types import AudioChunk, Samples, WordTiming

if TYPE_CHECKING:
    from mynah.tts.service import SpeechService

log = logging.getLogger(__name__)

_NATIVE_PITCH = (0.5, 2.0)
"""The part of a pitch change left to an engine's own pitch control; DSP does the rest. (The part of
a speed change is each engine's `capabilities.speed_range`.)"""

_SILENCE_PIECE = 5.0
"""Seconds of silence in one chunk at most."""


class Runner:
    """Runs one plan. Keeps the clock (seconds of audio produced) and maps engine timings back."""

    def __init__(self, service: SpeechService, prepared: PreparedSpeech, *, timings: bool = True) -> None:
        self.service = service
        self.prepared = prepared
        self.timings = timings
        self.rate = prepared.sample_rate
        self.elapsed = 0.0
        self.pending_marks: list[MarkAt] = []
        self.spoken = False
        """Whether any engine has spoken yet (the first speech is the one a listener waits for)."""

    def run(self) -> Iterator[SpeechChunk]:
        """The plan's audio, in order. With `timings` (the caller reads the marks as they come), a
        sentence's chunks are held until all of it is spoken, so its sentence mark (sent before its
        audio) carries its real duration: a sentence the plan cut into parts (its first clause, or
        at MAX_SAY_CHARS) comes out whole. Without, each Say's audio goes out as soon as it is
        spoken (a long first sentence: its first clause first), and the mark of a cut sentence
        times its first part only. The first Say that speaks is asked for an early start
        (`SynthesisOptions.early_start`) when its chunks go out as they come and no DSP reshapes
        them piece by piece."""
        held: list[SpeechChunk] = []
        start = self.elapsed
        for step in self.prepared.plan.steps:
            if not self.timings:  # nobody reads the marks as they come: each chunk as it is made
                for chunk in self._step(step):
                    yield from _with_sentence_durations([chunk], self.elapsed - chunk.duration)
                continue
            if isinstance(step, Say) and held and step.sentence_start:
                yield from _with_sentence_durations(held, start)
                held, start = [], self.elapsed
            held.extend(self._step(step))
        yield from _with_sentence_durations(held, start)
        if self.pending_marks:  # marks after the last word: at the very end
            yield SpeechChunk(np.zeros(0, np.float32), self.rate, self._flush_marks(self.elapsed))
        self.prepared.state.seconds = self.elapsed

    def _step(self, step: Say | Pause | MarkAt | Clip) -> Iterator[SpeechChunk]:
        if isinstance(step, MarkAt):
            self.pending_marks.append(step)
        elif isinstance(step, Pause):  # in pieces, so no buffer holds a long pause whole
            left = step.seconds
            marks = self._flush_marks(self.elapsed)
            while left > 0:
                piece = min(left, _SILENCE_PIECE)
                yield self._emit(silence(piece, self.rate), marks)
                marks, left = (), left - piece
        elif isinstance(step, Say):
            yield from self._say(step)
        else:
            yield from self._clip(step)

    def _clip(self, step: Clip) -> Iterator[SpeechChunk]:
        loader = self.service._clip_loader
        try:
            if loader is None:
                raise InvalidRequest("audio insertion is not configured")
            samples = loader.load(step.src, self.rate)
        except MynahError as exc:
            log.info(
                "SSML <audio src=%r> not inserted (%s); speaking its fallback", step.src[:80], exc.message
            )
            self.prepared.state.warnings.append(
                f"<audio src={step.src[:80]!r}> was not inserted ({exc.message}); its fallback was spoken"
            )
            for fallback in step.fallback:
                yield from self._step(fallback)
            return
        marks = (*self._flush_marks(self.elapsed), self._ssml_mark(step.span, "audio"))
        yield self._emit(samples, marks)

    def _say(self, step: Say) -> Iterator[SpeechChunk]:
        resolved = self.service._voice_for(step, self.prepared.resolved)
        candidates = [(resolved.engine, resolved.voice), *resolved.alternatives]
        for index, (engine, voice) in enumerate(candidates):
            try:
                yield from self._say_with(step, engine, voice, first_try=index == 0)
                return
            except EngineUnavailable as exc:
                reason = f"{voice.id}: {exc.message}"
                self.prepared.state.skipped.append(reason)
                log.warning("voice %s failed to load, falling back: %s", voice.id, exc.message)
        raise EngineUnavailable(
            f"no voice could speak: {'; '.join(self.prepared.state.skipped)}", param="voice"
        )

    def _say_with(
        self, step: Say, engine: TtsEngine, voice: Voice, *, first_try: bool
    ) -> Iterator[SpeechChunk]:
        caps = engine.capabilities
        script, ipa = step.script, step.ipa
        if ipa and not caps.phonemes:
            if step.fallback is None:
                return
            script, ipa = step.fallback, False
        rate = self.prepared.speed * step.prosody.rate
        native_rate = clamp(rate, *caps.speed_range) if caps.native_speed else 1.0
        native_pitch = clamp(step.prosody.pitch, *_NATIVE_PITCH) if caps.native_pitch else 1.0
        dsp = Prosody(
            rate=rate / native_rate, pitch=step.prosody.pitch / native_pitch, volume_db=step.prosody.volume_db
        )
        early = not self.timings and not self.spoken and dsp.rate == 1.0 and dsp.pitch == 1.0
        options = SynthesisOptions(
            voice=voice.name, speed=native_rate, pitch=native_pitch, ipa=ipa, early_start=early
        )
        resampler: StreamResampler | None = None
        try:
            chunks = iter(engine.synthesize(script.text, options))
            if not caps.word_timings and not ipa:
                chunks = iter([_with_estimated_words(list(chunks), script)])
            first = True
            for chunk in chunks:
                self.spoken = True
                if first:
                    self.prepared.state.voice = self.prepared.state.voice or voice
                    self.prepared.state.engine = self.prepared.state.engine or engine.name
                if early and chunk.sample_rate != self.rate:  # pieces cut mid-word: one filter for all
                    resampler = resampler or StreamResampler(chunk.sample_rate, self.rate)
                    samples = resampler.push(
                        self._shape(chunk.samples, chunk.sample_rate, dsp, resample=False)
                    )
                else:
                    samples = self._shape(chunk.samples, chunk.sample_rate, dsp)
                stretch = 1.0 / dsp.rate if dsp.rate != 1.0 else 1.0
                marks = list(self._flush_marks(self.elapsed + _first_word(chunk.words) * stretch))
                if first and step.sentence_start and not ipa:
                    span = step.sentence_span or script.span
                    marks.append(
                        SpeechMark(
                            "sentence",
                            self.elapsed,
                            0.0,
                            span[0],
                            span[1],
                            self.prepared.text[span[0] : span[1]],
                        )
                    )
                for word in chunk.words:
                    source = script.source_range(word.text_start, word.text_end)
                    if source is None:
                        continue
                    marks.append(
                        SpeechMark(
                            "word",
                            self.elapsed + word.start * stretch,
                            (word.end - word.start) * stretch,
                            source[0],
                            source[1],
                            self.prepared.text[source[0] : source[1]],
                        )
                    )
                first = False
                yield self._emit(samples, tuple(marks), spoken=len(samples) > 0)
            if resampler is not None:
                yield self._emit(resampler.finish(), (), spoken=True)
        except MynahError:
            raise
        except Exception as exc:  # an engine bug must not become a bare 500 with a traceback
            log.exception("engine %s failed on voice %s", engine.name, voice.id)
            raise EngineFailed(f"engine {engine.name} failed: {exc}") from exc

    def _shape(self, samples: Samples, rate: int, dsp: Prosody, *, resample: bool = True) -> Samples:
        """DSP for what the engine could not do, then (with `resample`) the output rate."""
        if dsp.rate != 1.0 or dsp.pitch != 1.0:
            if dsp.pitch != 1.0:
                samples = pitch_shift(samples, rate, clamp(dsp.pitch, 0.25, 4.0))
            if dsp.rate != 1.0:
                samples = time_stretch(samples, rate, clamp(dsp.rate, 0.25, 4.0))
        if dsp.volume_db != 0.0:
            samples = apply_gain(
                samples, dsp.volume_db if math.isfinite(dsp.volume_db) else -math.inf, sample_rate=rate
            )
        if resample and rate != self.rate:
            samples = _resample(samples, rate, self.rate)
        return samples

    def _emit(
        self, samples: Samples, marks: tuple[SpeechMark, ...] = (), *, spoken: bool = False
    ) -> SpeechChunk:
        chunk = SpeechChunk(samples, self.rate, marks, spoken)
        limit = self.service._settings.max_output_seconds
        if self.elapsed + chunk.duration > limit:
            raise PayloadTooLarge(
                f"the audio would be longer than {limit:,.0f} s; the limit is MYNAH_TTS__MAX_OUTPUT_SECONDS",
                param="input",
                code="output_seconds_limit",
            )
        self.elapsed += chunk.duration
        return chunk

    def _flush_marks(self, time: float) -> tuple[SpeechMark, ...]:
        marks = tuple(SpeechMark("mark", time, 0.0, m.span[0], m.span[1], m.name) for m in self.pending_marks)
        self.pending_marks.clear()
        return marks

    def _ssml_mark(self, span: tuple[int, int], value: str) -> SpeechMark:
        return SpeechMark("ssml", self.elapsed, 0.0, span[0], span[1], value)


def _with_sentence_durations(chunks: list[SpeechChunk], at: float) -> list[SpeechChunk]:
    """`chunks` (one sentence and what follows it up to the next, starting at `at` seconds) with each
    sentence mark's duration set: from its time to the end of the last audio an engine spoke before
    the next sentence mark (a pause after the sentence is not part of it)."""
    if not any(m.type == "sentence" for c in chunks for m in c.marks):
        return chunks
    starts = []
    for chunk in chunks:
        starts.append(at)
        at += chunk.duration
    out = list(chunks)
    for index, chunk in enumerate(chunks):
        for mark in chunk.marks:
            if mark.type != "sentence":
                continue
            end = mark.time
            for later, start in zip(chunks[index:], starts[index:], strict=True):
                if later is not chunk and any(m.type == "sentence" for m in later.marks):
                    break
                if later.spoken:
                    end = start + later.duration
            fixed = replace(mark, duration=max(0.0, end - mark.time))
            out[index] = replace(out[index], marks=tuple(fixed if m is mark else m for m in out[index].marks))
    return out


def _with_estimated_words(chunks: list[AudioChunk], script: Script) -> AudioChunk:
    """One sentence from an engine without word events, joined, with word timings estimated: the voiced
    span (first to last sample above -40 dBFS) shared out in proportion to each word's spoken length."""
    if not chunks:
        return AudioChunk(np.zeros(0, np.float32), 22050)
    rate = chunks[0].sample_rate
    samples = np.concatenate([c.samples for c in chunks]) if len(chunks) > 1 else chunks[0].samples
    loud = np.flatnonzero(np.abs(samples) > 0.01)
    if not len(loud):
        return AudioChunk(samples, rate)
    start, end = loud[0] / rate, loud[-1] / rate
    pieces = [p for p in script.pieces if script.text[p[0] : p[1]].strip(".,?!;: ")]
    weights = [len(script.text[p[0] : p[1]]) + 1 for p in pieces]
    total = float(sum(weights)) or 1.0
    words: list[WordTiming] = []
    at = start
    for piece, weight in zip(pieces, weights, strict=True):
        length = (end - start) * weight / total
        words.append(WordTiming(script.text[piece[0] : piece[1]], at, at + length, piece[0], piece[1]))
        at += length
    return AudioChunk(samples, rate, tuple(words))


def _first_word(words: Sequence[object]) -> float:
    start = getattr(words[0], "start", 0.0) if words else 0.0
    return float(start)


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
