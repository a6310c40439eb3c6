"""Whisper windows of different requests batched on one replica, against unbatched replicas on the
same two cores: throughput (seconds of audio per second) of concurrent one-window requests.

    python bench/cluster_batching.py                     # whisper:tiny.en, 8 requests of ~25 s at once
    python bench/cluster_batching.py --model whisper:base --requests 12

Every request is one Whisper window (under 30 s), so whatever batching happens is ACROSS requests:
the replica's TranscriptionService shares one BatchQueue per model (mynah.stt.batching) between all
the calls it serves at once. Arms, each on a fresh local Ray (`num_cpus=2`), through the cluster's
services (mynah.cluster.services: prepare here, transcribe on the replica):

    unbatched 2x1   two replicas of one CPU each, `batched=false`, cpu_threads=1
    unbatched 1x2   one replica of two CPUs, `batched=false`, cpu_threads=2, two lanes
    batched 1x2     one replica of two CPUs, `batched=true`, batch_size=4, cpu_threads=2, one lane
    batched 1x2 2 lanes   the same with batch_size=2, cpu_threads=1, two lanes
    unbatched windows 2x1 two replicas of one CPU, the batch decode path with batch_size=1: the
                          A/B for batching alone (same decoder, same threads, same replicas)
    batched 2x1           two replicas of one CPU, batch_size=4, cpu_threads=1, one lane

bench/whisper_batch_cpu.py measures why the batched arms lose on CPU: the CPU work per window.

The requests are the recordings of ../shared/data laid end to end and cut at ~25 s (each its own
stretch). One run per arm; the machine is shared, so read the ratio, not the seconds.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mynah.audio.decode import decode_audio  # noqa: E402
from mynah.audio.encode import encode_audio  # noqa: E402
from mynah.audio.formats import AudioFormat  # noqa: E402
from mynah.config import ClusterSettings, DeploymentSettings, ModelSettings, Settings, SttSettings  # noqa: E402
from mynah.runtime import Runtime  # noqa: E402
from mynah.stt.service import TranscribeOptions  # noqa: E402
from tests.fixtures.real_weights import real_model_cache  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
if not DATA.is_dir():
    DATA = Path("/work/shared/data")
RATE = 16000

ARMS: dict[str, tuple[int, float, dict[str, Any]]] = {
    "unbatched 2x1": (2, 1.0, {"batched": "false", "cpu_threads": 1, "num_workers": 1}),
    "unbatched 1x2": (1, 2.0, {"batched": "false", "cpu_threads": 2, "num_workers": 2}),
    "batched 1x2": (1, 2.0, {"batched": "true", "batch_size": 4, "cpu_threads": 2, "num_workers": 1}),
    "batched 1x2 2 lanes": (1, 2.0, {"batched": "true", "batch_size": 2, "cpu_threads": 1, "num_workers": 2}),
    "unbatched windows 2x1": (
        2,
        1.0,
        {"batched": "true", "batch_size": 1, "cpu_threads": 1, "num_workers": 1},
    ),
    "batched 2x1": (2, 1.0, {"batched": "true", "batch_size": 4, "cpu_threads": 1, "num_workers": 1}),
}


def requests(count: int, seconds: float) -> list[bytes]:
    clips = sorted((DATA / "speech" / "ljspeech").glob("*.flac")) + sorted((DATA / "speech").glob("*.wav"))
    audio = np.concatenate([decode_audio(p.read_bytes(), RATE) for p in clips])
    step = int(seconds * RATE)
    while len(audio) < step * count:
        audio = np.concatenate([audio, audio])
    return [encode_audio(audio[i * step : (i + 1) * step], RATE, AudioFormat.wav) for i in range(count)]


def run_arm(name: str, model: str, files: list[bytes]) -> tuple[float, list[str]]:
    replicas, cpus, options = ARMS[name]
    deployment = DeploymentSettings(
        num_cpus=cpus, min_replicas=replicas, max_replicas=replicas, max_ongoing_requests=len(files)
    )
    settings = Settings(
        data_dir=Path(tempfile.mkdtemp(prefix="mynah-batching-bench-")),
        engines=["whisper", "espeak"],
        engine_options={"whisper": options},
        models=ModelSettings(cache_dir=real_model_cache(), offline=True),
        stt=SttSettings(cache=False, default_model=[model]),
        cluster=ClusterSettings(
            address="local",
            local_cpus=2,
            transcription=deployment,
            speech=DeploymentSettings(num_cpus=0, min_replicas=1, max_replicas=1),
        ),
    )
    with Runtime.start(settings) as runtime:
        service = runtime.transcription
        prepared = service.prepare(model, TranscribeOptions(language="en"))

        def one(audio: bytes) -> str:
            return service.transcribe(audio, prepared).transcription.text

        with concurrent.futures.ThreadPoolExecutor(max_workers=len(files)) as pool:
            list(pool.map(one, files[: replicas * 2]))  # warm-up: the model loaded on every replica
            started = time.perf_counter()
            texts = list(pool.map(one, files))
            return time.perf_counter() - started, texts


def _passed(argv: list[str]) -> list[str]:
    """The parent's arguments without --arms (a child runs one --arm)."""
    kept, skipping = [], False
    for arg in argv:
        if arg == "--arms":
            skipping = True
            continue
        if skipping and not arg.startswith("--"):
            continue
        skipping = False
        kept.append(arg)
    return kept


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="whisper:tiny.en")
    parser.add_argument("--requests", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=25.0)
    parser.add_argument("--arms", nargs="*", choices=sorted(ARMS), help="run only these arms")
    parser.add_argument("--arm", choices=sorted(ARMS), help=argparse.SUPPRESS)  # one arm, in a child
    args = parser.parse_args()
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    files = requests(args.requests, args.seconds)
    audio = args.requests * args.seconds
    if args.arm is not None:
        print(json.dumps(run_arm(args.arm, args.model, files)))
        return 0
    results = {}
    for name in args.arms or list(
        ARMS
    ):  # each arm in a process of its own: Serve's handles outlive one Ray session
        child = subprocess.run(
            [sys.executable, __file__, "--arm", name, *_passed(sys.argv[1:])],
            capture_output=True,
            text=True,
            check=True,
        )
        seconds, texts = json.loads(child.stdout.strip().splitlines()[-1])
        results[name] = (seconds, texts)
    print(f"{args.requests} concurrent requests of {args.seconds:g} s, {args.model}, one run per arm")
    for name, (seconds, _) in results.items():
        print(f"{name:20s} {seconds:6.2f} s   {audio / seconds:5.1f} s of audio per s")
    unbatched = [seconds for name, (seconds, _) in results.items() if name.startswith("unbatched")]
    if "unbatched windows 2x1" in results and "batched 2x1" in results:
        same = results["unbatched windows 2x1"][0] / results["batched 2x1"][0]
        print(f"batched 2x1 / unbatched windows 2x1 (batching alone, same cores): {same:.2f} x throughput")
    batched = [seconds for name, (seconds, _) in results.items() if name.startswith("batched")]
    if not unbatched or not batched:
        return 0
    speedup = min(unbatched) / min(batched)
    print(f"best batched throughput / best unbatched: {speedup:.2f}")
    return 0 if speedup > 1.0 else 2


if __name__ == "__main__":
    raise SystemExit(main())
