"""The front's side of the seam: `SpeechService` and `TranscriptionService` whose engine work runs on
the cluster's replicas.

    prepare(...)      here, as in one process: every check, every 4xx, before any byte is sent
    stream(prepared)  SpeechReplica.stream over a Serve streaming response, chunk by chunk
    transcribe(...)   TranscriptionReplica.transcribe; progress and cancellation cross both ways
    decode_window()   TranscriptionReplica.decode: one decode of a live stream (the stream stays here)

A call whose replica dies (its actor is gone, or unreachable) is sent again, to another replica, up
to `cluster.retries` times. A speech stream that had already delivered chunks is replayed and its
first chunks skipped: the same plan cuts the same chunks (sentence pieces), so the stream goes on
where it broke off (espeak-ng is bit-exact; a voice with sampling noise, like Piper's, differs only
inside the chunks it had not sent yet). Every answer names the replica that served it (`x-mynah-replica`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from mynah.cancel import check_cancelled
from mynah.cluster.replicas import (
    Decoded,
    Failed,
    Hello,
    Progress,
    SpeechCall,
    SpeechDone,
    TranscriptDone,
)
from mynah.engines.base import SttModel, TranscriptionOptions
from mynah.errors import Cancelled, EngineUnavailable, Overloaded
from mynah.stt.service import PreparedTranscription, TranscriptionService, TranscriptResult
from mynah.tts.plan import Normalization
from mynah.tts.service import PreparedSpeech, SpeechChunk, SpeechService
from mynah.types import Samples, Transcription

log = logging.getLogger(__name__)

RETRY_PAUSE = 0.5
"""Seconds before a call is sent again, doubled each time (Serve needs a moment to drop a dead replica)."""


@dataclass(frozen=True)
class ClusterPreparedSpeech(PreparedSpeech):
    """A prepared request that remembers how it was asked, so a replica can prepare it again."""

    call: SpeechCall = field(default_factory=lambda: SpeechCall(""), compare=False)


class Caller:
    """Streaming calls to one deployment, sent again when the replica serving them dies."""

    def __init__(self, handle: Any, retries: int) -> None:
        self.handle = handle
        self.retries = retries
        self.lost: list[str] = []
        """Replicas that died under a call, most recent last (for status and logs)."""

    def call(self, method: str, *args: Any, skip: int = 0) -> Iterator[Any]:
        """The messages of `method(*args)`, the `Hello` of each attempt included. On a retry the first
        `skip` + (already delivered) non-Hello messages are not delivered again."""
        from ray.exceptions import ActorUnavailableError, RayActorError, RayError
        from ray.serve.exceptions import BackPressureError, RayServeException, ReplicaUnavailableError

        attempt, delivered, replica = 0, 0, "?"
        while True:
            stream = getattr(self.handle.options(stream=True), method).remote(*args)
            seen = 0
            try:
                for message in stream:
                    if isinstance(message, Hello):
                        replica = message.replica
                        yield message
                        continue
                    seen += 1
                    if seen <= delivered:
                        continue
                    delivered += 1
                    yield message
                return
            except BackPressureError as exc:  # every replica is at max_ongoing_requests with a full queue
                raise Overloaded(f"every replica is busy ({exc}); try again shortly", retry_after=2) from exc
            except (RayActorError, ActorUnavailableError, ReplicaUnavailableError) as exc:
                self.lost.append(replica)
                attempt += 1
                if attempt > self.retries:
                    raise EngineUnavailable(
                        f"replica {replica} was lost and {self.retries} retries found no other: "
                        f"{type(exc).__name__}"
                    ) from exc
                log.warning("replica %s lost mid-request (%s); sending it again", replica, type(exc).__name__)
                time.sleep(RETRY_PAUSE * 2 ** (attempt - 1))
            except (RayError, RayServeException) as exc:  # the cluster itself is away: a 503, not a 500
                raise EngineUnavailable(
                    f"the cluster could not run the call: {type(exc).__name__}: {exc}"
                ) from exc
            except GeneratorExit:
                stream.cancel()
                raise


class ClusterSpeechService(SpeechService):
    """Prepares here; synthesises on a `SpeechReplica`."""

    def bind(self, caller: Caller) -> ClusterSpeechService:
        self._caller = caller
        return self

    def prepare(
        self,
        text: str,
        *,
        voice: str | None = None,
        model: str | None = None,
        speed: float = 1.0,
        sample_rate: int | None = None,
        lexicons: Sequence[str] = (),
        normalization: Normalization = Normalization(),  # noqa: B008 - frozen
        ssml: bool | None = None,
    ) -> PreparedSpeech:
        prepared = super().prepare(
            text,
            voice=voice,
            model=model,
            speed=speed,
            sample_rate=sample_rate,
            lexicons=lexicons,
            normalization=normalization,
            ssml=ssml,
        )
        call = SpeechCall(
            text,
            voice=voice,
            model=model,
            speed=speed,
            sample_rate=prepared.sample_rate,
            lexicons=tuple(lexicons),
            normalization=normalization,
            ssml=ssml,
        )
        values = {f.name: getattr(prepared, f.name) for f in fields(PreparedSpeech)}
        return ClusterPreparedSpeech(**values, call=call)

    def stream(self, prepared: PreparedSpeech, *, timings: bool = True) -> Iterator[SpeechChunk]:
        if not isinstance(prepared, ClusterPreparedSpeech):  # prepared by a plain service: run it here
            return super().stream(prepared, timings=timings)
        return self._remote(prepared, timings)

    def _remote(self, prepared: ClusterPreparedSpeech, timings: bool) -> Iterator[SpeechChunk]:
        state = prepared.state
        for message in self._caller.call("stream", prepared.call, timings):
            if isinstance(message, Hello):
                state.replica = message.replica
            elif isinstance(message, SpeechChunk):
                yield message
            elif isinstance(message, SpeechDone):
                replica = state.replica
                for name in ("voice", "engine", "seconds"):
                    setattr(state, name, getattr(message.state, name))
                state.skipped.extend(message.state.skipped)
                state.warnings.extend(message.state.warnings)
                state.replica = replica
            elif isinstance(message, Failed):
                raise message.error


class ClusterTranscriptionService(TranscriptionService):
    """Prepares here; transcribes on a `TranscriptionReplica` (its cache is the shared store's)."""

    last_decoded_by: str | None = None
    """The replica of the latest live decode (for logs and tests)."""

    def bind(self, caller: Caller) -> ClusterTranscriptionService:
        self._caller = caller
        return self

    def transcribe(
        self,
        source: bytes | Path,
        prepared: PreparedTranscription,
        *,
        progress: Any = None,
    ) -> TranscriptResult:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        replica: str | None = None
        messages = self._caller.call("transcribe", data, prepared.resolved.requested, prepared.options)
        try:
            for message in messages:
                if isinstance(message, Hello):
                    replica = message.replica
                elif isinstance(message, Progress):
                    check_cancelled()
                    if progress is not None:
                        progress(message.done, message.total)
                elif isinstance(message, TranscriptDone):
                    return replace(message.result, replica=replica)
                elif isinstance(message, Failed):
                    raise message.error
        except Cancelled:
            close = getattr(messages, "close", None)
            if close is not None:
                close()
            raise
        raise EngineUnavailable(f"replica {replica} ended the transcription without a result")

    def decode_window(self, model: SttModel, audio: Samples, options: TranscriptionOptions) -> Transcription:
        """One decode of a live stream's audio on a replica (`mynah.realtime.transcribe` calls it for
        every partial and final when a cluster is configured); a lost replica is retried."""
        replica: str | None = None
        for message in self._caller.call("decode", model.id, audio, options):
            if isinstance(message, Hello):
                replica = message.replica
            elif isinstance(message, Decoded):
                self.last_decoded_by = replica
                return message.transcription
            elif isinstance(message, Failed):
                raise message.error
        raise EngineUnavailable(f"replica {replica} ended a live decode without a result")
