"""The contracts between mynah and its speech engines.

An engine is a class with a `name`, `capabilities`, and either `synthesize` (TTS) or `transcribe` (STT).
Engines are found through the entry-point groups `mynah.tts_engines` and `mynah.stt_engines`; each
entry point names a class whose constructor takes one `EngineConfig`. A constructor that cannot work on
this machine (library or binary missing) raises `mynah.errors.EngineUnavailable`; the registry then
leaves the engine out and says why in `/health`.

Engines own whatever they load; nothing is loaded at import time and there are no module globals.
Engines are synchronous; callers run them in worker threads. An engine that is not thread-safe
serialises itself with its own lock.

Audio crossing these contracts is always mono float32 numpy in [-1, 1] at the rate the engine names.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, ConfigDict, ValidationError

from mynah.errors import EngineUnavailable
from mynah.types import AudioChunk, Samples, Segment, Transcription, Word, WordTiming

if TYPE_CHECKING:
    from mynah.models.manager import ModelManager

__all__ = [
    "AudioChunk",
    "EngineConfig",
    "EngineOptions",
    "Samples",
    "Segment",
    "SttCapabilities",
    "SttEngine",
    "SttModel",
    "SynthesisOptions",
    "Transcription",
    "TranscriptionOptions",
    "TtsCapabilities",
    "TtsEngine",
    "Voice",
    "Word",
    "WordTiming",
]

OptionsT = TypeVar("OptionsT", bound="EngineOptions")


class EngineOptions(BaseModel):
    """Base of every engine's own options model (`WhisperOptions`, `PiperOptions`, ...): typed fields
    with defaults, unknown keys refused. Values arrive from `MYNAH_ENGINE_OPTIONS` JSON, where
    numbers and booleans may also be written as strings ("4", "true")."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class EngineConfig:
    """What every engine constructor gets: where it may cache files, its own options, and the shared
    model manager (neural engines fetch, load and release their model files through it; None when
    an engine is built on its own, which then makes its own over `cache_dir`)."""

    cache_dir: Path
    options: Mapping[str, Any] = field(default_factory=dict)
    models: ModelManager | None = None

    def parse_options(self, model: type[OptionsT], engine: str) -> OptionsT:
        """The options as the engine's typed model; a wrong or unknown option is `EngineUnavailable`
        naming it, so the registry reports the engine as not started and says why."""
        try:
            return model.model_validate(dict(self.options))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'options'}: {e['msg']}" for e in exc.errors()
            )
            raise EngineUnavailable(f"{engine} options: {problems}") from None

    def model_manager(self) -> ModelManager:
        """The shared model manager the runtime passes, or one of this engine's own over
        `cache_dir / "models"` for an engine built on its own."""
        if self.models is not None:
            return self.models
        from mynah.models.manager import ModelManager

        return ModelManager(cache_dir=self.cache_dir / "models")


# ---------------------------------------------------------------------------------------------- TTS


@dataclass(frozen=True)
class Voice:
    """One voice an engine can speak with.

    `id` is global and reads `engine:name` (e.g. `espeak:en-us`, `flite:slt`); `name` is the engine's own.
    `language` is a BCP-47 tag ("en-US", "fr"), `gender` is "female" | "male" | None when unknown.
    """

    id: str
    engine: str
    name: str
    language: str
    gender: str | None = None
    sample_rate: int = 22050
    description: str = ""


@dataclass(frozen=True)
class TtsCapabilities:
    streaming: bool = True
    """Yields audio sentence by sentence (or finer) rather than all at the end."""
    word_timings: bool = False
    """AudioChunk.words is filled."""
    native_speed: bool = False
    """SynthesisOptions.speed is honoured by the engine itself (otherwise DSP time-stretches)."""
    speed_range: tuple[float, float] = (0.5, 2.5)
    """With native_speed: the speeds the engine's own rate control covers well. The service asks the
    engine for the part of a speed change inside this range and time-stretches the rest itself, so an
    engine never stretches its own output."""
    native_pitch: bool = False
    phonemes: bool = False
    """Accepts IPA input (SynthesisOptions.ipa); otherwise SSML <phoneme> falls back to its text."""
    cloning: bool = False


