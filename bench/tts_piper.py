"""Piper through mynah against Piper alone: time to first audio and total time, same voice, same text.

    .venv/bin/python bench/tts_piper.py [--rounds 9] [--model-cache DIR]

The voice is the real en_US-joe-medium from the test tier's model cache (tests/fixtures/real_weights.py
builds it; `python3 dev.py test` does once). One run, the conditions alternating round by round
(A, B, C, D, A, B, ...), medians reported:

    piper          PiperVoice.load(the same .onnx) + PiperVoice.synthesize(text, config): the library
                   alone, with the config mynah uses (the voice's own length scale, its default noise
                   scales, phoneme alignments on: mynah's word timings need them)
    service        mynah's SpeechService in this process: prepare (plan, normalise) + stream, the
                   voice's own 22,050 Hz (no resampling), no encoding
    http           a `mynah serve` child process, /v1/audio/speech streamed with httpx, pcm at
                   22,050 Hz: first and last byte as the client receives them
    http 24k       the same at OpenAI's pcm default (24 kHz: every chunk resampled)

"first" is the first audio (piper, service: the first chunk; http: the first body byte), "total" the
last; the ratios are paired, round by round, so a machine getting busier or quieter cancels out. Piper's duration noise is left as the voice sets it, so audio lengths (and times) vary a little
from run to run; the medians over the rounds are what to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VOICE = "piper:en_US-joe-medium"
TEXT = (
    "Thanks for calling. Your order of three items shipped on Monday and should arrive by Friday. "
    "If anything is missing, reply to the confirmation email and we will sort it out. "
    "Is there anything else I can help you with today?"
)

Timing = tuple[float, float]
"""(seconds to the first audio, seconds to the end)"""


def real_cache(given: str | None) -> Path:
    if given:
        return Path(given)
    from tests.fixtures.real_weights import real_model_cache

    return real_model_cache()


def raw_piper(onnx: Path) -> Callable[[], Timing]:
    from piper import PiperVoice, SynthesisConfig

    voice = PiperVoice.load(onnx, config_path=onnx.with_name(onnx.name + ".json"), include_alignments=True)
    config = SynthesisConfig(length_scale=voice.config.length_scale)

    def run() -> Timing:
        started = time.perf_counter()
        first = None
        for _chunk in voice.synthesize(TEXT, config, include_alignments=True):
            first = first or time.perf_counter() - started
        return first or 0.0, time.perf_counter() - started

    return run


def service(cache: Path, data: Path) -> Callable[[], Timing]:
    from mynah.config import ModelSettings, Settings
    from mynah.runtime import Runtime

    runtime = Runtime.start(
        Settings(data_dir=data, engines=["piper"], models=ModelSettings(cache_dir=cache, offline=True))
    )

    def run() -> Timing:
        started = time.perf_counter()
        first = None
        prepared = runtime.speech.prepare(TEXT, voice=VOICE, sample_rate=22050)
        for _chunk in runtime.speech.stream(prepared):
            first = first or time.perf_counter() - started
        return first or 0.0, time.perf_counter() - started

    return run


def http(url: str, rate: int | None) -> Callable[[], Timing]:
    body: dict[str, object] = {"model": "tts-1", "voice": VOICE, "input": TEXT, "response_format": "pcm"}
    if rate is not None:
        body["sample_rate"] = rate
    client = httpx.Client(timeout=120)

    def run() -> Timing:
        started = time.perf_counter()
        first = None
        with client.stream("POST", url + "/v1/audio/speech", json=body) as response:
            response.raise_for_status()
            for data in response.iter_bytes():
                if data and first is None:
                    first = time.perf_counter() - started
        return first or 0.0, time.perf_counter() - started

    return run


def start_server(cache: Path, data: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "MYNAH_DATA_DIR": str(data),
        "MYNAH_MODELS__CACHE_DIR": str(cache),
        "MYNAH_MODELS__OFFLINE": "true",
        "MYNAH_MODELS__PRELOAD": json.dumps([VOICE]),
        "MYNAH_ENGINES": json.dumps(["piper", "espeak", "pocketsphinx"]),
    }
    mynah = Path(sys.executable).with_name("mynah")
    server = subprocess.Popen(
        [str(mynah), "serve", "--port", str(port), "--log-level", "warning"], env=env, cwd=ROOT
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--model-cache", help="a model cache holding piper:en_US-joe-medium")
    parser.add_argument("--settle", type=float, default=0.5, help="seconds idle between conditions")
    args = parser.parse_args()
    from tests.support import free_port

    cache = real_cache(args.model_cache)
    onnx = next((cache / "piper" / "en_US-joe-medium").glob("*.onnx"))
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = start_server(cache, Path(tmp) / "server", port)
        try:
            url = f"http://127.0.0.1:{port}"
            conditions = {
                "piper": raw_piper(onnx),
                "service": service(cache, Path(tmp) / "service"),
                "http": http(url, 22050),
                "http 24k": http(url, None),
            }
            for run in conditions.values():  # warm up: models loaded, first-call costs paid
                run()
            results: dict[str, list[Timing]] = {name: [] for name in conditions}
            for _ in range(args.rounds):
                for name, run in conditions.items():
                    time.sleep(args.settle)  # let the last condition's ONNX Runtime threads stop spinning
                    results[name].append(run())
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"{args.rounds} rounds, medians; {len(TEXT)} characters, 4 sentences")
    print("'vs piper' is the median over rounds of each round's ratio to that round's piper run")
    print(f"{'':<10} {'first audio':>12} {'vs piper':>9} {'total':>9} {'vs piper':>9}")
    base = results["piper"]
    for name, runs in results.items():
        first = statistics.median(r[0] for r in runs)
        total = statistics.median(r[1] for r in runs)
        first_ratio = statistics.median(r[0] / b[0] for r, b in zip(runs, base, strict=True)) - 1
        total_ratio = statistics.median(r[1] / b[1] for r, b in zip(runs, base, strict=True)) - 1
        print(
            f"{name:<10} {first * 1000:>10.0f}ms {first_ratio:>+8.1%} {total * 1000:>7.0f}ms {total_ratio:>+8.1%}"
        )


if __name__ == "__main__":
    main()
