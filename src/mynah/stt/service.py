"""Audio in, a Transcription out, in two steps that mirror speech (`mynah.tts.service`):

prepare(model, options)      (a worker thread: it may read the model cache and ask the hub)
  -> the model chain resolved (OpenAI names map to `MYNAH_STT__DEFAULT_MODEL`; `stt.resolve`), every
     option checked against the first model, the diarizer built when diarization is asked for (once per process)
transcribe(source, prepared)
  -> cache by content hash + model + options: a hit answers at once, names the model that served the
     original, and obeys the duration limit a fresh request would
  -> the model held (loaded) for the whole request; one that cannot load falls to the next in the
     chain before any audio is decoded, and the result says which were skipped and why
  -> stt.decoded: the upload opened and decoded ONCE, streamed in blocks at the engine's rate
       -> stt.chunking.transcribe_long: VAD, windows cut at pauses, engine per window, merge
       -> the same pass kept for stt.diarize when asked (by channel for one-speaker-per-channel stereo)
  -> TranscriptResult: the transcription (a speaker on every word when diarized) and what served it

What a request asks and gets back (TranscribeOptions, TranscriptResult, ...) is `stt.requests`,
re-exported here.

Every failure is a `mynah.errors` exception: an engine or diarizer bug becomes EngineFailed, never a
bare 500.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from mynah.audio.decode import open_audio
from mynah.cancel import check_cancelled
from mynah.config import SttSettings
from mynah.engines.base import BatchPlan, BatchTranscriber, SttEngine, SttModel, TranscriptionOptions
from mynah.engines.registry import EngineRegistry
from mynah.errors import EngineFailed, EngineUnavailable, InvalidAudio, MynahError, PayloadTooLarge
from mynah.stt.batching import BatchQueue, Ticket
from mynah.stt.cache import CachedTranscript, TranscriptCache, cache_key
from mynah.stt.chunking import transcribe_long
from mynah.stt.decoded import DecodedAudio
from mynah.stt.diarization_memory import check_diarization_memory
from mynah.stt.requests import (
    HoldsModels,
    PreparedTranscription,
    ResolvedModel,
    TranscribeOptions,
    TranscriptResult,
)
from mynah.stt.resolve import ModelResolver, cannot_serve, check_options
from mynah.stt.vad import VoiceActivityDetector, WebRtcVad
from mynah.transcript import Finished, Finisher
from mynah.transcript.redact import RedactionRequest
from mynah.types import Samples, Transcription

if TYPE_CHECKING:
    from mynah.stt.diarize import Diarizer

__all__ = [
    "HoldsModels",
    "PreparedTranscription",
    "ResolvedModel",
    "TranscribeOptions",
    "TranscriptCache",
    "TranscriptResult",
    "TranscriptionService",
]

log = logging.getLogger(__name__)

Progress = Callable[[float, float], None]


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
        self._resolver = ModelResolver(registry, settings)

    def model_ids(self) -> list[str]:
        return self._resolver.model_ids()

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
        checked = check_options(resolved, options)
        diarizer = self._shared_diarizer() if checked.diarize else None
        return PreparedTranscription(resolved, checked, diarizer)

    def resolve_model(self, model: str | None, options: TranscribeOptions | None = None) -> ResolvedModel:
        """The model chain that serves `model` for what `options` ask (`ModelResolver.resolve_model`)."""
        return self._resolver.resolve_model(model, options)

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
            if index and (reason := cannot_serve(engine, model, options)) is not None:
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
                        squeeze=plan.squeeze if plan is not None else None,
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


def _checking(progress: Progress | None) -> Progress:
    """`progress`, which first stops cancelled work (`mynah.cancel`): it is called after every
    decoded block and every window, so a client that left stops its transcription within one."""

    def report(done: float, total: float) -> None:
        check_cancelled()
        if progress is not None:
            progress(done, total)

    return report


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
