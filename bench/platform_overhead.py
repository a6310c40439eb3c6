"""What the platform costs a short espeak-ng request: keys, limits, usage metering and metrics on
(A) against the same server with the platform off (B), one run, requests interleaved A/B.

    .venv/bin/python bench/platform_overhead.py [--requests 400]

Two real servers in this process (uvicorn on free ports), each over its own SQLite file, with the
speech cache off on A so both synthesise every request. A's key has a requests-per-minute limit (never
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
from mynah.config import ModelSettings, PlatformSettings, Settings, SpeechCacheSettings
from mynah.engines.base import SynthesisOptions
from mynah.platform.keys import KeyStore
from tests.platform.conftest import serve_app

TEXT = "Your call is important to us."


def settings(data: Path, *, platform: bool) -> Settings:
    return Settings(
        data_dir=data,
        engines=["espeak"],
        models=ModelSettings(offline=True),
        platform=PlatformSettings(enabled=platform, speech_cache=SpeechCacheSettings(enabled=False)),
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
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with (
            serve_app(settings(root / "a", platform=True)) as on,
            serve_app(settings(root / "b", platform=False)) as off,
        ):
            key = KeyStore(on.runtime.store).create(
                "bench", scopes=["speech"], limits={"requests_per_minute": 1_000_000, "chars_per_day": 10**9}
            )
            with (
                httpx.Client(base_url=on.url, headers={"Authorization": f"Bearer {key.token}"}) as a,
                httpx.Client(base_url=off.url) as b,
            ):
                for _ in range(20):  # warm up both
                    timed(a), timed(b)
                with_platform: list[float] = []
                without: list[float] = []
                for i in range(args.requests):
                    pair = [(a, with_platform), (b, without)]
                    for client, out in pair if i % 2 else reversed(pair):
                        out.append(timed(client))
            engine = off.runtime.registry.tts_engines["espeak"]
            direct = []
            for _ in range(args.requests // 4):
                started = time.perf_counter()
                for _chunk in engine.synthesize(TEXT, SynthesisOptions(voice="en-us")):
                    pass
                direct.append(time.perf_counter() - started)
            usage = on.platform.meter.report(
                None, None, group_by="key", prices=on.runtime.settings.platform.prices
            )
    a_med, b_med = statistics.median(with_platform), statistics.median(without)
    print(f"{args.requests} short espeak-ng requests each, interleaved ({TEXT!r}, pcm)")
    print(f"  platform on  (keys, limits, metering, metrics): median {a_med * 1000:7.2f} ms")
    print(f"  platform off                                  : median {b_med * 1000:7.2f} ms")
    print(
        f"  engine alone (no HTTP)                        : median {statistics.median(direct) * 1000:7.2f} ms"
    )
    print(f"  overhead: {(a_med - b_med) * 1000:+.2f} ms = {(a_med / b_med - 1) * 100:+.1f} % of the median")
    print(f"  metered: {usage['total']['requests']} requests, {usage['total']['chars']} characters")


if __name__ == "__main__":
    main()
