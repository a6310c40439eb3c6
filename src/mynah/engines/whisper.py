"""Whisper speech to text with faster-whisper (CTranslate2), through the model manager.

Models
    `whisper:<name>`: tiny, base, small, medium, large-v1/v2/v3, large-v3-turbo (each also `.en` where
    OpenAI made one) and the distil models (distil-small.en, distil-medium.en, distil-large-v2/v3,
    distil-large-v3.5), as faster-whisper's own CTranslate2 conversions on the Hugging Face Hub; or any
    CTranslate2 Whisper conversion installed from a local directory (`mynah models pull whisper:mine
    --from DIR`). Installed models are listed; a catalog model that is not installed resolves when it
    can be fetched on first use and is skipped with the reason when it cannot.

Loading
    `hold(name)` (the transcription service holds the model for a whole request) and `transcribe`
    take a lease on the model: `WhisperModel(dir, device, compute_type)` on first use
    (int8 on CPU by default: about half the memory of float16 and faster on CPUs), shared by every
    request until it is idle. A model that cannot load raises `EngineUnavailable` (ModelNotReady).

Windows
    Sequential (short audio, or `batched=false`): mynah's STT pipeline (VAD, windows, merging; see
    `mynah.stt.chunking`) hands the engine windows of speech of up to `window` seconds (default
    300), cut at pauses of 3 s or more, and faster-whisper seeks through each one 30 s at a time,
    conditioning on the text before, as it does through a whole file. Windows of Whisper's own 30 s
    cost more than that: faster-whisper decodes again after the last word of a window it did not see
    finish, so a 3-minute recording in 9 windows of 15-30 s took 20 encoder passes where the whole
    file takes 8, 66 % more time, and lost the earlier text as context (WER 0.043 against 0.021); in
    300 s windows it is 8 passes and 0.021.
    Batched (audio of `batch_threshold` seconds or more by default; `batched=true` always,
    `batched=false` never): mynah's VAD windows of up to 30 s, cut at pauses, decoded `batch_size`
    (2) at a time by `mynah.engines.whisper_batch` through the transcription service's batching
    queue (`mynah.stt.batching`), shared by every request on the model; no text from earlier
    windows as context, word timestamps and probabilities from the same decode.
    `num_workers` (2) is how many batches may run at once, each on `batch_threads` threads (the
    cores shared out among them, on a replica of the model of its own when that differs from the
    sequential path's `cpu_threads`): a lone recording runs a batch in each lane, and a newcomer's
    windows take the next lane that frees, ahead of the long recording's next batch.

Decoding
    Beam search (engine option `beam_size`, default 5) with faster-whisper's temperature fallback,
    word timestamps from cross-attention alignment with per-word probabilities, language detection
    when no language is given (the detected language and its probability come back in the
    Transcription), the translate task (multilingual models), an initial prompt and hotwords.
    `vad_filter=true` runs faster-whisper's own (Silero) VAD in the sequential mode too.

Options: `device` (cpu), `compute_type` (int8), `cpu_threads` (all cores), `batch_threads` (the
cores shared out among the lanes), `num_workers` (2),
`beam_size` (5), `window` (300), `batched` (auto | true | false), `batch_size` (2),
`batch_threshold` (seconds, see BATCH_THRESHOLD), `vad_filter` (false, sequential mode only).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field

from mynah.cancel import checked
from mynah.engines.base import (
    BatchPlan,
    EngineConfig,
    EngineOptions,
    SttCapabilities,
    SttModel,
    TranscriptionOptions,
)
from mynah.engines.cores import usable_cores
from mynah.engines.whisper_batch import MAX_BATCH_WINDOW, decode_windows, detect_language
from mynah.errors import EngineFailed, EngineUnavailable, InvalidAudio, NotSupported, UnknownModel
from mynah.models import InstalledModel, lookup, split_id
from mynah.models.catalog import WHISPER_LANGUAGES
from mynah.priority import at_transcription_priority
from mynah.types import Samples, Segment, Transcription, Word

__all__ = ["WhisperEngine"]

_SAMPLE_RATE = 16000

BATCH_THRESHOLD = 15.0
"""Seconds from which batching pays (bench/stt_batched.py --threshold --rounds 2, whisper:base, idle
2026-12-02, two lanes of one thread: batched / sequential 0.83 x at 17 s, 0.79 x at 31 s, 0.68 x at
50 s, 0.55 x at 65 s, 0.47 x at 98 s): shorter clips stay sequential, on every core, where the
batched path would run one window on one thread."""


class WhisperOptions(EngineOptions):
    device: str = "cpu"
    compute_type: str = "int8"
    """CTranslate2 compute type: int8 (CPU default), int8_float16, float16, float32, ..."""
    cpu_threads: int = Field(default=0, ge=0)
    """Threads of a sequential call (short audio, live transcription). 0: every usable core (8 clips
    under 15 s, whisper:base, idle on 2 cores: 13.2 s on two threads, 18.6-20.1 s on one;
    `bench/stt_batched.py --short`, its `mynah-1thr` arm)."""
    batch_threads: int = Field(default=0, ge=0)
    """Threads of a batch call. 0: the usable cores shared out among the `num_workers` lanes (one
    each on two cores): CTranslate2's beam search gains little from a second thread, so two lanes
    of one thread use both cores fully (9 windows of a 3.6-minute file, idle: 9.2-9.7 s against
    10.1-11.7 s for two lanes of two threads and 11.8-15.4 s for one lane of two;
    `bench/whisper_lanes.py`). When it differs
    from `cpu_threads`, batches run on a second CTranslate2 replica of the model, loaded on the
    first batch: its weights once more (whisper:base about 112 MB, `bench/whisper_lanes.py --replica`), counted against the model
    manager's memory budget as the model again."""
    num_workers: int = Field(default=2, ge=1)
    """Calls a model replica takes at once: the lanes of the batching queue."""
    beam_size: int = Field(default=5, ge=1)
    window: float = Field(default=300.0, ge=30)
    """Seconds of speech handed to faster-whisper at once (it seeks through them 30 s at a time)."""
    batched: Literal["auto"] | bool = "auto"
    """Windows of up to 30 s decoded in batches: auto (recordings of `batch_threshold` s or more),
    true (always), false (never: sequential windows)."""
    batch_size: int = Field(default=2, ge=1)
    """Windows per batch. Memory grows with it (and with the lanes running at once), not with the
    recording: beam search keeps the encoder's output once per hypothesis, so whisper:base with one
    batch at a time peaked at 1.7 GB at batch 8 (10 or 60 minutes alike), 1.0 GB at batch 4, 0.8 GB
    at batch 3; in two lanes of one batch each, 10 minutes peaked at 695 MB at batch 2 and 794 MB at
    batch 3 (bench/stt_batched.py --memory). Batch 2 in two lanes was also the fastest on two cores
    (3.6 minutes: 11.6 s, against 13.3 s at batch 3, idle)."""
    squeeze: float | None = Field(default=None, ge=0)
    """Batched windows: seconds a pause between speech regions is shortened to, so each window of
    30 s holds more speech (`mynah.stt.squeeze`); null (the default) keeps the pauses. Off by
    default since three A/B runs of bench/stt_batched.py on whisper:base (215 s of read speech,
    2026-12-02, one idle) found 0.5 slower (0.78x against 0.61x of sequential faster-whisper, idle)
    and less accurate (WER 6.9 % against 6.4 %) than pauses kept whole."""
    batch_threshold: float = Field(default=BATCH_THRESHOLD, ge=0)
    """Seconds of audio from which `batched=auto` batches."""
    vad_filter: bool = False
    """Run faster-whisper's own (Silero) VAD in the sequential mode too."""


