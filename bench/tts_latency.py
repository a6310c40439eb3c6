"""Time to first audio byte and total time for streamed speech over HTTP, per embedded voice.

    .venv/bin/python bench/tts_latency.py

Starts a real server in this process, then for each voice sends the same 3-sentence paragraph to
/v1/audio/speech (pcm and mp3, streamed) five times and reports the median time to the first audio byte
and to the last byte, with the audio's duration for scale.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from mynah.config import Settings
from tests.support import start_live_server

TEXT = (
    "Thanks for calling. Your order of three items shipped on March 3rd and should arrive by Friday. "
    "Is there anything else I can help you with today?"
)


def measure(url: str, voice: str, fmt: str) -> tuple[float, float, int]:
    body = {"model": "tts-1", "voice": voice, "input": TEXT, "response_format": fmt, "sample_rate": 24000}
    started = time.perf_counter()
    first = None
    size = 0
    with httpx.stream("POST", url + "/v1/audio/speech", json=body, timeout=60) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            if chunk and first is None:
                first = time.perf_counter() - started
            size += len(chunk)
    return first or 0.0, time.perf_counter() - started, size


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, start_live_server(Settings(data_dir=Path(tmp))) as server:
        voices = [
            v.id
            for v in server.runtime.registry.all_voices()
            if v.id in ("espeak:en-us", "flite:slt", "flite:kal")
        ]
        print(f"{'voice':<14} {'format':<6} {'first byte':>10} {'total':>7} {'audio':>7}")
        for voice in voices:
            for fmt in ("pcm", "mp3"):
                measure(server.url, voice, fmt)  # warm up
                runs = [measure(server.url, voice, fmt) for _ in range(5)]
                first = statistics.median(r[0] for r in runs)
                total = statistics.median(r[1] for r in runs)
                audio = runs[0][2] / 2 / 24000 if fmt == "pcm" else float("nan")
                print(f"{voice:<14} {fmt:<6} {first * 1000:>8.0f}ms {total * 1000:>5.0f}ms {audio:>6.1f}s")


if __name__ == "__main__":
    main()
