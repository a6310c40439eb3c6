"""Piper's ONNX Runtime threads: the library's own session against mynah's server sessions.

    .venv/bin/python bench/piper_threads.py [--rounds 3]

Piper joe-medium (real weights), one synthesis at a time, the same text each arm, rounds alternating,
medians: `PiperVoice.load` as the library makes it (threads = cores, spinning), and
the voice as mynah's engine loads it (`PiperEngine._load`: its graph cut in two where the flow begins,
`mynah.engines.piper_sessions.session_options`) with one thread and with two (sleeping, ONNX Runtime's
memory arena) — what mynah's narrow and wide sessions are; two threads with the arena emptied
before each synthesis (as the server leaves it once idle), spinning, and without the arena, to
tell what each of mynah's session options costs; and the same options on one session of the whole
graph, sleeping and spinning, to tell what the cut costs (the cut voice's two sessions have a
thread pool each: spinning, each pool's threads spin through the other's runs). The 41-word first
sentence and the 302 words of bench/realtime_tts.py; the minor page faults of the process during each arm's first sentence
(`getrusage`), and how long emptying the arena takes after it.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from piper_voices import piper_voices, speak
from realtime_tts import FIRST, TEXT

from mynah.engines.piper_sessions import Sessions


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model-cache")
    args = parser.parse_args()
    library, server_voice = piper_voices(args.model_cache)
    arms = {
        "library (PiperVoice.load)": library,
        "mynah, 1 thread": server_voice(1),
        "mynah, 2 threads": server_voice(2),
        "mynah, 2 threads, arena emptied": server_voice(2),
        "mynah, 2 threads, spinning": server_voice(2, spinning=True),
        "mynah, 2 threads, no arena": server_voice(2, arena=False),
        "one session (graph whole)": server_voice(2, whole=True),
        "one session, spinning": server_voice(2, whole=True, spinning=True),
    }
    for voice in arms.values():  # warm up
        speak(voice, FIRST)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in arms}
    faults: dict[str, list[int]] = {name: [] for name in arms}
    releases: list[float] = []  # the emptied arm's release after its first sentence (41 words)
    for _ in range(args.rounds):
        for name, voice in arms.items():
            time.sleep(0.2)  # a spinning arm's threads park before the next arm runs
            if "emptied" in name:
                Sessions(voice, voice).release_memory()
            before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            start = time.perf_counter()
            speak(voice, FIRST)
            sentence = time.perf_counter() - start
            faults[name].append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
            if "emptied" in name:
                start = time.perf_counter()
                Sessions(voice, voice).release_memory()
                releases.append(time.perf_counter() - start)
            start = time.perf_counter()
            speak(voice, TEXT)
            times[name].append((sentence, time.perf_counter() - start))
    base = statistics.median(t for _, t in times["library (PiperVoice.load)"])
    for name, rows in times.items():
        sentence = statistics.median(s for s, _ in rows)
        total = statistics.median(t for _, t in rows)
        print(
            f"{name:<32} first sentence {sentence * 1000:6.0f} ms ({statistics.median(faults[name]):7.0f}"
            f" minor page faults)   302 words {total:5.2f} s  x{total / base:.2f}"
        )
    print(
        f"emptying the arena after the 41-word sentence: median {statistics.median(releases) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
