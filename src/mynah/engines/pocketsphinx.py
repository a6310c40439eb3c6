"""CMU PocketSphinx speech to text with the US English model the `pocketsphinx` wheel ships (5.x API).

Model
    One model, `pocketsphinx:en-us`: the wheel's acoustic model, `en-us.lm.bin` trigram language model
    and CMUdict, found with `pocketsphinx.get_model_path()`. English only.

Decoders
    A `pocketsphinx.Decoder` is not thread-safe and costs about 0.3 s and 90 MB to create, so the engine
    keeps a small pool (`options["decoders"]`, default 2), filled on first use rather than at start-up:
    constructing the engine is cheap and the first transcription pays the load once. A caller beyond the
    pool size waits for a free decoder. Before each utterance the decoder's feature extraction is reset
    (`reinit_feat`, ~0.1 ms) so noise and cepstral-mean estimates from an earlier request cannot change
    the result. The same audio always gives the same transcription.

Input
    Floats become int16 exactly as ffmpeg converts them (round(x * 32768), saturated), with no dither:
    pocketsphinx is chaotic enough that 1-LSB differences flip words (jfk.flac: WER 0.23 vs 0.59), and
    mynah must hear a file exactly as a user calling pocketsphinx on the ffmpeg-decoded file would
    (bench/stt_wer.py checks it). Audio with no sample above 1 LSB is digital silence and gives no
    words without decoding (the decoder would otherwise invent some); silence inside real audio is the
    VAD stage's job, not the engine's.

Confidence
    `Word.probability` is the word's posterior probability in the decoder's word lattice. With
    `bestpath` on (the default), `Decoder.seg()` walks the lattice's best path and, for each word,
    `ps_seg_prob` returns alpha(link) + beta(link) - P(O) in the log domain, summed over the word's
    lattice exits and alternate pronunciations at the same frames (forward-backward over the lattice,
    acoustic scores scaled by `ascale`); the binding returns it through `logmath.exp`. Integer log-math
    rounding can push it a hair above 1, so it is clipped to [0, 1]. `Segment.avg_logprob` is the mean
    natural log of the segment's word posteriors.

Output
    Times come from frames (100 per second, end frame inclusive). Fillers and silences (`<s>`, `</s>`,
    `<sil>`, `[NOISE]`, `[SPEECH]`) are dropped and alternate-pronunciation suffixes ("the(2)") removed.
    Words are grouped into segments at pauses of 0.5 s or more, and a segment is cut at a word boundary
    before it grows past 10 s, so subtitles stay readable.

Not supported: languages other than English (`NotSupported`), translation (`NotSupported`). A prompt
and hotwords are ignored (capabilities `prompt` and `hotwords` are False; keyphrase spotting is a
different search mode, not a bias on transcription).
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import Field

from mynah.engines.base import EngineConfig, EngineOptions, SttCapabilities, SttModel, TranscriptionOptions
from mynah.errors import EngineFailed, EngineUnavailable, InvalidAudio, NotSupported, UnknownModel
from mynah.types import Samples, Segment, Transcription, Word, join_words

__all__ = ["PocketsphinxEngine"]

_SAMPLE_RATE = 16000
_FRAMES_PER_SECOND = 100
_MODEL = "en-us"
_LANGUAGES = frozenset({"en", "en-us", "eng", "english"})
_PAUSE_SECONDS = 0.5
_MAX_SEGMENT_SECONDS = 10.0
_ALTERNATE = re.compile(r"\(\d+\)$")


@dataclass(frozen=True)
class _ModelFiles:
    hmm: Path
    lm: Path
    dictionary: Path


class _DecoderPool:
    """Up to `size` decoders, created on demand; `acquire` lends one to a single thread at a time and
    takes it back, unless the work with it failed."""

    def __init__(self, files: _ModelFiles, size: int) -> None:
        self._files = files
        self._size = size
        self._idle: list[Any] = []
        self._created = 0
        self._available = threading.Condition()

    @contextmanager
    def acquire(self) -> Iterator[Any]:
        decoder = None
        with self._available:
            while not self._idle and self._created >= self._size:
                self._available.wait()
            if self._idle:
                decoder = self._idle.pop()
            else:
                self._created += 1
        if decoder is None:
            try:
                decoder = self._create()
            except BaseException:
                with self._available:
                    self._created -= 1
                    self._available.notify()
                raise
        try:
            yield decoder
        except BaseException:
            # a decoder that failed mid-utterance may be left in any state: drop it, make a new one later
            with self._available:
                self._created -= 1
                self._available.notify()
            raise
        with self._available:
            self._idle.append(decoder)
            self._available.notify()

    def _create(self) -> Any:
        import pocketsphinx

        try:
            return pocketsphinx.Decoder(
                hmm=str(self._files.hmm),
                lm=str(self._files.lm),
                dict=str(self._files.dictionary),
                samprate=_SAMPLE_RATE,
                bestpath=True,
                dither=False,
                loglevel="FATAL",
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineUnavailable(f"pocketsphinx could not load its model: {exc}") from exc


class PocketsphinxOptions(EngineOptions):
    decoders: int = Field(default=2, ge=1, le=64)
    """Decoders in the pool: how many transcriptions run at once."""


class PocketsphinxEngine:
    """PocketSphinx STT. Options: `decoders` (pool size, default 2)."""

    name = "pocketsphinx"
    capabilities = SttCapabilities(
        sample_rate=_SAMPLE_RATE,
        spoken_words=True,
        word_timestamps=True,
        translate=False,
        language_detection=False,
        prompt=False,
        hotwords=False,
        max_window_seconds=None,
    )

    def __init__(self, config: EngineConfig) -> None:
        try:
            import pocketsphinx
        except ImportError as exc:
            raise EngineUnavailable("pocketsphinx is not installed; pip install pocketsphinx") from exc
        root = Path(pocketsphinx.get_model_path()) / _MODEL
        files = _ModelFiles(
            hmm=root / _MODEL, lm=root / f"{_MODEL}.lm.bin", dictionary=root / "cmudict-en-us.dict"
        )
        missing = [str(p) for p in (files.hmm, files.lm, files.dictionary) if not p.exists()]
        if missing:
            raise EngineUnavailable(f"pocketsphinx model files missing: {', '.join(missing)}")
        options = config.parse_options(PocketsphinxOptions, self.name)
        self._pool = _DecoderPool(files, options.decoders)

    def models(self) -> list[SttModel]:
        return [
            SttModel(
                id=f"{self.name}:{_MODEL}",
                engine=self.name,
                name=_MODEL,
                languages=("en",),
                description="CMU PocketSphinx US English (continuous HMM, trigram LM, CMUdict)",
            )
        ]

    def transcribe(self, audio: Samples, options: TranscriptionOptions) -> Transcription:
        """Transcribe mono float32 audio at 16 kHz."""
        if options.model.lower() != _MODEL:
            raise UnknownModel(f"unknown pocketsphinx model {options.model!r}", param="model")
        if options.language is not None and options.language.lower() not in _LANGUAGES:
            raise NotSupported(
                f"pocketsphinx transcribes English only, not {options.language!r}", param="language"
            )
        if options.task != "transcribe":
            raise NotSupported(f"pocketsphinx cannot {options.task}", param="task")
        samples = np.asarray(audio)
        if samples.ndim != 1:
            raise InvalidAudio(f"expected mono audio (one dimension), got shape {samples.shape}")
        duration = len(samples) / _SAMPLE_RATE
        if len(samples) == 0:
            return Transcription(segments=(), duration=0.0, language="en")
        pcm = _to_pcm16(samples)
        if not np.any(np.abs(np.frombuffer(pcm, dtype="<i2").astype(np.int32)) > 1):
            return Transcription(segments=(), duration=duration, language="en")
        with self._pool.acquire() as decoder:
            try:
                decoder.reinit_feat()
                decoder.start_utt()
                decoder.process_raw(pcm, full_utt=True)
                decoder.end_utt()
                raw = [(s.word, s.start_frame, s.end_frame, s.prob) for s in decoder.seg()]
            except RuntimeError as exc:
                raise EngineFailed(f"pocketsphinx failed: {exc}") from exc
        words = _words(raw, duration)
        segments = _segments(words, with_words=options.word_timestamps)
        return Transcription(segments=segments, duration=duration, language="en", language_probability=None)


def _to_pcm16(samples: Samples) -> bytes:
    floats = np.nan_to_num(samples.astype(np.float32, copy=False), nan=0.0, posinf=1.0, neginf=-1.0)
    # The same conversion ffmpeg's flt -> s16 uses (round(x * 32768), saturated), so the decoder hears
    # exactly what it hears when a user feeds it a file decoded by ffmpeg: pocketsphinx is sensitive
    # enough that 1-LSB differences change words on some recordings.
    scaled = np.rint(floats * 32768.0)
    pcm: bytes = np.clip(scaled, -32768, 32767).astype("<i2").tobytes()
    return pcm


def _is_filler(word: str) -> bool:
    return word.startswith(("<", "[", "+")) or not word


def _words(raw: list[tuple[str, int, int, float]], duration: float) -> list[Word]:
    out = []
    for word, start_frame, end_frame, prob in raw:
        if _is_filler(word):
            continue
        start = min(start_frame / _FRAMES_PER_SECOND, duration)
        end = min((end_frame + 1) / _FRAMES_PER_SECOND, duration)
        probability = min(max(float(prob), 0.0), 1.0) if math.isfinite(prob) else 0.0
        out.append(
            Word(text=_ALTERNATE.sub("", word), start=start, end=max(end, start), probability=probability)
        )
    return out


def _segments(words: list[Word], *, with_words: bool) -> tuple[Segment, ...]:
    groups: list[list[Word]] = []
    for word in words:
        if groups:
            current = groups[-1]
            pause = word.start - current[-1].end
            if pause < _PAUSE_SECONDS and word.end - current[0].start <= _MAX_SEGMENT_SECONDS:
                current.append(word)
                continue
        groups.append([word])
    segments = []
    for index, group in enumerate(groups):
        logs = [math.log(max(w.probability, 1e-10)) for w in group]
        segments.append(
            Segment(
                id=index,
                start=group[0].start,
                end=group[-1].end,
                text=join_words(group),
                words=tuple(group) if with_words else (),
                avg_logprob=sum(logs) / len(logs),
                no_speech_prob=None,
            )
        )
    return tuple(segments)
