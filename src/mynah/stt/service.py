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

import difflib
import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

import numpy as np

from mynah.aliases import EMBEDDED_ENGINES, SUGGESTED_PULL, can_translate, rank_models, skip_note
from mynah.audio.decode import open_audio
from mynah.cancel import check_cancelled
from mynah.config import OPENAI_STT_MODELS, SttSettings
from mynah.engines.base import BatchPlan, BatchTranscriber, SttEngine, SttModel, TranscriptionOptions
from mynah.engines.registry import EngineRegistry
from mynah.errors import (
    EngineFailed,
    EngineUnavailable,
    InvalidAudio,
    InvalidRequest,
    ModelNotDownloaded,
    MynahError,
    NotSupported,
    PayloadTooLarge,
    UnknownModel,
)
from mynah.models.catalog import FEATURED
from mynah.stt.batching import BatchQueue, Ticket
from mynah.stt.cache import CachedTranscript, TranscriptCache, cache_key
from mynah.stt.chunking import transcribe_long
from mynah.stt.decoded import DecodedAudio
from mynah.stt.diarization_memory import check_diarization_memory
from mynah.stt.vad import VoiceActivityDetector, WebRtcVad
from mynah.transcript import Finished, Finisher
from mynah.transcript.redact import RedactionRequest
from mynah.types import Samples, Transcription

if TYPE_CHECKING:
    from mynah.stt.diarize import Diarizer
    from mynah.transcript.redact import RedactionSpan

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
    format: Literal["auto", "smart", "raw"] = "auto"
    """"smart": numbers, money, dates, times, e-mail and web addresses written as text reads
    (`mynah.transcript.format`); "raw": the engine's own words; "auto": smart for engines that write
    spoken words (pocketsphinx), raw for the others."""

    redact: tuple[str, ...] = ()
    """Entity types to redact (`mynah.transcript.redact.ENTITY_TYPES`); empty: none."""
    redact_policy: str = "label"
    """label ([PHONE_NUMBER]), mask (****) or hash ([PHONE_NUMBER:1a2b3c4d])."""
    redact_audio: bool = False
    """Also return the recording with the redacted spans filled (a file or a job, never a stream)."""
    redact_audio_fill: str = "silence"
    """silence, or tone (a 1 kHz bleep: clear to a listener, but a recogniser given the file again may
    drop the speech around it, as mynah's music gate and Whisper do)."""
    review: bool = False
    """Queue the low-confidence words for review (`mynah.stt.review`), done by the caller (the route
    or the job) with the transcript as served."""

    def cache_key(self) -> str:
        """What changes the recogniser's output: what is done to the transcript afterwards is not
        part of it (the cache keeps the engine's own transcript)."""
        values = asdict(self)
        for name in _AFTER_RECOGNITION:
            values.pop(name, None)
        return json.dumps(values, sort_keys=True)


