"""What runs on the cluster: one Ray Serve deployment per engine family, and the board they report to.

    SpeechReplica         stream(call)            -> Hello, SpeechChunk..., SpeechDone
    TranscriptionReplica  transcribe(data, ...)   -> Hello, Progress..., TranscriptDone
                          decode(model, samples)  -> Hello, Decoded   (one window of a live stream)
    Board (an actor)      what every replica is doing: in flight, served, failed, loaded models

Each replica is a `mynah.runtime.Runtime` of its own, built from the front's settings with the cluster
address cleared, so it runs the very service code a single process runs: the replica re-prepares the
request (the same settings and the same shared database give the same plan), runs it, and sends the
results back as they come. A speech stream stays a stream: a Serve streaming response, one chunk per
message. A `MynahError` travels back as a value (`Failed`), so the front raises the very error the
in-process service would have; anything else is Serve's business (a dead replica: retried by the
front, `mynah.cluster.services`).

Requests on one replica share its `TranscriptionService`, so the Whisper windows of different
requests are batched together by its `BatchQueue` (mynah.stt.batching) exactly as in one process.
A live transcription stream (WebSocket, Wyoming) stays on its front, which keeps the audio, the
endpointing and the agreement between decodes; each decode of its buffer is one `decode` call here.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from mynah.cancel import CancelToken, cancellable
from mynah.config import DeploymentSettings, Settings
from mynah.engines.base import TranscriptionOptions
from mynah.errors import EngineFailed, MynahError
from mynah.stt.service import TranscribeOptions, TranscriptResult
from mynah.tts.plan import Normalization
from mynah.tts.service import SpeechChunk, StreamState
from mynah.types import Samples, Transcription

log = logging.getLogger(__name__)

BOARD = "mynah-cluster-board"
"""Name of the board actor in the cluster's namespace."""


@dataclass(frozen=True)
class Hello:
    """The first message of every call: which replica took it."""

    replica: str


@dataclass(frozen=True)
class Progress:
    done: float
    total: float


@dataclass(frozen=True)
class SpeechDone:
    state: StreamState


@dataclass(frozen=True)
class TranscriptDone:
    result: TranscriptResult


@dataclass(frozen=True)
class Decoded:
    transcription: Transcription


@dataclass(frozen=True)
class Failed:
    error: MynahError


@dataclass(frozen=True)
class SpeechCall:
    """The arguments of `SpeechService.prepare`, as the front received them."""

    text: str
    voice: str | None = None
    model: str | None = None
    speed: float = 1.0
    sample_rate: int | None = None
    lexicons: tuple[str, ...] = ()
    normalization: Normalization = field(default_factory=Normalization)
    ssml: bool | None = None


@dataclass
class ReplicaReport:
    """One replica as the board knows it."""

    replica: str
    family: str
    node: str
    pid: int
    actor: str
    in_flight: int = 0
    served: int = 0
    failed: int = 0
    models: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)
    seq: int = 0
    """Counts the replica's reports: the board keeps the newest (they may arrive out of order)."""


class Board:
    """A Ray actor holding the latest report of every replica (fire-and-forget from the replicas)."""

    def __init__(self) -> None:
        self._reports: dict[str, ReplicaReport] = {}

    def report(self, report: ReplicaReport) -> None:
        known = self._reports.get(report.replica)
        if known is None or report.seq > known.seq:
            self._reports[report.replica] = report

    def forget(self, replica: str) -> None:
        self._reports.pop(replica, None)

    def snapshot(self) -> list[ReplicaReport]:
        return sorted(self._reports.values(), key=lambda r: (r.family, r.replica))


class _Replica:
    family = "engine"

    def __init__(self, settings: Settings, start: Callable[[Settings], Any]) -> None:
        """`start` is `Runtime.start` (passed in: mynah.runtime imports this package, not the reverse)."""
        import ray
        from ray import serve

        local = settings.model_copy(update={"cluster": settings.cluster.model_copy(update={"address": None})})
        self.runtime = start(local)
        context = ray.get_runtime_context()
        unique = serve.get_replica_context().replica_id.unique_id
        self.report = ReplicaReport(
            replica=f"{self.family}#{unique}",
            family=self.family,
            node=context.get_node_id()[:12],
            pid=os.getpid(),
            actor=context.get_actor_name() or "",
        )
        self._lock = threading.Lock()
        try:
            self._board: Any = board(ray, settings.cluster.namespace)
        except Exception:  # reports are for status; a replica serves without them
            log.warning("replica %s: cannot reach the board; status will not list it", self.report.replica)
            self._board = None
        self._publish()
        log.info("replica %s up on node %s (pid %d)", self.report.replica, self.report.node, os.getpid())

    def _publish(self) -> None:
        if self._board is None:
            return
        with self._lock:
            if self.runtime.models is not None:
                self.report.models = [m.id for m in self.runtime.models.loaded()]
            self.report.updated = time.time()
            self.report.seq += 1
            snapshot = ReplicaReport(**vars(self.report))
        self._board.report.remote(snapshot)

    @contextmanager
    def _working(self) -> Iterator[None]:
        """Counts a call in flight on the board while the block runs. Callers yield their `Hello`
        before entering, so a front that sees the replica busy has been told which replica it is
        talking to (a replica killed in between would otherwise be lost as "?")."""
        with self._lock:
            self.report.in_flight += 1
        self._publish()
        failed = True
        try:
            yield
            failed = False
        finally:
            with self._lock:
                self.report.in_flight -= 1
                self.report.served += 1
                self.report.failed += failed
            self._publish()

    def check_health(self) -> None:
        if self.runtime.closed:
            raise RuntimeError("the replica's runtime is closed")

    def __del__(self) -> None:
        runtime = getattr(self, "runtime", None)
        if runtime is not None:
            runtime.close()


