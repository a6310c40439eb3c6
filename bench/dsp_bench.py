"""Speed of the DSP that gives every engine SSML prosody: WSOLA time-stretch, pitch shift, loudness.

    .venv/bin/python bench/dsp_bench.py

Runs each operation on ../shared/data/speech/jfk.flac (11 s) at 22.05 kHz, best of 5, and prints
seconds of audio processed per second of CPU (x real time).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import DATA

from mynah.audio.decode import decode_audio
from mynah.audio.loudness import loudness_normalize
from mynah.audio.prosody import pitch_shift, time_stretch

RATE = 22050


def best(fn: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        fn()  # type: ignore[operator]
        times.append(time.process_time() - started)
    return min(times)


def main() -> None:
    audio = decode_audio(DATA / "speech" / "jfk.flac", RATE)
    seconds = len(audio) / RATE
    cases = {
        "time_stretch x0.5 (slower)": lambda: time_stretch(audio, RATE, 0.5),
        "time_stretch x2.0 (faster)": lambda: time_stretch(audio, RATE, 2.0),
        "pitch_shift +2 semitones": lambda: pitch_shift(audio, RATE, 2 ** (2 / 12)),
        "loudness_normalize -16 LUFS": lambda: loudness_normalize(audio, RATE, -16.0),
    }
    print(f"{'operation':<30} {'x real time':>12}")
    for name, fn in cases.items():
        print(f"{name:<30} {seconds / best(fn):>12.0f}")


if __name__ == "__main__":
    main()