_AFTER_RECOGNITION = ("format", "redact", "redact_policy", "redact_audio", "redact_audio_fill", "review")


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
    redactions: tuple[RedactionSpan, ...] | None = None
    """With redaction asked for: what was redacted (an empty tuple when nothing was found)."""
    redacted_audio: bytes | None = None
    """With redact_audio: the recording (WAV, mono, its own rate) with those spans filled."""
    replica: str | None = None
    """Where the engines ran, when not in this process (a cluster replica: mynah.cluster)."""


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
        self._queues: dict[
            tuple[str, str], BatchQueue[tuple[Samples, TranscriptionOptions], Transcription]
        ] = {}
        self._queues_lock = threading.Lock()
        self._finisher = Finisher()

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
        """Resolve `model` (None: `whisper-1`) for what `options` ask and check every option against
        it, before any audio is read. It may read the model cache and ask the hub whether a model can
        be fetched, so servers call it in a worker thread. Raises UnknownModel, ModelNotDownloaded,
        NotSupported or InvalidRequest for the request, EngineUnavailable for a diarizer that cannot be
        built here."""
        options = options or TranscribeOptions()
        resolved = self.resolve_model(model, options)
        checked = self._check(resolved, options)
        diarizer = self._shared_diarizer() if checked.diarize else None
        return PreparedTranscription(resolved, checked, diarizer)

    def resolve_model(self, model: str | None, options: TranscribeOptions | None = None) -> ResolvedModel:
        """The model that serves `model` here, and the ones behind it. An OpenAI name (whisper-1, ...)
        is the user's chain (MYNAH_STT__DEFAULT_MODEL), then the installed models that can do what
        `options` ask (translate, the language), best first (mynah.aliases); an engine name is that
        engine's models, ranked alike; a model id is that model."""
        requested = (model or OPENAI_STT_MODELS[0]).strip()
        if requested not in OPENAI_STT_MODELS and requested not in self._registry.stt_engines:
            return self._explicit(requested)
        options = options or TranscribeOptions()
        only = requested if requested in self._registry.stt_engines else None
        chain = list(self._settings.default_model) if only is None else []
        skipped: list[str] = []
        found: list[tuple[SttEngine, SttModel]] = []
        language = _normalise_language(options.language)
        for candidate in chain:
            try:
                engine, found_model = self._registry.find_stt_model(candidate)
            except (UnknownModel, ModelNotDownloaded) as exc:
                if not found:
                    skipped.append(skip_note(candidate, exc.message))
                continue
            if (reason := _unfit(engine, found_model, options.task, language)) is not None:
                if not found:
                    skipped.append(f"{candidate}: {reason}")
                continue
            found.append((engine, found_model))
        have = {m.id for _, m in found}
        installed = [m for m in self._registry.all_stt_models() if only in (None, m.engine)]
        cannot: list[str] = []
        for ranked in rank_models(installed, language=language):
            engine = self._registry.stt_engines[ranked.engine]
            if ranked.id in have:
                continue
            if (reason := _unfit(engine, ranked, options.task, language)) is not None:
                cannot.append(f"{ranked.id}: {reason}")
                continue
            found.append((engine, ranked))
        if not found:
            raise self._none_can_serve(requested, options, [*skipped, *cannot])
        if not skipped and found[0][0].name in EMBEDDED_ENGINES:
            skipped += [*self._nothing_installed(only), *cannot]
        (engine, first), rest = found[0], tuple(found[1:])
        return ResolvedModel(engine, first, requested, tuple(skipped), rest)

    def _explicit(self, model_id: str) -> ResolvedModel:
        """A model id: that model, or why not (not downloaded: the pull; unknown: the closest ids)."""
        try:
            engine, model = self._registry.find_stt_model(model_id)
        except ModelNotDownloaded:
            raise
        except UnknownModel as exc:
            close = difflib.get_close_matches(model_id, self._known_model_ids(), n=3, cutoff=0.6)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            typo = exc.message.startswith("unknown model") or "does not know where to fetch" in exc.message
            reason = "" if typo else exc.message
            raise UnknownModel(
                f"unknown transcription model {model_id!r}{' (' + reason + ')' if reason else ''}{hint}; "
                f"installed: {', '.join(self.model_ids())}",
                param="model",
            ) from None
        return ResolvedModel(engine, model, model_id)

    def _none_can_serve(self, requested: str, options: TranscribeOptions, tried: list[str]) -> MynahError:
        why = f" ({'; '.join(tried)})" if tried else ""
        if options.task == "translate":
            pull = SUGGESTED_PULL["whisper"]
            return NotSupported(
                f"no model installed here can translate{why}; `mynah models pull {pull}` adds one "
                "(Whisper models that are not English-only translate)",
                param="model",
            )
        if options.language:
            return NotSupported(
                f"no model installed here knows language {options.language!r}{why}", param="language"
            )
        return UnknownModel(f"no model can serve {requested!r} here{why}", param="model")

    def _nothing_installed(self, only: str | None) -> list[str]:
        notes = []
        for name, engine in sorted(self._registry.stt_engines.items()):
            if name in EMBEDDED_ENGINES or only not in (None, name) or engine.models():
                continue
            pull = SUGGESTED_PULL.get(name)
            notes.append(
                f"{name}: no model installed" + (f" (`mynah models pull {pull}` adds one)" if pull else "")
            )
        return notes

    def _known_model_ids(self) -> list[str]:
        ids = self.model_ids()
        ids += [e.id for e in FEATURED if e.kind == "stt" and e.engine in self._registry.stt_engines]
        return ids

    @staticmethod
    def _check(resolved: ResolvedModel, options: TranscribeOptions) -> TranscribeOptions:
        if options.task not in ("transcribe", "translate"):
            raise NotSupported(f"unknown task {options.task!r}; use transcribe or translate", param="task")
        language = _normalise_language(options.language)
        problem = _unfit(resolved.engine, resolved.model, options.task, language)
        if problem is not None:
            raise NotSupported(problem, param="model" if options.task == "translate" else "language")
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
        if options.format not in ("auto", "smart", "raw"):
            raise InvalidRequest(f"format must be auto, smart or raw, not {options.format!r}", param="format")
        redaction = Finisher.check(
            options.redact, options.redact_policy, options.redact_audio, options.redact_audio_fill
        )
        if redaction is not None:
            options = replace(options, redact=redaction.entities, redact_policy=redaction.policy)
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
        self,
        source: bytes | Path,
        prepared: PreparedTranscription,
        *,
        progress: Progress | None = None,
    ) -> TranscriptResult:
        """Transcribe `source` (encoded audio: the bytes, or a file) as `prepared` says.

        `progress(done, total)` reports seconds of audio finished. Inside `mynah.cancel.cancellable`
        a cancelled token stops the work at the next block or window, also while the request's
        windows wait in a shared batch, and raises Cancelled."""
        resolved, options = prepared.resolved, prepared.options
        key = cache_key(source, resolved.model.id, options.cache_key()) if self._cache is not None else None
        if key is not None and (cached := self._cached(key)) is not None:
            self._check_duration(cached.transcription.duration)
            return self._finish(
                source,
                TranscriptResult(
                    cached.transcription, cached.engine, cached.model, cached.skipped, cached=True
                ),
                options,
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
            if key is not None and not options.redact:  # a redacted request leaves no plain copy behind
                self._store(key, CachedTranscript(transcription, engine.name, model.id, tuple(skipped)))
            return self._finish(
                source, TranscriptResult(transcription, engine.name, model.id, tuple(skipped)), options
            )
        assert failure is not None  # the first candidate was checked by prepare, so it was tried
        raise failure

    def _finish(
        self, source: bytes | Path, result: TranscriptResult, options: TranscribeOptions
    ) -> TranscriptResult:
        """The engine's transcript made ready to use (`mynah.transcript`): smart formatting when asked
        for, or by default for an engine that writes spoken words; then redaction, text and audio."""
        found = self._registry.stt_engines.get(result.engine)
        spoken = found is not None and found.capabilities.spoken_words
        check_cancelled()
        finished = self._finisher.finish(
            result.transcription,
            source,
            smart=options.format == "smart" or (options.format == "auto" and spoken),
            redaction=RedactionRequest(options.redact, options.redact_policy) if options.redact else None,
            redact_audio=options.redact_audio,
            fill=options.redact_audio_fill,
            max_seconds=self._settings.max_audio_seconds,
        )
        return replace(
            result,
            transcription=finished.transcription,
            redactions=finished.redactions,
            redacted_audio=finished.redacted_audio,
        )

    def finish_text(
        self, transcription: Transcription, *, smart: bool, options: TranscribeOptions
    ) -> Finished:
        """A live stream's words formatted and redacted (never its audio, which is not kept)."""
        redaction = RedactionRequest(options.redact, options.redact_policy) if options.redact else None
        return self._finisher.finish(transcription, b"", smart=smart, redaction=redaction)

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
                f"audio is {round(seconds, 2):g} s long; the limit is {limit:g} s", param="file"
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
            decoded = DecodedAudio(
                audio,
                keep=options.diarize,
                by_channel=by_channel,
                bound=self._diarization_bound(audio.info.duration, caps.sample_rate, 2 if by_channel else 1)
                if options.diarize
                else None,
            )
            plan = engine.batching(audio.info.duration) if isinstance(engine, BatchTranscriber) else None
            try:
                with self._ticket(engine, model, plan) as ticket:
                    transcription = transcribe_long(
                        engine,
                        decoded.mono(),
                        engine_options,
                        vad=self._vad,
                        max_window=plan.window if plan is not None else caps.max_window_seconds,
                        total_seconds=audio.info.duration,
                        progress=_checking(progress),
                        batches=ticket,
                    )
            except MynahError:
                raise
            except Exception as exc:  # an engine bug must not become a bare 500 with a traceback
                log.exception("engine %s failed", engine.name)
                raise EngineFailed(f"engine {engine.name} failed: {exc}") from exc
        if transcription.language is None:
            transcription = replace(transcription, language=options.language or _model_language(model))
        return transcription, decoded.kept() if options.diarize else ()

    def _diarization_bound(self, duration: float | None, rate: int, channels: int) -> Callable[[int], None]:
        """Refuse at once a recording whose diarization would pass `stt.max_diarization_bytes`, and
        give the check that stops one of unknown length as its kept audio reaches the bound."""
        limit = self._settings.max_diarization_bytes
        if duration is not None:
            check_diarization_memory(duration, rate=rate, channels=channels, limit=limit, known=True)

        def bound(samples: int) -> None:
            check_diarization_memory(samples / rate, rate=rate, channels=channels, limit=limit, known=False)

        return bound

    @contextmanager
    def _ticket(
        self, engine: SttEngine, model: SttModel, plan: BatchPlan | None
    ) -> Iterator[Ticket[tuple[Samples, TranscriptionOptions], Transcription] | None]:
        """A place in the model's batching queue (one queue per model, shared by every request and
        job on this service), or None to go window by window."""
        if plan is None or not isinstance(engine, BatchTranscriber):
            yield None
            return
        with self._queues_lock:
            queue = self._queues.get((engine.name, model.id))
            if queue is None or (queue.batch_size, queue.lanes) != (plan.batch_size, plan.lanes):
                queue = BatchQueue(
                    engine.transcribe_batch, batch_size=plan.batch_size, lanes=plan.lanes, name=model.id
                )
                self._queues[(engine.name, model.id)] = queue
            ticket = queue.open()
        with ticket:
            yield ticket


def _unfit(engine: SttEngine, model: SttModel, task: str, language: str | None) -> str | None:
    """Why `model` cannot do `task` in `language` (None: it can)."""
    if task == "translate" and not can_translate(model, engine.capabilities.translate):
        return (
            f"model {model.id} cannot translate (English-only, or its engine cannot); "
            "whisper-1 picks the best installed model that can"
        )
    if language and model.languages and not _language_supported(language, model):
        return f"model {model.id} does not know language {language!r}; it knows {', '.join(model.languages)}"
    return None


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