@dataclass(frozen=True)
class SynthesisOptions:
    """One synthesis call. `voice` is the engine's own voice name (Voice.name)."""

    voice: str
    speed: float = 1.0
    """1.0 is the voice's normal rate; 2.0 twice as fast. Honoured only with capabilities.native_speed."""
    pitch: float = 1.0
    """Multiplier of the voice's base pitch. Honoured only with capabilities.native_pitch."""
    ipa: bool = False
    """The text is IPA phonemes, not words. Only for engines with capabilities.phonemes."""
    early_start: bool = False
    """A listener is waiting for this audio: an engine that can may deliver the first fraction of a
    second of its first sentence before the rest of that sentence is synthesised (Piper does)."""


@runtime_checkable
class TtsEngine(Protocol):
    name: str
    capabilities: TtsCapabilities

    def voices(self) -> list[Voice]:
        """Every voice this engine can speak with on this machine."""
        ...

    def synthesize(self, text: str, options: SynthesisOptions) -> Iterator[AudioChunk]:
        """Speak plain text (already normalised). Chunks come lazily, in order."""
        ...


# ---------------------------------------------------------------------------------------------- STT


@dataclass(frozen=True)
class SttModel:
    """A model an STT engine can transcribe with. `id` reads `engine:name`."""

    id: str
    engine: str
    name: str
    languages: tuple[str, ...]
    description: str = ""
    size_bytes: int | None = None
    """The model's files on disk, when it has any (ranks OpenAI's model names: larger first)."""


@dataclass(frozen=True)
class SttCapabilities:
    sample_rate: int = 16000
    """The rate `transcribe` wants its audio at."""
    word_timestamps: bool = True
    translate: bool = False
    language_detection: bool = False
    prompt: bool = False
    hotwords: bool = False
    max_window_seconds: float | None = None
    """Longest audio one `transcribe` call should get; None means no limit."""
    spoken_words: bool = False
    """The engine writes what was said as words ("twenty five dollars"), without digits, capitals or
    punctuation: smart formatting (`mynah.transcript.format`) is on by default for it."""


@dataclass(frozen=True)
class TranscriptionOptions:
    model: str
    """The engine's own model name (SttModel.name)."""
    language: str | None = None
    prompt: str | None = None
    hotwords: tuple[str, ...] = ()
    task: Literal["transcribe", "translate"] = "transcribe"
    word_timestamps: bool = True
    beam_size: int | None = None
    """Beam width for an engine that searches (Whisper); None: the engine's own setting."""


@runtime_checkable
class SttEngine(Protocol):
    name: str
    capabilities: SttCapabilities

    def models(self) -> list[SttModel]:
        """Every model this engine can use on this machine."""
        ...

    def transcribe(self, audio: Samples, options: TranscriptionOptions) -> Transcription:
        """Transcribe mono float32 audio at `capabilities.sample_rate`."""
        ...


@dataclass(frozen=True)
class BatchPlan:
    """How an engine that decodes windows in batches wants a recording: windows of up to `window`
    seconds, `batch_size` per batch, `lanes` batches at once (see `mynah.stt.batching`)."""

    batch_size: int
    lanes: int
    window: float
    squeeze: float | None = None
    """Seconds each pause between speech regions is shortened to inside a window
    (`mynah.stt.squeeze`), None to send windows as they are."""


@runtime_checkable
class BatchTranscriber(Protocol):
    """An STT engine that can also decode many windows in one call (Whisper). The transcription
    service feeds it windows from every request on a model through one batching queue."""

    def batching(self, total_seconds: float | None) -> BatchPlan | None:
        """The plan for a recording of `total_seconds` (None: unknown), or None to go window by
        window through `transcribe`."""
        ...

    def detect_language(
        self, audio: Samples, options: TranscriptionOptions
    ) -> tuple[str | None, float | None]:
        """The language every window of a request is decoded in (the one asked for, else detected
        in `audio`), with its probability; raises NotSupported for a language the model lacks."""
        ...

    def transcribe_batch(
        self, windows: Sequence[tuple[Samples, TranscriptionOptions]]
    ) -> list[Transcription]:
        """One Transcription per window, in order; window times are local to each window."""
        ...
