"""Audio in, a Transcription out, in two steps that mirror speech (`mynah.tts.service`):

prepare(model, options)      (a worker thread: it may read the model cache and ask the hub)
  -> the model chain resolved (OpenAI names map to `MYNAH_STT__DEFAULT_MODEL`), every option checked
     against the first model, the diarizer built when diarization is asked for (once per process)
transcribe(source, prepared)
  -> cache by content hash + model + options: a hit answers at once, names the model that served the
     original, and obeys the duration limit a fresh request would
  -> the model held (loaded) for the whole request; one that cannot load falls to the next in the
     chain before any audio is decoded, and the result says which were skipped and why
  -> stt.decoded: the upload opened and decoded ONCE, streamed in blocks at the engine's rate
       -> stt.chunking.transcribe_long: VAD, windows cut at pauses, engine per window, merge
       -> the same pass kept for stt.diarize when asked (by channel for one-speaker-per-channel stereo)
  -> TranscriptResult: the transcription (a speaker on every word when diarized) and what served it

Every failure is a `mynah.errors` exception: an engine or diarizer bug becomes EngineFailed, never a
bare 500.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

import numpy as np

from mynah.audio.decode import open_audio
from mynah.cancel import check_cancelled
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
from mynah.stt.cache import CachedTranscript, TranscriptCache, cache_key
from mynah.stt.chunking import transcribe_long
from mynah.stt.decoded import DecodedAudio
from mynah.stt.vad import VoiceActivityDetector, WebRtcVad
from mynah.types import Samples, Transcription

if TYPE_CHECKING:
    from mynah.stt.diarize import Diarizer

__all__ = [
    "PreparedTranscription",
    "ResolvedModel",
    "TranscribeOptions",
    "TranscriptCache",
    "TranscriptResult",
    "TranscriptionService",
]

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
    """Everything a caller can ask of one transcription, checked by `TranscriptionService.prepare`."""

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
class PreparedTranscription:
    """A request resolved and checked, ready for `transcribe`: nothing about it can fail any more
    except the audio itself and the engines."""

    resolved: ResolvedModel
    options: TranscribeOptions
    """Checked and normalised (language lower-cased)."""
    diarizer: Diarizer | None = None
    """The process's diarizer, when the options ask for diarization."""


@dataclass(frozen=True)
class TranscriptResult:
    transcription: Transcription
    engine: str
    """The engine that produced the transcription (for a cache hit: that produced the original)."""
    model: str
    """The id of the model that produced it, the same way."""
    skipped: tuple[str, ...] = ()
    """Models earlier in the chain that could not serve (`id: reason`), when it was produced."""
    cached: bool = False