@dataclass
class _Loaded:
    model: Any
    """faster_whisper.WhisperModel, `cpu_threads` per call: the sequential path."""
    multilingual: bool
    path: Path
    batch_model: Any = None
    """The replica batches run on (`batch_threads` per call); made on the first batch."""
    lock: threading.Lock = field(default_factory=threading.Lock)


class WhisperEngine:
    """faster-whisper STT; see the module docstring for its options."""

    name = "whisper"
    capabilities = SttCapabilities(
        sample_rate=_SAMPLE_RATE,
        word_timestamps=True,
        translate=True,
        language_detection=True,
        prompt=True,
        hotwords=True,
        max_window_seconds=300.0,
    )

    def __init__(self, config: EngineConfig) -> None:
        missing = [m for m in ("faster_whisper", "ctranslate2") if find_spec(m) is None]
        if missing:
            raise EngineUnavailable(f"faster-whisper needs {', '.join(missing)}: pip install 'mynah[neural]'")
        self._models = config.model_manager()
        self._options = config.parse_options(WhisperOptions, self.name)
        self.capabilities = replace(self.capabilities, max_window_seconds=self._options.window)

    # ------------------------------------------------------------------------------------ models

    def models(self) -> list[SttModel]:
        """Every installed Whisper model that can serve."""
        return [
            self._describe(m)
            for m in self._models.installed(self.name)
            if not m.problems and self._models.availability(m.id) is None
        ]

    def resolve_model(self, name: str) -> SttModel:
        """A model by name, installed or fetchable; raises UnknownModel with the reason otherwise."""
        model_id = _model_id(name)
        if (missing := self._models.not_downloaded(model_id)) is not None:
            raise missing
        reason = self._models.availability(model_id)
        if reason is not None:
            raise UnknownModel(reason, param="model")
        installed = self._models.get(model_id)
        if installed is not None:
            return self._describe(installed)
        entry = lookup(model_id)
        if entry is None:  # availability() would have said so
            raise UnknownModel(f"{model_id}: unknown Whisper model", param="model")
        return SttModel(
            id=entry.id,
            engine=self.name,
            name=entry.name,
            languages=entry.languages,
            description=f"{entry.description} (fetched on first use, {entry.disk_mb} MB)",
        )

    def preload(self, name: str) -> None:
        with self._models.lease(_model_id(name), self._load, pin=True):
            pass

    @contextmanager
    def hold(self, name: str) -> Iterator[None]:
        """Load the model (EngineUnavailable when it cannot) and keep it loaded while the block runs:
        the transcription service holds it for a whole request, so a model that cannot load falls back
        before any audio is decoded, and nothing unloads it between two windows."""
        with self._models.lease(_model_id(name), self._load):
            yield

    def _describe(self, model: InstalledModel) -> SttModel:
        if model.entry is not None:
            languages, description = model.entry.languages, model.entry.description
        else:
            languages = _languages_from_config(model.path)
            description = f"Whisper model from {model.source.get('local') or model.source.get('repo', '?')}"
        return SttModel(
            id=model.id,
            engine=self.name,
            name=model.name,
            languages=languages,
            description=description,
            size_bytes=model.size_bytes,
        )

    # ------------------------------------------------------------------------------------ transcription

    def transcribe(self, audio: Samples, options: TranscriptionOptions) -> Transcription:
        """Transcribe (or translate into English) mono float32 audio at 16 kHz."""
        model_id = _model_id(options.model)
        samples = np.asarray(audio, dtype=np.float32)
        if samples.ndim != 1:
            raise InvalidAudio(f"expected mono audio (one dimension), got shape {samples.shape}")
        samples = _on_16_bit_grid(samples)
        duration = len(samples) / _SAMPLE_RATE
        if len(samples) == 0:
            return Transcription(segments=(), duration=0.0)
        language = _language(options.language)
        with self._models.lease(model_id, self._load) as loaded:
            _check(loaded, model_id, options, language)
            kwargs: dict[str, Any] = {
                "language": language,
                "task": options.task,
                "beam_size": options.beam_size or self._options.beam_size,
                "initial_prompt": options.prompt or None,
                "hotwords": " ".join(options.hotwords) or None,
                "word_timestamps": options.word_timestamps,
            }
            try:
                found, info = loaded.model.transcribe(samples, vad_filter=self._options.vad_filter, **kwargs)
                segments = tuple(_segment(index, s) for index, s in enumerate(checked(found)))
            except (RuntimeError, ValueError) as exc:
                raise EngineFailed(f"faster-whisper failed: {exc}") from exc
        return Transcription(
            segments=segments,
            duration=duration,
            language=str(info.language) if info.language else None,
            language_probability=float(info.language_probability)
            if info.language_probability is not None
            else None,
        )

    # ------------------------------------------------------------------------------ batches

    def batching(self, total_seconds: float | None) -> BatchPlan | None:
        """How to decode a recording of `total_seconds` (None: not known): in batches (the plan), or
        sequentially (None). See the module docstring."""
        mode = self._options.batched
        if mode is False or (
            mode == "auto" and total_seconds is not None and total_seconds < self._options.batch_threshold
        ):
            return None
        return BatchPlan(
            batch_size=self._options.batch_size,
            lanes=self._options.num_workers,
            window=MAX_BATCH_WINDOW,
            squeeze=self._options.squeeze,
        )

    def detect_language(
        self, audio: Samples, options: TranscriptionOptions
    ) -> tuple[str | None, float | None]:
        """The language to decode every window of a request in: the one asked for, else the one
        detected in `audio` (its first window), with its probability."""
        language = _language(options.language)
        model_id = _model_id(options.model)
        with self._models.lease(model_id, self._load) as loaded:
            _check(loaded, model_id, options, language)
            if language is not None or not loaded.multilingual:
                return language or "en", 1.0
            try:  # on the replica the batches use: the batch the window joins takes its encoding
                model = self._batch_model(loaded, model_id)
                return detect_language(model, _on_16_bit_grid(np.asarray(audio, dtype=np.float32)))
            except (RuntimeError, ValueError) as exc:
                raise EngineFailed(f"faster-whisper failed: {exc}") from exc

    def transcribe_batch(
        self, windows: Sequence[tuple[Samples, TranscriptionOptions]]
    ) -> list[Transcription]:
        """Transcribe windows of up to 30 s in one batch (mynah.engines.whisper_batch); windows
        whose options differ in more than language are decoded in separate batches."""
        groups: dict[tuple[object, ...], list[int]] = {}
        for index, (_, options) in enumerate(windows):
            groups.setdefault(batch_key(options), []).append(index)
        results: list[Transcription | None] = [None] * len(windows)
        for indices in groups.values():
            options = windows[indices[0]][1]
            model_id = _model_id(options.model)
            language = _language(options.language)
            samples = [_on_16_bit_grid(np.asarray(windows[i][0], dtype=np.float32)) for i in indices]
            with self._models.lease(model_id, self._load) as loaded:
                _check(loaded, model_id, options, language)
                try:
                    decoded = decode_windows(
                        self._batch_model(loaded, model_id),
                        [(s, options) for s in samples],
                        beam_size=options.beam_size or self._options.beam_size,
                        language=language,
                    )
                except (RuntimeError, ValueError) as exc:
                    raise EngineFailed(f"faster-whisper failed: {exc}") from exc
            for index, transcription in zip(indices, decoded, strict=True):
                results[index] = transcription
        return [r for r in results if r is not None]

    def _load(self, path: Path) -> _Loaded:
        model = self._replica(path, self._options.cpu_threads or usable_cores())
        return _Loaded(model=model, multilingual=bool(model.model.is_multilingual), path=path)

    def _batch_model(self, loaded: _Loaded, model_id: str) -> Any:
        """The replica for batch calls: the sequential one when their threads agree (or off CPU).
        A second replica is counted against the model manager's memory budget as the model again
        (its catalog estimate: whisper:base 180 MB, where the replica measured about 112 MB)."""
        options = self._options
        threads = options.batch_threads or max(1, usable_cores() // options.num_workers)
        if options.device != "cpu" or threads == (options.cpu_threads or usable_cores()):
            return loaded.model
        with loaded.lock:
            if loaded.batch_model is None:
                try:
                    loaded.batch_model = self._replica(loaded.path, threads)
                except (RuntimeError, ValueError, OSError) as exc:
                    raise EngineFailed(f"faster-whisper could not load a batch replica: {exc}") from exc
                installed = self._models.get(model_id)
                self._models.grow(model_id, installed.memory_mb if installed else 0)
            return loaded.batch_model

    def _replica(self, path: Path, threads: int) -> Any:
        from faster_whisper import WhisperModel

        options = self._options
        return at_transcription_priority(  # CTranslate2's threads, started here, keep that priority
            lambda: WhisperModel(
                str(path),
                device=options.device,
                compute_type=options.compute_type,
                cpu_threads=threads,
                num_workers=options.num_workers,
                local_files_only=True,
            )
        )


def batch_key(options: TranscriptionOptions) -> tuple[object, ...]:
    """What windows decoded in one batch must share."""
    return (
        _model_id(options.model),
        options.task,
        _language(options.language),
        options.prompt or None,
        tuple(options.hotwords),
        options.word_timestamps,
        options.beam_size,
    )


def _check(loaded: _Loaded, model_id: str, options: TranscriptionOptions, language: str | None) -> None:
    if not loaded.multilingual:
        if options.task == "translate":
            raise NotSupported(f"{model_id} is English-only and cannot translate", param="model")
        if language not in (None, "en"):
            raise NotSupported(f"{model_id} is English-only, not {options.language!r}", param="language")
    elif language is not None and language not in WHISPER_LANGUAGES and language != "yue":
        raise NotSupported(f"Whisper does not know language {options.language!r}", param="language")


def _on_16_bit_grid(samples: Samples) -> Samples:
    """The samples as faster-whisper's own decoder gives them: it resamples to 16-bit PCM and divides
    by 32768, so a file it decodes itself reaches the model on the 16-bit grid. mynah decodes to
    float; rounding to that grid makes the model hear the very samples the library would (measured
    on the shared recordings: bit-identical), so a transcript through mynah is the library's own.
    Without it tiny.en heard two of the LJSpeech clips differently ("wood cutters", "mentioning"),
    from differences of half a 16-bit step."""
    scaled = np.rint(np.nan_to_num(samples) * np.float32(32768.0))
    grid: Samples = (np.clip(scaled, -32768.0, 32767.0) / np.float32(32768.0)).astype(np.float32)
    return grid


def _model_id(name: str) -> str:
    model_id = f"whisper:{name.strip().removeprefix('whisper:')}"
    try:
        split_id(model_id)
    except ValueError as exc:
        raise UnknownModel(str(exc), param="model") from exc
    return model_id


def _language(language: str | None) -> str | None:
    if language is None or not language.strip():
        return None
    return language.strip().replace("_", "-").lower().split("-")[0]


def _segment(index: int, segment: Any) -> Segment:
    """One faster-whisper segment: its text as Whisper decoded it, and its words. Whisper's words are
    pieces of that text, each starting with the space before it (" $1" ".5" " million,"); a piece
    without one continues the word before it (`Word.joins_previous`), so `join_words` gives the
    segment's text back."""
    words = tuple(
        Word(
            text=str(w.word).strip(),
            start=float(w.start),
            end=float(w.end),
            probability=min(max(float(w.probability), 0.0), 1.0),
            joins_previous=not str(w.word)[:1].isspace(),
        )
        for w in (segment.words or ())
        if str(w.word).strip()
    )
    return Segment(
        id=index,
        start=float(segment.start),
        end=float(segment.end),
        text=str(segment.text).strip(),
        words=words,
        avg_logprob=float(segment.avg_logprob),
        no_speech_prob=float(segment.no_speech_prob),
    )


def _languages_from_config(path: Path) -> tuple[str, ...]:
    try:
        config = json.loads((path / "config.json").read_text("utf-8"))
    except (OSError, ValueError):
        return tuple(WHISPER_LANGUAGES)
    lang_ids = config.get("lang_ids")
    if isinstance(lang_ids, list) and len(lang_ids) <= 1:
        return ("en",)
    return tuple(WHISPER_LANGUAGES)


# ------------------------------------------------------------------------------- model layout


class WhisperLayout:
    """A CTranslate2 Whisper conversion: config.json, model.bin, tokenizer.json, and optionally
    vocabulary.* and preprocessor_config.json (mynah.models.layout.ModelLayout)."""

    FILES = (
        "config.json",
        "preprocessor_config.json",
        "model.bin",
        "tokenizer.json",
        "vocabulary.json",
        "vocabulary.txt",
    )
    REQUIRED = ("config.json", "model.bin", "tokenizer.json")

    def select(self, name: str, files: Sequence[str]) -> list[str]:
        return [f for f in files if f.rsplit("/", 1)[-1] in self.FILES]

    def problem(self, files: Sequence[str]) -> str | None:
        names = {f.rsplit("/", 1)[-1] for f in files}
        missing = [n for n in self.REQUIRED if n not in names]
        return f"missing {', '.join(missing)} (a CTranslate2 Whisper conversion)" if missing else None

    def finish(self, staging: Path) -> None:
        return None


LAYOUT = WhisperLayout()
"""Declared under the `mynah.model_layouts` entry points (pyproject.toml)."""