class SpeechReplica(_Replica):
    family = "speech"

    def stream(
        self, call: SpeechCall, timings: bool = True
    ) -> Iterator[Hello | SpeechChunk | SpeechDone | Failed]:
        yield Hello(self.report.replica)
        with self._working():
            service = self.runtime.speech
            try:
                prepared = service.prepare(
                    call.text,
                    voice=call.voice,
                    model=call.model,
                    speed=call.speed,
                    sample_rate=call.sample_rate,
                    lexicons=call.lexicons,
                    normalization=call.normalization,
                    ssml=call.ssml,
                )
                yield from service.stream(prepared, timings=timings)
            except MynahError as exc:
                yield Failed(exc)
                return
            except Exception as exc:  # an engine bug: the front answers it like the service would
                log.exception("synthesis failed on %s", self.report.replica)
                yield Failed(EngineFailed(f"synthesis failed on {self.report.replica}: {exc}"))
                return
            yield SpeechDone(prepared.state)


class TranscriptionReplica(_Replica):
    family = "transcription"

    def transcribe(
        self, data: bytes, model: str | None, options: TranscribeOptions
    ) -> Iterator[Hello | Progress | TranscriptDone | Failed]:
        yield Hello(self.report.replica)
        with self._working():
            messages: queue.Queue[Progress | TranscriptDone | Failed] = queue.Queue()
            token = CancelToken()

            def work() -> None:
                try:
                    with cancellable(token):
                        service = self.runtime.transcription
                        prepared = service.prepare(model, options)
                        result = service.transcribe(
                            data, prepared, progress=lambda done, total: messages.put(Progress(done, total))
                        )
                    messages.put(TranscriptDone(result))
                except MynahError as exc:
                    messages.put(Failed(exc))
                except Exception as exc:  # the service maps engine bugs; this is the last guard
                    log.exception("transcription failed on %s", self.report.replica)
                    messages.put(Failed(EngineFailed(f"transcription failed: {exc}")))

            worker = threading.Thread(target=work, name="mynah-replica-transcription", daemon=True)
            worker.start()
            try:
                while True:
                    message = messages.get()
                    yield message
                    if not isinstance(message, Progress):
                        return
            finally:  # the caller went away (cancelled, or its front died): stop the work
                token.cancel("the caller of this transcription went away")
                worker.join()

    def decode(
        self, model_id: str, samples: Samples, options: TranscriptionOptions
    ) -> Iterator[Hello | Decoded | Failed]:
        """One decode of a live stream's buffer with the engine of `model_id` (its model is loaded
        here on first use and kept by this replica's model manager)."""
        yield Hello(self.report.replica)
        with self._working():
            try:
                engine, _ = self.runtime.registry.find_stt_model(model_id)
                yield Decoded(engine.transcribe(samples, options))
            except MynahError as exc:
                yield Failed(exc)
            except Exception as exc:  # an engine bug: the stream reports it as the front would
                log.exception("live decode failed on %s", self.report.replica)
                yield Failed(EngineFailed(f"live transcription failed on {self.report.replica}: {exc}"))


def board(ray: Any, namespace: str) -> Any:
    """The board every replica reports to: one named actor per namespace, made by whoever comes first
    (a front deploying, or the first replica of apps deployed by KubeRay)."""
    actor = ray.remote(num_cpus=0)(Board)
    return actor.options(name=BOARD, namespace=namespace, get_if_exists=True, lifetime="detached").remote()


def deployment_options(family: str, settings: DeploymentSettings) -> dict[str, Any]:
    """Serve options of one deployment: replicas sized by CPUs (and GPUs), autoscaled between bounds."""
    initial = settings.initial_replicas if settings.initial_replicas is not None else settings.min_replicas
    actor: dict[str, Any] = {"num_cpus": settings.num_cpus}
    if settings.num_gpus:
        actor["num_gpus"] = settings.num_gpus
    return {
        "name": family,
        "ray_actor_options": actor,
        "max_ongoing_requests": settings.max_ongoing_requests,
        "health_check_period_s": 2.0,
        "autoscaling_config": {
            "min_replicas": settings.min_replicas,
            "initial_replicas": max(initial, settings.min_replicas),
            "max_replicas": max(settings.max_replicas, settings.min_replicas, 1),
            "target_ongoing_requests": settings.target_ongoing_requests,
        },
    }