@runtime_checkable
class HoldsModels(Protocol):
    """An engine that loads models may offer `hold(name)`: a context manager that loads the model
    (raising EngineUnavailable when it cannot) and keeps it loaded while held. The service holds the
    model for the whole request, so a model that cannot load falls back before any audio is decoded
    and is never unloaded between two windows."""

    def hold(self, name: str) -> AbstractContextManager[object]: ...


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
        self._diarizer: Diarizer | None = None
        self._diarizer_lock = threading.Lock()

    def model_ids(self) -> list[str]:
        native = [m.id for engine in self._registry.stt_engines.values() for m in engine.models()]
        return [*OPENAI_STT_MODELS, *native]

    def check_upload_size(self, size: int) -> None:
        if size == 0:
            raise InvalidAudio("the uploaded file is empty", param="file")
        if size > self._settings.max_upload_bytes:
            raise PayloadTooLarge(
                f"upload is {size:,} bytes; the limit is {self._settings.max_upload_bytes:,}", param="file"
            )

    # ------------------------------------------------------------------------------------ prepare

    def prepare(self, model: str | None, options: TranscribeOptions | None = None) -> PreparedTranscription:
        """Resolve `model` (None: `whisper-1`'s chain) and check every option against it, before any
        audio is read. It may read the model cache and ask the hub whether a model can be fetched, so
        servers call it in a worker thread. Raises UnknownModel, NotSupported or InvalidRequest for
        the request, EngineUnavailable for a diarizer that cannot be built here."""
        resolved = self.resolve_model(model)
        checked = self._check(resolved, options or TranscribeOptions())
        diarizer = self._shared_diarizer() if checked.diarize else None
        return PreparedTranscription(resolved, checked, diarizer)

    def resolve_model(self, model: str | None) -> ResolvedModel:
        """The first model of `model`'s chain that can serve here, without checking any option (what
        `mynah doctor` shows for the aliases); `prepare` is what requests use."""
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

    @staticmethod
    def _check(resolved: ResolvedModel, options: TranscribeOptions) -> TranscribeOptions:
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
        if options.num_speakers is not None and not (
            (options.min_speakers or 1) <= options.num_speakers <= (options.max_speakers or 32)
        ):
            raise InvalidRequest(
                f"num_speakers ({options.num_speakers}) is outside min_speakers..max_speakers",
                param="num_speakers",
            )
        if options.channels not in ("auto", "mix", "split"):
            raise InvalidRequest("channels must be auto, mix or split", param="channels")
        return replace(options, language=language)

    def _shared_diarizer(self) -> Diarizer:
        """The configured diarizer, built on first use and shared by every request (they are
        thread-safe; the neural ones serialise themselves)."""
        with self._diarizer_lock:
            if self._diarizer is None:
                from mynah.stt.diarize import DIARIZERS, create_diarizer

                settings = self._settings
                if settings.diarizer.strip().lower() not in DIARIZERS:
                    raise EngineUnavailable(
                        f"the configured diarizer {settings.diarizer!r} is not one of {', '.join(DIARIZERS)} "
                        "(MYNAH_STT__DIARIZER)"
                    )
                self._diarizer = create_diarizer(
                    settings.diarizer,
                    model=settings.pyannote_model if settings.diarizer == "pyannote" else None,
                    token=settings.hf_token.get_secret_value() if settings.hf_token else None,
                )
            return self._diarizer

    # ------------------------------------------------------------------------------------ transcribe

    def transcribe(
        self, source: bytes | Path, prepared: PreparedTranscription, *, progress: Progress | None = None
    ) -> TranscriptResult:
        """Transcribe `source` (encoded audio: the bytes, or a file) as `prepared` says."""
        resolved, options = prepared.resolved, prepared.options
        key = cache_key(source, resolved.model.id, options.cache_key()) if self._cache is not None else None
        if key is not None and (cached := self._cached(key)) is not None:
            self._check_duration(cached.transcription.duration)
            return TranscriptResult(
                cached.transcription, cached.engine, cached.model, cached.skipped, cached=True
            )
        candidates = [(resolved.engine, resolved.model), *resolved.alternatives]
        skipped = list(resolved.skipped)
        failure: EngineUnavailable | None = None
        for index, (engine, model) in enumerate(candidates):
            if index and (reason := _cannot_serve(engine, model, options)) is not None:
                skipped.append(f"{model.id}: {reason}")  # a fallback that cannot do what was asked
                continue
            try:
                with _held(engine, model):
                    transcription, kept = self._run(source, engine, model, options, progress)
            except EngineUnavailable as exc:  # a model that cannot load: the next in the chain serves
                failure = exc
                skipped.append(f"{model.id}: {exc.message}")
                log.warning("model %s could not load: %s", model.id, exc.message)
                continue
            if prepared.diarizer is not None:
                transcription = _diarize(
                    prepared.diarizer, transcription, kept, engine.capabilities.sample_rate, options
                )
            if key is not None:
                self._store(key, CachedTranscript(transcription, engine.name, model.id, tuple(skipped)))
            return TranscriptResult(transcription, engine.name, model.id, tuple(skipped))
        assert failure is not None  # the first candidate was checked by prepare, so it was tried
        raise failure

    def _cached(self, key: str) -> CachedTranscript | None:
        """The cache is a shortcut, not a dependency: a store that cannot answer is a miss."""
        if self._cache is None:
            return None
        try:
            hit = self._cache.get(key)
            return CachedTranscript.from_json(hit) if hit is not None else None
        except Exception:  # a database error or an unreadable entry
            log.exception("transcript cache: cannot read an entry; transcribing instead")
            return None

    def _store(self, key: str, entry: CachedTranscript) -> None:
        if self._cache is None:
            return
        try:
            self._cache.put(key, entry.model, entry.to_json())
        except Exception:  # the transcript is good; only remembering it failed
            log.exception("transcript cache: cannot store an entry")

    def _check_duration(self, seconds: float) -> None:
        limit = self._settings.max_audio_seconds
        if seconds > limit:
            raise PayloadTooLarge(
                f"audio is {seconds:,.0f} s long; the limit is {limit:,.0f} s", param="file"
            )

    def _run(
        self,
        source: bytes | Path,
        engine: SttEngine,
        model: SttModel,
        options: TranscribeOptions,
        progress: Progress | None,
    ) -> tuple[Transcription, tuple[Samples, ...]]:
        """Decode once (streamed), detect speech, transcribe window by window, merge; and keep the
        audio diarization needs."""
        caps = engine.capabilities
        engine_options = TranscriptionOptions(
            model=model.name,
            language=options.language,
            prompt=options.prompt or None,
            hotwords=options.hotwords if caps.hotwords else (),
            task="translate" if options.task == "translate" else "transcribe",
            word_timestamps=options.word_timestamps or options.diarize,
        )
        with open_audio(source, caps.sample_rate, max_seconds=self._settings.max_audio_seconds) as audio:
            by_channel = options.diarize and audio.info.channels == 2 and options.channels != "mix"
            decoded = DecodedAudio(audio, keep=options.diarize, by_channel=by_channel)
            try:
                transcription = transcribe_long(
                    engine,
                    decoded.mono(),
                    engine_options,
                    vad=self._vad,
                    max_window=caps.max_window_seconds,
                    total_seconds=audio.info.duration,
                    progress=_checking(progress),
                )
            except MynahError:
                raise
            except Exception as exc:  # an engine bug must not become a bare 500 with a traceback
                log.exception("engine %s failed", engine.name)
                raise EngineFailed(f"engine {engine.name} failed: {exc}") from exc
        if transcription.language is None:
            transcription = replace(transcription, language=options.language or _model_language(model))
        return transcription, decoded.kept() if options.diarize else ()


