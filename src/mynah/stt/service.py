"""Audio in, a Transcription out.

upload bytes | file | URL
  -> limits (size now; duration from the container header, before any decoding)
  -> cache by content hash + options (a repeat answers at once)
  -> audio.decode, streamed in blocks at the engine's rate
  -> stt.chunking.transcribe_long: VAD, windows cut at pauses, engine per window, merge
  -> stt.diarize (optional): speaker turns, by channel for one-speaker-per-channel stereo
  -> Transcription (speaker on every word when diarized)
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from mynah.audio.decode import decode_audio, decode_channels, iter_decode, probe
from mynah.config import OPENAI_STT_MODELS, SttSettings
from mynah.engines.base import SttEngine, SttModel, TranscriptionOptions
from mynah.engines.registry import EngineRegistry
from mynah.errors import (
    EngineFailed,
    EngineUnavailable,
    InvalidAudio,
    InvalidRequest,
    MynahError,
    NotSupported,
    PayloadTooLarge,
    UnknownModel,
)
from mynah.stt.chunking import transcribe_long
from mynah.stt.vad import VoiceActivityDetector, WebRtcVad
from mynah.types import Segment, Transcription, Word

log = logging.getLogger(__name__)

Progress = Callable[[float, float], None]


@dataclass(frozen=True)
class ResolvedModel:
    engine: SttEngine
    model: SttModel
    requested: str
    skipped: tuple[str, ...] = ()
    """Models earlier in the chain that could not serve (`id: reason`)."""
    alternatives: tuple[tuple[SttEngine, SttModel], ...] = ()
    """The rest of the chain, for a model that fails to load when it is used."""


@dataclass(frozen=True)
class TranscribeOptions:
    """Everything a caller can ask of one transcription, validated by `check`."""

    language: str | None = None
    prompt: str | None = None
    hotwords: tuple[str, ...] = ()
    task: str = "transcribe"
    word_timestamps: bool = True
    diarize: bool = False
    num_speakers: int | None = None
    min_speakers: int | None = None
    max_speakers: int | None = None
    channels: Literal["auto", "mix", "split"] = "auto"
    """With diarize: "split" treats each stereo channel as one speaker, "mix" diarizes the mixed-down
    audio, "auto" splits when the two channels carry different voices (low correlation)."""

    def cache_key(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


@dataclass(frozen=True)
class TranscriptResult:
    transcription: Transcription
    model: ResolvedModel
    cached: bool = False
    speakers: tuple[str, ...] = field(default=())


class TranscriptCache(Protocol):
    def get(self, key: str) -> dict[str, Any] | None: ...

    def put(self, key: str, model: str, value: dict[str, Any]) -> None: ...


class TranscriptionService:
    def __init__(
        self,
        registry: EngineRegistry,
        settings: SttSettings,
        *,
        vad: VoiceActivityDetector | None = None,
        cache: TranscriptCache | None = None,
    ) -> None:
        self._registry = registry
        self._settings = settings
        self._vad = vad or WebRtcVad()
        self._cache = cache

    # ------------------------------------------------------------------------------------ resolve

    def model_ids(self) -> list[str]:
        native = [m.id for engine in self._registry.stt_engines.values() for m in engine.models()]
        return [*OPENAI_STT_MODELS, *native]

    def resolve_model(self, model: str | None) -> ResolvedModel:
        requested = (model or OPENAI_STT_MODELS[0]).strip()
        if requested in OPENAI_STT_MODELS:
            chain = list(self._settings.default_model)
        elif requested in self._registry.stt_engines:
            chain = [m.id for m in self._registry.stt_engines[requested].models()]
        else:
            chain = [requested]
        skipped: list[str] = []
        found: list[tuple[SttEngine, SttModel]] = []
        for candidate in chain:
            try:
                found.append(self._registry.find_stt_model(candidate))
            except UnknownModel as exc:
                if not found:
                    skipped.append(f"{candidate}: {exc.message}")
        if not found:
            detail = f" ({'; '.join(skipped)})" if len(chain) > 1 else ""
            raise UnknownModel(
                f"unknown transcription model {requested!r}{detail}; use one of {', '.join(self.model_ids())}",
                param="model",
            )
        (engine, first), rest = found[0], tuple(found[1:])
        return ResolvedModel(engine, first, requested, tuple(skipped), rest)

    def check_upload_size(self, size: int) -> None:
        if size == 0:
            raise InvalidAudio("the uploaded file is empty", param="file")
        if size > self._settings.max_upload_bytes:
            raise PayloadTooLarge(
                f"upload is {size:,} bytes; the limit is {self._settings.max_upload_bytes:,}", param="file"
            )

    def check(self, resolved: ResolvedModel, options: TranscribeOptions) -> TranscribeOptions:
        """Validate options against the model before reading or decoding anything."""
        caps = resolved.engine.capabilities
        if options.task not in ("transcribe", "translate"):
            raise NotSupported(f"unknown task {options.task!r}; use transcribe or translate", param="task")
        if options.task == "translate" and not caps.translate:
            raise NotSupported(
                f"model {resolved.model.id} cannot translate; no translation engine is available here",
                param="model",
            )
        language = _normalise_language(options.language)
        if language and resolved.model.languages and not _language_supported(language, resolved.model):
            raise NotSupported(
                f"model {resolved.model.id} does not know language {language!r}; "
                f"it knows {', '.join(resolved.model.languages)}",
                param="language",
            )
        for name in ("num_speakers", "min_speakers", "max_speakers"):
            value = getattr(options, name)
            if value is not None and not 1 <= value <= 32:
                raise InvalidRequest(f"{name} must be between 1 and 32, got {value}", param=name)
        if options.min_speakers and options.max_speakers and options.min_speakers > options.max_speakers:
            raise InvalidRequest("min_speakers is larger than max_speakers", param="min_speakers")
        if options.channels not in ("auto", "mix", "split"):
            raise InvalidRequest("channels must be auto, mix or split", param="channels")
        return replace(options, language=language)

    # ------------------------------------------------------------------------------------ transcribe

    def transcribe(
        self,
        source: bytes | Path,
        *,
        resolved: ResolvedModel,
        options: TranscribeOptions | None = None,
        progress: Progress | None = None,
    ) -> TranscriptResult:
        options = self.check(resolved, options or TranscribeOptions())
        key = self._key(source, resolved, options) if self._cache is not None else None
        if key is not None and self._cache is not None and (hit := self._cache.get(key)) is not None:
            return TranscriptResult(transcription=transcription_from_json(hit), model=resolved, cached=True)
        info = probe(source)
        limit = self._settings.max_audio_seconds
        if info.duration is not None and info.duration > limit * 1.1:
            raise PayloadTooLarge(
                f"audio is {info.duration:,.0f} s long; the limit is {limit:,.0f} s", param="file"
            )
        candidates = [(resolved.engine, resolved.model), *resolved.alternatives]
        skipped = list(resolved.skipped)
        for index, (engine, model) in enumerate(candidates):
            serving = ResolvedModel(engine, model, resolved.requested, tuple(skipped))
            try:
                transcription = self._run(source, serving, options, info.duration, progress)
            except EngineUnavailable as exc:  # a model that cannot load: the next in the chain serves
                if index == len(candidates) - 1:
                    raise
                skipped.append(f"{model.id}: {exc.message}")
                log.warning("model %s could not load, falling back: %s", model.id, exc.message)
                continue
            if options.diarize:
                transcription = self._diarize(source, transcription, options, channels=info.channels)
            if key is not None and self._cache is not None:
                self._cache.put(key, model.id, transcription_to_json(transcription))
            return TranscriptResult(transcription=transcription, model=serving)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _run(
        self,
        source: bytes | Path,
        resolved: ResolvedModel,
        options: TranscribeOptions,
        duration: float | None,
        progress: Progress | None,
    ) -> Transcription:
        """Decode (streamed), detect speech, transcribe window by window, merge."""
        limit = self._settings.max_audio_seconds
        caps = resolved.engine.capabilities
        engine_options = TranscriptionOptions(
            model=resolved.model.name,
            language=options.language,
            prompt=options.prompt or None,
            hotwords=options.hotwords if caps.hotwords else (),
            task="translate" if options.task == "translate" else "transcribe",
            word_timestamps=options.word_timestamps or options.diarize,
        )
        blocks = iter_decode(source, caps.sample_rate, block_seconds=30.0, max_seconds=limit)
        try:
            transcription = transcribe_long(
                resolved.engine,
                blocks,
                engine_options,
                vad=self._vad,
                max_window=caps.max_window_seconds,
                total_seconds=duration,
                progress=progress,
            )
        except MynahError:
            raise
        except Exception as exc:  # an engine bug must not become a bare 500 with a traceback
            log.exception("engine %s failed", resolved.engine.name)
            raise EngineFailed(f"engine {resolved.engine.name} failed: {exc}") from exc
        if transcription.language is None:
            language = options.language or _model_language(resolved.model)
            transcription = replace(transcription, language=language)
        return transcription

    def _diarize(
        self, source: bytes | Path, transcription: Transcription, options: TranscribeOptions, *, channels: int
    ) -> Transcription:
        from mynah.stt.diarize import assign_speakers, create_diarizer, diarize_channels

        rate = 16000
        if channels == 2 and options.channels != "mix":
            left, right = decode_channels(source, rate)[:2]
            if options.channels == "split" or _distinct_channels(left, right):
                return assign_speakers(transcription, diarize_channels([left, right], rate))
        audio = decode_audio(source, rate, max_seconds=self._settings.max_audio_seconds)
        settings = self._settings
        diarizer = create_diarizer(
            settings.diarizer,
            model=settings.pyannote_model if settings.diarizer == "pyannote" else None,
            token=settings.hf_token.get_secret_value() if settings.hf_token else None,
        )
        turns = diarizer.diarize(
            audio,
            rate,
            num_speakers=options.num_speakers,
            min_speakers=options.min_speakers,
            max_speakers=options.max_speakers,
        )
        return assign_speakers(transcription, turns)

    @staticmethod
    def _key(source: bytes | Path, resolved: ResolvedModel, options: TranscribeOptions) -> str:
        digest = hashlib.sha256()
        if isinstance(source, bytes):
            digest.update(source)
        else:
            with source.open("rb") as handle:
                while block := handle.read(1 << 20):
                    digest.update(block)
        digest.update(resolved.model.id.encode())
        digest.update(options.cache_key().encode())
        return digest.hexdigest()


def _distinct_channels(left: np.ndarray, right: np.ndarray) -> bool:
    """One speaker per channel (a call recording) rather than one scene in stereo: the channels differ."""
    n = min(len(left), len(right))
    if n == 0:
        return False
    a, b = left[:n].astype(np.float64), right[:n].astype(np.float64)
    denominator = float(np.sqrt(np.dot(a, a) * np.dot(b, b)))
    return denominator > 0 and abs(float(np.dot(a, b))) / denominator < 0.5


def _model_language(model: SttModel) -> str | None:
    return model.languages[0] if len(model.languages) == 1 else None


def _normalise_language(language: str | None) -> str | None:
    if language is None or not language.strip():
        return None
    return language.strip().replace("_", "-").lower()


def _language_supported(language: str, model: SttModel) -> bool:
    known = {lang.lower() for lang in model.languages}
    return language in known or language.split("-")[0] in {k.split("-")[0] for k in known}


# ------------------------------------------------------------------------------------------ cache form


def transcription_to_json(t: Transcription) -> dict[str, Any]:
    return asdict(t)


def transcription_from_json(data: dict[str, Any]) -> Transcription:
    segments = tuple(
        Segment(**{**s, "words": tuple(Word(**w) for w in s.get("words", ()))}) for s in data["segments"]
    )
    return Transcription(
        segments=segments,
        duration=data["duration"],
        language=data.get("language"),
        language_probability=data.get("language_probability"),
    )
