"""Benchmark: what mynah's neural engine plumbing costs, measured on the tiny test models.

The tiny models (tests/fixtures: a Piper-shaped and a Kokoro-shaped ONNX graph, a 64-wide Whisper
with the real vocabulary) have the real interfaces but almost no weights, so the numbers here are the
overhead of the libraries and of mynah around them (loading through the model manager, phonemizing,
feature extraction, beam search over the full 51,865-token vocabulary), not the cost of real voices:
the README lists those, from the model files and parameter counts.

    python bench/neural_costs.py [--repeat 5]

For each engine: first-use load time (model manager lease: manifest check, library load, session
creation), the real-time factor of synthesis or transcription (processing seconds per second of
audio; best of --repeat), and the growth of the process's resident memory across the first load.
No network; everything is built in a temporary directory.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mynah.config import ModelSettings
from mynah.engines.base import EngineConfig, SynthesisOptions, TranscriptionOptions
from mynah.engines.kokoro import KokoroEngine
from mynah.engines.piper import PiperEngine
from mynah.engines.whisper import WhisperEngine
from mynah.models import ModelManager
from tests.fixtures.neural import KOKORO, PIPER, WHISPER, install_tiny

TEXT = "The quick brown fox jumps over the lazy dog. Then it runs into the forest and is gone."


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * 4096 / 2**20


def best(repeat: int, run: Callable[[], float]) -> tuple[float, float]:
    """(best seconds, audio seconds) over `repeat` runs of `run`, which returns audio seconds."""
    times, audio = [], 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        audio = run()
        times.append(time.perf_counter() - start)
    return min(times), audio


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        manager = ModelManager(ModelSettings(offline=True, idle_unload_seconds=0), cache_dir=root / "models")
        install_tiny(manager)
        config = EngineConfig(cache_dir=root, models=manager)
        rows = []

        def tts(engine: PiperEngine | KokoroEngine, voice: str) -> float:
            chunks = list(engine.synthesize(TEXT, SynthesisOptions(voice=voice)))
            return sum(c.duration for c in chunks)

        audio = (np.random.default_rng(0).standard_normal(16000 * 30) * 0.1).astype(np.float32)

        def stt(engine: WhisperEngine) -> float:
            engine.transcribe(audio, TranscriptionOptions(model=WHISPER.partition(":")[2]))
            return len(audio) / 16000

        cases: list[tuple[str, Callable[[], float]]] = []
        piper = PiperEngine(config)
        kokoro = KokoroEngine(config)
        whisper = WhisperEngine(config)
        cases.append((PIPER, lambda: tts(piper, PIPER.partition(":")[2])))
        cases.append((KOKORO + " (af_bella)", lambda: tts(kokoro, "af_bella")))
        cases.append((WHISPER + " (30 s, beam 5, words)", lambda: stt(whisper)))
        for name, run in cases:
            before = rss_mb()
            start = time.perf_counter()
            run()  # first use: loads through the model manager
            first = time.perf_counter() - start
            grown = rss_mb() - before
            seconds, audio_seconds = best(args.repeat, run)
            rows.append((name, first - seconds, seconds / audio_seconds, grown))
        print(f"{'model':44} {'load (s)':>9} {'RTF':>8} {'RSS +MB':>8}")
        for name, load, rtf, grown in rows:
            print(f"{name:44} {load:9.2f} {rtf:8.3f} {grown:8.0f}")


if __name__ == "__main__":
    main()