def _checking(progress: Progress | None) -> Progress:
    """`progress`, which first stops cancelled work (`mynah.cancel`): it is called after every
    decoded block and every window, so a client that left stops its transcription within one."""

    def report(done: float, total: float) -> None:
        check_cancelled()
        if progress is not None:
            progress(done, total)

    return report


def _cannot_serve(engine: SttEngine, model: SttModel, options: TranscribeOptions) -> str | None:
    """Why a model later in the chain cannot do what `options` ask (translate, a language), or None."""
    try:
        TranscriptionService._check(ResolvedModel(engine, model, model.id), options)
    except MynahError as exc:
        return exc.message
    return None


@contextmanager
def _held(engine: SttEngine, model: SttModel) -> Iterator[None]:
    with engine.hold(model.name) if isinstance(engine, HoldsModels) else nullcontext():
        yield


def _diarize(
    diarizer: Diarizer,
    transcription: Transcription,
    kept: tuple[Samples, ...],
    rate: int,
    options: TranscribeOptions,
) -> Transcription:
    """Speakers on `transcription`: by channel for a stereo call, else from `diarizer` on the mix."""
    from mynah.stt.diarize import assign_speakers, diarize_channels

    try:
        if len(kept) == 2:
            left, right = kept
            if options.channels == "split" or _distinct_channels(left, right):
                return assign_speakers(transcription, diarize_channels([left, right], rate))
            audio: Samples = ((left + right) * np.float32(0.5)).astype(np.float32)
        else:
            audio = kept[0]
        turns = diarizer.diarize(
            audio,
            rate,
            num_speakers=options.num_speakers,
            min_speakers=options.min_speakers,
            max_speakers=options.max_speakers,
        )
        return assign_speakers(transcription, turns)
    except MynahError:
        raise
    except Exception as exc:  # a diarizer bug is the server's failure, in the error tree
        log.exception("diarizer %s failed", diarizer.name)
        raise EngineFailed(f"diarization ({diarizer.name}) failed: {exc}") from exc


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
