"""Mixed overload: 8 speech and 8 transcription clients at once for 45 s against one real server.

    .venv/bin/python bench/overload.py [--seconds 45] [--clients 8] [--model-cache DIR]

A `mynah` server process (uvicorn, loopback) with real weights: Piper en_US-joe-medium speaks and
faster-whisper tiny.en transcribes (the test tier's model cache, tests/fixtures/real_weights.py).
Default admission settings. The run, in order:

    warm-up      one speech and one transcription (models loaded), then resident memory: the baseline
    alone        20 speech requests one at a time (their p95), 200 /health calls (their p99)
    load         N speech clients (a short reply, /v1/audio/speech, wav, read to the end) and N
                 transcription clients (jfk.flac, 11 s) in loops, plus /health every 50 ms; a client
                 answered 503 waits its Retry-After, as a client should
    after        resident memory sampled for 60 s once the load stops

Reported: the load average when the load starts and ends (the machine's own, not this bench's), speech p50/p95 alone and under load (of the requests served) and how many were refused
with 503 + Retry-After; /health p50/p99/max alone and under load; transcriptions served/refused;
resident memory at the baseline, its peak, and 60 s after the load (the target: within 10 %).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile.server import AUTH, start_server  # noqa: E402

VOICE = "piper:en_US-joe-medium"
TEXT = "Thanks for calling. Your order shipped on Monday and should arrive by Friday."
MB = 1024 * 1024


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    refused: int = 0
    failed: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def speak(http: httpx.Client) -> httpx.Response:
    body = {"model": "tts-1", "voice": VOICE, "input": TEXT, "response_format": "wav"}
    return http.post("/v1/audio/speech", json=body)


def transcribe(http: httpx.Client, audio: bytes) -> httpx.Response:
    files = {"file": ("jfk.flac", audio, "audio/flac")}
    return http.post("/v1/audio/transcriptions", data={"model": "whisper-1"}, files=files)


def client_loop(url: str, stop: threading.Event, tally: Tally, work: str, audio: bytes) -> None:
    with httpx.Client(base_url=url, headers=AUTH, timeout=600) as http:
        while not stop.is_set():
            start = time.monotonic()
            try:
                response = speak(http) if work == "speech" else transcribe(http, audio)
            except httpx.HTTPError as exc:
                tally.failed.append(repr(exc))
                continue
            if response.status_code == 503:
                with tally.lock:
                    tally.refused += 1
                stop.wait(float(response.headers.get("retry-after", "1")))
                continue
            if response.status_code != 200:
                tally.failed.append(f"{response.status_code} {response.text[:200]}")
                continue
            tally.add(time.monotonic() - start)


def health_loop(url: str, stop: threading.Event, tally: Tally) -> None:
    with httpx.Client(base_url=url, timeout=60) as http:
        while not stop.is_set():
            start = time.monotonic()
            http.get("/health").raise_for_status()
            tally.add(time.monotonic() - start)
            stop.wait(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=45.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--model-cache", help="a model cache holding the real weights")
    parser.add_argument(
        "--set", action="append", default=[], metavar="MYNAH_X=VALUE", help="a server setting, for an A/B"
    )
    args = parser.parse_args()
    from tests.fixtures.real_weights import real_model_cache

    cache = Path(args.model_cache) if args.model_cache else real_model_cache()
    audio = next(p for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared") if p.is_dir())
    jfk = (audio / "data" / "speech" / "jfk.flac").read_bytes()
    env = {
        "MYNAH_MODELS__CACHE_DIR": str(cache),
        "MYNAH_MODELS__PRELOAD": json.dumps([VOICE]),
        "MYNAH_ENGINES": json.dumps(["piper", "whisper", "espeak"]),
        "MYNAH_STT__DEFAULT_MODEL": json.dumps(["whisper:tiny.en"]),
        "MYNAH_STT__CACHE": "false",
        "MYNAH_PLATFORM__SPEECH_CACHE__ENABLED": "false",  # every request synthesises: no cache hits
        **dict(setting.split("=", 1) for setting in args.set),
    }
    with tempfile.TemporaryDirectory() as data, start_server(Path(data), **env) as server:
        with server.client(timeout=600) as http:
            assert speak(http).status_code == 200
            warm = transcribe(http, jfk)
            assert warm.status_code == 200, warm.text
            time.sleep(2)
            baseline = server.rss()
            alone = Tally()
            for _ in range(20):
                start = time.monotonic()
                assert speak(http).status_code == 200
                alone.add(time.monotonic() - start)
            health_alone = Tally()
            for _ in range(200):
                start = time.monotonic()
                http.get("/health").raise_for_status()
                health_alone.add(time.monotonic() - start)

        stop = threading.Event()
        speech, stt, health = Tally(), Tally(), Tally()
        threads = [
            *(
                threading.Thread(target=client_loop, args=(server.url, stop, speech, "speech", jfk))
                for _ in range(args.clients)
            ),
            *(
                threading.Thread(target=client_loop, args=(server.url, stop, stt, "stt", jfk))
                for _ in range(args.clients)
            ),
            threading.Thread(target=health_loop, args=(server.url, stop, health)),
        ]
        server.reset_peak()
        load_start = Path("/proc/loadavg").read_text().split()[:3]
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in threads:
            thread.join()
        load_end = Path("/proc/loadavg").read_text().split()[:3]
        peak = server.peak_rss()
        after: list[int] = []
        for _ in range(60):
            time.sleep(1)
            after.append(server.rss())

    p95_alone = pct(alone.latencies, 95)
    report = {
        "speech_alone_p50_s": round(pct(alone.latencies, 50), 3),
        "speech_alone_p95_s": round(p95_alone, 3),
        "speech_load_p50_s": round(pct(speech.latencies, 50), 3),
        "speech_load_p95_s": round(pct(speech.latencies, 95), 3),
        "speech_load_p95_over_alone": round(pct(speech.latencies, 95) / p95_alone, 2),
        "speech_served": len(speech.latencies),
        "speech_refused_503": speech.refused,
        "transcriptions_served": len(stt.latencies),
        "transcription_load_p50_s": round(pct(stt.latencies, 50), 2),
        "transcriptions_refused_503": stt.refused,
        "health_alone_p50_ms": round(1000 * pct(health_alone.latencies, 50), 1),
        "health_alone_p99_ms": round(1000 * pct(health_alone.latencies, 99), 1),
        "health_load_p50_ms": round(1000 * pct(health.latencies, 50), 1),
        "health_load_p99_ms": round(1000 * pct(health.latencies, 99), 1),
        "health_load_max_ms": round(1000 * max(health.latencies), 1),
        "health_calls": len(health.latencies),
        "rss_baseline_mb": round(baseline / MB),
        "rss_peak_mb": round(peak / MB),
        "rss_60s_after_mb": round(after[-1] / MB),
        "rss_60s_after_vs_baseline_pct": round(100 * (after[-1] - baseline) / baseline, 1),
        "failures": speech.failed[:3] + stt.failed[:3],
        "failure_count": len(speech.failed) + len(stt.failed),
        "speech_mean_s": round(statistics.fmean(speech.latencies), 3) if speech.latencies else None,
        "load_average_start_end": [load_start, load_end],
        "settings": args.set,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
