"""Engine work on a Ray cluster, behind the same service interfaces a single process uses.

    MYNAH_CLUSTER__ADDRESS=local mynah serve        (or `mynah serve --cluster local|auto|ray://...`)

    front (this process)                               cluster (Ray Serve, one app)
    HTTP / WebSocket / Wyoming, admission, keys,  -->  "speech" deployment:        SpeechReplica xN
    limits, usage, jobs; prepare() of every request    "transcription" deployment: TranscriptionReplica xN
    runtime.speech / runtime.transcription are         each replica a Runtime of its own (engines, model
    ClusterSpeechService / ClusterTranscriptionService manager with its leases and idle unloading)

`attach(runtime)` connects (or starts) Ray, deploys the app and returns the runtime with its two
services swapped for the cluster's (mynah.cluster.services); nothing else in mynah knows. Shared state
stays where it already is when several processes share it: PostgreSQL (MYNAH_DATABASE_URL: keys,
usage, lexicons, voices, jobs, the transcript cache) and Redis (MYNAH_REDIS_URL: limits).

Ray is the `cluster` extra (`pip install 'mynah[cluster]'`), imported only here and only when asked.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar, cast

from mynah.cluster.replicas import SpeechReplica, TranscriptionReplica, deployment_options
from mynah.cluster.replicas import board as find_board
from mynah.cluster.services import Caller, ClusterSpeechService, ClusterTranscriptionService
from mynah.config import Settings
from mynah.engines.registry import EngineRegistry
from mynah.errors import EngineUnavailable
from mynah.stt.service import TranscriptionService
from mynah.tts.service import SpeechService

__all__ = ["Cluster", "attach"]

log = logging.getLogger(__name__)


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise EngineUnavailable(
            "MYNAH_CLUSTER__ADDRESS is set but Ray is not installed: pip install 'mynah[cluster]'"
        ) from exc
    return ray


@dataclass
class Cluster:
    """The connection to the cluster: its deployments' callers and the board of replicas."""

    address: str
    namespace: str
    app_name: str
    speech: Caller
    transcription: Caller
    board: Any
    started_ray: bool

    def close(self) -> None:
        """Leave the cluster; a Ray this process started (`local`) is shut down with its app."""
        ray = _ray()
        if not ray.is_initialized():
            return
        if self.started_ray:
            serve: Any = __import__("ray.serve", fromlist=["serve"])
            try:
                serve.shutdown()
            finally:
                ray.shutdown()

    def status(self) -> dict[str, Any]:
        from mynah.cluster.status import cluster_status

        status: dict[str, Any] = cluster_status(self)
        return status


class _Runtime(Protocol):
    """What `attach` needs of a `mynah.runtime.Runtime` (which imports this package, not the reverse)."""

    @property
    def settings(self) -> Settings: ...
    @property
    def registry(self) -> EngineRegistry: ...
    @property
    def speech(self) -> SpeechService: ...
    @property
    def transcription(self) -> TranscriptionService: ...


R = TypeVar("R", bound=_Runtime)


def attach(runtime: R) -> R:
    """`runtime` with its speech and transcription services running on the cluster its settings name."""
    settings = runtime.settings
    cluster_settings = settings.cluster
    address = cluster_settings.address
    assert address is not None
    ray = _ray()
    serve: Any = __import__("ray.serve", fromlist=["serve"])
    start = cast(Any, type(runtime)).start  # Runtime.start: how each replica builds its own

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    started = False
    if not ray.is_initialized():
        options: dict[str, Any] = {"namespace": cluster_settings.namespace, "log_to_driver": False}
        if address == "local":
            options["include_dashboard"] = False
            if cluster_settings.local_cpus is not None:
                options["num_cpus"] = cluster_settings.local_cpus
            started = True
        else:
            options["address"] = address
        ray.init(**options)
    board = find_board(ray, cluster_settings.namespace)
    speech_app, transcription_app = app_names(cluster_settings.app_name)
    if cluster_settings.deploy:
        serve.start(proxy_location="Disabled")
        serve.run(build_speech(settings, start), name=speech_app, route_prefix=None)
        serve.run(build_transcription(settings, start), name=transcription_app, route_prefix=None)
    speech_handle = serve.get_deployment_handle("speech", app_name=speech_app)
    transcription_handle = serve.get_deployment_handle("transcription", app_name=transcription_app)
    cluster = Cluster(
        address=address,
        namespace=cluster_settings.namespace,
        app_name=cluster_settings.app_name,
        speech=Caller(speech_handle, cluster_settings.retries),
        transcription=Caller(transcription_handle, cluster_settings.retries),
        board=board,
        started_ray=started,
    )
    log.info("engines run on Ray at %s (namespace %s)", address, cluster_settings.namespace)
    old_speech, old_transcription = runtime.speech, runtime.transcription
    speech_service = ClusterSpeechService(
        runtime.registry,
        settings.tts,
        matcher_for=old_speech._matcher_for,
        clip_loader=old_speech._clip_loader,
    ).bind(cluster.speech)
    transcription_service = ClusterTranscriptionService(
        runtime.registry, settings.stt, vad=old_transcription._vad
    ).bind(cluster.transcription)
    attached = replace(
        cast(Any, runtime), speech=speech_service, transcription=transcription_service, cluster=cluster
    )
    return cast(R, attached)


def app_names(prefix: str) -> tuple[str, str]:
    """The Serve applications' names: `<prefix>-speech` and `<prefix>-transcription`."""
    return f"{prefix}-speech", f"{prefix}-transcription"


def build_speech(settings: Settings, start: Any) -> Any:
    """The speech application (one deployment, "speech"), bound to `settings`."""
    from ray import serve

    options = deployment_options("speech", settings.cluster.speech)
    return serve.deployment(**options)(SpeechReplica).bind(settings, start)


def build_transcription(settings: Settings, start: Any) -> Any:
    """The transcription application (one deployment, "transcription"), bound to `settings`."""
    from ray import serve

    options = deployment_options("transcription", settings.cluster.transcription)
    return serve.deployment(**options)(TranscriptionReplica).bind(settings, start)
