"""A real local Ray cluster (`ray.init(num_cpus=2)`, usage statistics off, no dashboard) with two
replicas per engine family at a quarter CPU each, and a real mynah front on it: uvicorn on a free port,
the embedded engines (pocketsphinx, espeak-ng), shared state in a throwaway PostgreSQL database."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mynah.audio.decode import decode_audio
from mynah.audio.encode import encode_audio
from mynah.audio.formats import AudioFormat
from mynah.config import (
    AdmissionSettings,
    ClusterSettings,
    DeploymentSettings,
    JobsSettings,
    ModelSettings,
    ServerSettings,
    Settings,
    SttSettings,
)
from mynah.runtime import Runtime
from tests.store.conftest import postgres_url  # noqa: F401 - fixture, shared
from tests.support import LiveServer, start_live_server

MODEL = "pocketsphinx:en-us"
NAMESPACE = "mynah-test"


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[Any]:
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'mynah[cluster]')")
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    ray.init(num_cpus=2, include_dashboard=False, namespace=NAMESPACE, log_to_driver=False)
    try:
        yield ray
    finally:
        from ray import serve

        serve.shutdown()
        ray.shutdown()


@pytest.fixture(scope="module")
def cluster_server(
    ray_cluster: Any,
    postgres_url: str,  # noqa: F811 - the shared fixture, by name
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    replicas = DeploymentSettings(num_cpus=0.25, min_replicas=2, max_replicas=2, max_ongoing_requests=4)
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("cluster"),
        database_url=postgres_url,
        engines=["pocketsphinx", "espeak"],
        models=ModelSettings(offline=True),
        stt=SttSettings(cache=False, default_model=[MODEL]),
        jobs=JobsSettings(poll_seconds=0.05, lease_seconds=3.0, retry_base_seconds=0.05),
        server=ServerSettings(admission=AdmissionSettings(transcription_slots=4, speech_slots=4)),
        cluster=ClusterSettings(
            address="local", namespace=NAMESPACE, speech=replicas, transcription=replicas, retries=4
        ),
    )
    with Runtime.start(settings) as runtime, start_live_server(settings, runtime) as server:
        yield server


@pytest.fixture(scope="module")
def long_recording(speech_dir: Path) -> bytes:
    """The eight LJSpeech clips with a second of silence after each (about 58 s): long enough to kill
    a replica in the middle of, with progress reported after every window."""
    pause = np.zeros(16000, dtype=np.float32)
    parts = []
    for i in range(1, 9):
        parts += [decode_audio((speech_dir / "ljspeech" / f"LJ001-000{i}.flac").read_bytes(), 16000), pause]
    return encode_audio(np.concatenate(parts).astype(np.float32), 16000, AudioFormat.wav)


def wait_for(condition: Callable[[], Any], timeout: float = 120.0, what: str = "the condition") -> Any:
    """Poll `condition` until it returns something truthy (state, not time: it returns at once then)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {timeout:g} s")


def busy_replica(runtime: Runtime, family: str) -> dict[str, Any] | None:
    """A replica of `family` serving a call right now, as the cluster's board reports it."""
    assert runtime.cluster is not None
    for replica in runtime.cluster.status()["replicas"]:
        if replica["family"] == family and replica["in_flight"] > 0:
            return dict(replica)
    return None


def kill_replica(ray: Any, replica: dict[str, Any]) -> None:
    """Kill the replica's actor outright (as a lost node would): no graceful shutdown, no restart."""
    ray.kill(ray.get_actor(replica["actor"], namespace="serve"), no_restart=True)
