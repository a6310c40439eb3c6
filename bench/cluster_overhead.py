"""What the cluster costs: 40 short transcriptions through an HTTP front whose engines run on a local
Ray (two replicas), against the same front with the engines in-process, in one run.

    python bench/cluster_overhead.py                          # whisper:tiny.en, 40 requests, 2 clients
    python bench/cluster_overhead.py --model pocketsphinx:en-us --requests 80

in-process: `mynah serve` as it is (uvicorn in a thread), transcriptions run in its worker threads.
cluster:    the same front with MYNAH_CLUSTER__ADDRESS=local on `ray.init(num_cpus=2)`: two replicas
            of the transcription deployment at one CPU each; every request is prepared on the front,
            its upload shipped to a replica, transcribed there and its result shipped back.
Both arms: the same files (the recordings of ../shared/data, round robin), `--clients` concurrent
HTTP clients, admission `transcription_slots` = clients, transcript cache off, and a warm-up of one
request per client (models loaded, replicas up) before the clock starts. Goal: cluster <= 1.15 x.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mynah.config import (  # noqa: E402
    AdmissionSettings,
    ClusterSettings,
    DeploymentSettings,
    ModelSettings,
    PlatformSettings,
    ServerSettings,
    Settings,
    SttSettings,
)
from mynah.runtime import Runtime  # noqa: E402
from tests.fixtures.real_weights import real_model_cache  # noqa: E402
from tests.support import start_live_server  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
if not DATA.is_dir():
    DATA = Path("/work/shared/data")


def short_files(count: int) -> list[bytes]:
    files = sorted((DATA / "speech").rglob("*.wav")) + sorted((DATA / "speech").rglob("*.flac"))
    return [files[i % len(files)].read_bytes() for i in range(count)]


def settings_for(model: str, clients: int, cluster: ClusterSettings | None) -> Settings:
    engine = model.split(":")[0]
    return Settings(
        data_dir=Path(tempfile.mkdtemp(prefix="mynah-cluster-bench-")),
        engines=[engine, "espeak"],
        models=ModelSettings(cache_dir=real_model_cache() if engine == "whisper" else None, offline=True),
        stt=SttSettings(cache=False, default_model=[model]),
        server=ServerSettings(admission=AdmissionSettings(transcription_slots=clients)),
        cluster=cluster or ClusterSettings(),
        platform=PlatformSettings(enabled=False),  # the engines' cost, not the keys' and meters
    )


def drive(url: str, files: list[bytes], clients: int) -> tuple[float, list[str], set[str]]:
    def one(audio: bytes) -> tuple[str, str]:
        with httpx.Client(base_url=url, timeout=600) as client:
            response = client.post(
                "/v1/audio/transcriptions", files={"file": ("a.wav", audio)}, data={"model": "whisper-1"}
            )
            response.raise_for_status()
            return response.json()["text"], response.headers.get("x-mynah-replica", "in-process")

    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, files[:clients]))  # warm-up: every model loaded, every replica up
        started = time.perf_counter()
        answers = list(pool.map(one, files))
        elapsed = time.perf_counter() - started
    return elapsed, [text for text, _ in answers], {replica for _, replica in answers}


def arm(settings: Settings, files: list[bytes], clients: int) -> tuple[float, list[str], set[str]]:
    with Runtime.start(settings) as runtime, start_live_server(settings, runtime) as server:
        return drive(server.url, files, clients)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="whisper:tiny.en")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--replica-cpus", type=float, default=1.0)
    args = parser.parse_args()
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    files = short_files(args.requests)
    local_seconds, local_texts, _ = arm(settings_for(args.model, args.clients, None), files, args.clients)

    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    replicas = DeploymentSettings(
        num_cpus=args.replica_cpus, min_replicas=2, max_replicas=2, max_ongoing_requests=args.clients
    )
    small = DeploymentSettings(num_cpus=0, min_replicas=1, max_replicas=1)
    cluster = ClusterSettings(address="local", transcription=replicas, speech=small)
    try:
        cluster_seconds, cluster_texts, served_by = arm(
            settings_for(args.model, args.clients, cluster), files, args.clients
        )
    finally:
        from ray import serve

        serve.shutdown()
        ray.shutdown()
    same = sum(a == b for a, b in zip(local_texts, cluster_texts, strict=True))
    ratio = cluster_seconds / local_seconds
    print(f"{args.requests} short transcriptions, {args.model}, {args.clients} clients, one run")
    print(f"in-process front:        {local_seconds:6.2f} s")
    print(
        f"cluster (2 replicas x {args.replica_cpus:g} CPU): {cluster_seconds:6.2f} s   served by {sorted(served_by)}"
    )
    print(
        f"cluster / in-process:    {ratio:.2f}   (goal <= 1.15); identical transcripts: {same}/{len(files)}"
    )
    return 0 if ratio <= 1.15 else 2


if __name__ == "__main__":
    raise SystemExit(main())
