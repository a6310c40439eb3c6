"""The speech cache on a 300-word prompt: the miss that fills it against the hits after it, over HTTP.

    .venv/bin/python bench/speech_cache.py [--hits 20] [--voice espeak:en-us]

A real server in this process (uvicorn on a free port). The first request synthesises the prompt
(espeak-ng, mp3, streamed) and fills the cache; each later identical request is served from it. The
engine's own time for the same text (no HTTP, no encoding) is shown for scale. Times are to the last
byte, medians of the hits.
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
from mynah.config import ModelSettings, Settings
from mynah.engines.base import SynthesisOptions
from tests.platform.conftest import serve_app

SENTENCES = (
    "Thank you for calling the city library. Our opening hours are nine to six on weekdays and ten to "
    "four on Saturdays. To renew a loan, press one. To reserve a room, press two. "
)
PROMPT = " ".join([SENTENCES] * 9)


def timed(client: httpx.Client, voice: str) -> tuple[float, str, int]:
    body = {"model": "tts-1", "input": PROMPT, "voice": voice, "response_format": "mp3"}
    started = time.perf_counter()
    answer = client.post("/v1/audio/speech", json=body)
    elapsed = time.perf_counter() - started
    answer.raise_for_status()
    return elapsed, answer.headers.get("x-mynah-cache", "-"), len(answer.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hits", type=int, default=20)
    parser.add_argument("--voice", default="espeak:en-us")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), engines=["espeak"], models=ModelSettings(offline=True))
        with serve_app(settings) as server, httpx.Client(base_url=server.url, timeout=300) as client:
            miss, state, size = timed(client, args.voice)
            assert state == "miss", state
            hits = [timed(client, args.voice) for _ in range(args.hits)]
            assert {h[1] for h in hits} == {"hit"}
            engine = server.runtime.registry.tts_engines[args.voice.split(":")[0]]
            started = time.perf_counter()
            for _chunk in engine.synthesize(PROMPT, SynthesisOptions(voice=args.voice.split(":", 1)[1])):
                pass
            direct = time.perf_counter() - started
    hit = statistics.median(h[0] for h in hits)
    print(
        f"300-word prompt ({len(PROMPT.split())} words, {len(PROMPT)} characters), {args.voice}, mp3 ({size:,} bytes)"
    )
    print(f"  miss (synthesise, encode, fill the cache): {miss * 1000:8.1f} ms")
    print(f"  hit  (median of {args.hits})                  : {hit * 1000:8.1f} ms")
    print(f"  engine alone on the same text            : {direct * 1000:8.1f} ms")
    print(f"  hit is {miss / hit:,.0f}x faster than the miss")


if __name__ == "__main__":
    main()
