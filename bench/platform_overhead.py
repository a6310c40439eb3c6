"""What the platform costs a short espeak-ng request, one run, requests interleaved:

    off        the same server with the platform off (MYNAH_PLATFORM__ENABLED=false)
    metering   keys, limits, usage metering, request ids and metrics (quality monitoring off)
    full       the same, and the audio quality measured on every response

    .venv/bin/python bench/platform_overhead.py [--requests 300]

Three real servers in this process (uvicorn on free ports), each over its own SQLite file, with the
speech cache off so every request is synthesised. The key has a requests-per-minute limit (never
reached) and a daily character budget, so the limiter and the meter both work on every request. The
same text is also synthesised by the engine directly (no HTTP), for scale. Medians are reported.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from mynah.config import ModelSettings, PlatformSettings, QualitySettings, Settings, SpeechCacheSettings
from mynah.engines.base import SynthesisOptions
from mynah.platform.keys import KeyStore
from tests.platform.conftest import serve_app

TEXT = "Your call is important to us."


def settings(data: Path, *, platform: bool, quality: bool = True) -> Settings:
    return Settings(
        data_dir=data,
        engines=["espeak"],
        models=ModelSettings(offline=True),
        platform=PlatformSettings(
            enabled=platform,
            speech_cache=SpeechCacheSettings(enabled=False),
            quality=QualitySettings(enabled=quality),
        ),
    )


def timed(client: httpx.Client) -> float:
    body = {"model": "tts-1", "input": TEXT, "voice": "espeak:en-us", "response_format": "pcm"}
    started = time.perf_counter()
    answer = client.post("/v1/audio/speech", json=body)
    elapsed = time.perf_counter() - started
    answer.raise_for_status()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with (
            serve_app(settings(root / "full", platform=True)) as full,
            serve_app(settings(root / "metering", platform=True, quality=False)) as metering,
            serve_app(settings(root / "off", platform=False)) as off,
        ):
            clients = {"off": httpx.Client(base_url=off.url, timeout=60)}
            for name, server in (("metering", metering), ("full", full)):
                key = KeyStore(server.runtime.store).create(
                    "bench", scopes=["speech"], limits={"requests_per_minute": 10**6, "chars_per_day": 10**9}
                )
                clients[name] = httpx.Client(
                    base_url=server.url, headers={"Authorization": f"Bearer {key.token}"}, timeout=60
                )
            times: dict[str, list[float]] = {name: [] for name in clients}
            order = list(clients)
            for _ in range(20):  # warm up
                for client in clients.values():
                    timed(client)
            for i in range(args.requests):
                for name in order[i % 3 :] + order[: i % 3]:  # each arm first, second and third in turn
                    times[name].append(timed(clients[name]))
            for client in clients.values():
                client.close()
            engine = off.runtime.registry.tts_engines["espeak"]
            direct = []
            for _ in range(args.requests // 4):
                started = time.perf_counter()
                for _chunk in engine.synthesize(TEXT, SynthesisOptions(voice="en-us")):
                    pass
                direct.append(time.perf_counter() - started)
            usage = metering.platform.meter.report(
                None, None, group_by="key", prices=metering.runtime.settings.platform.prices
            )
    median = {name: statistics.median(values) for name, values in times.items()}
    base = median["off"]
    print(f"{args.requests} short espeak-ng requests per arm, interleaved ({TEXT!r}, pcm)")
    print(f"  {'platform off':<44}: {base * 1000:7.2f} ms")
    labels = (
        ("metering", "keys, limits, usage, request ids, metrics"),
        ("full", "+ audio quality measurement"),
    )
    for name, label in labels:
        extra = median[name] - base
        print(
            f"  {label:<44}: {median[name] * 1000:7.2f} ms  ({extra * 1000:+.2f} ms, {extra / base * 100:+.1f} %)"
        )
    print(f"  {'engine alone (no HTTP)':<44}: {statistics.median(direct) * 1000:7.2f} ms")
    share = (median["metering"] - base) / base * 100
    print(
        f"TARGET metering adds <= 2 % to the median: {share:+.1f} % -> {'met' if share <= 2.0 else 'NOT met'}"
    )
    print(
        f"  metered on the metering arm: {usage['total']['requests']} requests, {usage['total']['chars']:,} characters"
    )


if __name__ == "__main__":
    main()
