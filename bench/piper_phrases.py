"""Piper's time against the length of what it speaks: what first unit can start a stream in time.

    .venv/bin/python bench/piper_phrases.py [--rounds 5]

Piper joe-medium (real weights), one synthesis at a time, the first 3, 5, 8 and 13 words of the
41-word first sentence of bench/realtime_tts.py and the whole sentence, rounds alternating, medians.
Arms: the library as `PiperVoice.load` makes it (threads = cores, spinning), and mynah's wide
session (`mynah.engines.piper_sessions.session_options`, all the cores' threads), sleeping as it is and
spinning. Each arm's time is split into espeak's phonemes (`PiperVoice.phonemize`) and the rest
(ids, ONNX Runtime, the library's float conversion), so it says which part a shorter unit saves.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from piper_voices import piper_voices, speak
from realtime_tts import FIRST

from mynah.engines.cores import usable_cores

WORDS = (3, 5, 8, 13)


def phrases() -> dict[str, str]:
    words = FIRST.split()
    found = {f"{n} words": " ".join(words[:n]) for n in WORDS}
    found[f"{len(words)} words (whole)"] = FIRST
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--model-cache")
    args = parser.parse_args()
    library, server_voice = piper_voices(args.model_cache)
    arms = {
        "library": library,
        "mynah wide (sleeping)": server_voice(usable_cores()),
        "mynah wide, spinning": server_voice(usable_cores(), spinning=True),
    }
    texts = phrases()
    for voice in arms.values():
        speak(voice, FIRST)
    total: dict[tuple[str, str], list[float]] = {}
    espeak: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.rounds):
        for label, text in texts.items():
            for name, voice in arms.items():
                time.sleep(0.2)  # a spinning arm's threads park before the next arm runs
                start = time.perf_counter()
                getattr(voice, "voice", voice).phonemize(text)
                middle = time.perf_counter()
                speak(voice, text)
                end = time.perf_counter()
                espeak.setdefault((label, name), []).append(middle - start)
                total.setdefault((label, name), []).append(end - middle)
    print(f"{args.rounds} rounds, {usable_cores()} cores; ms, median (of which espeak's phonemes)")
    print("| phrase | " + " | ".join(arms) + " |")
    print("|---|" + "---|" * len(arms))
    for label in texts:
        cells = [
            f"{statistics.median(total[label, n]) * 1000:.0f} ({statistics.median(espeak[label, n]) * 1000:.1f})"
            for n in arms
        ]
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
