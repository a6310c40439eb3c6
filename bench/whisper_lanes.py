"""Whisper batch decoding on two cores: how many lanes, how many threads, and whether a batch should
get the text of the batches before it as its prompt. The figures behind the batched path's defaults.

    .venv/bin/python bench/whisper_lanes.py                 # lanes x threads x batch size
    .venv/bin/python bench/whisper_lanes.py --prompt        # earlier text as the prompt, A/B
    .venv/bin/python bench/whisper_lanes.py --replica       # resident memory of a second replica

The windows are the ones mynah plans for the 3.6-minute file of bench/stt_batched.py (WebRTC VAD,
the window planner packing up to 30 s at pauses), decoded directly with
`mynah.engines.whisper_batch.decode_windows` (real whisper:base, int8, beam 5, word timestamps,
language en): no server, no queue, so only the engine's work is timed. Lanes are threads taking
batches of consecutive windows from one queue, on one faster-whisper model with `cpu_threads`
threads per call and `num_workers` calls at once. Wall and process CPU time per arm; read wall time
only on an idle machine.
"""

from __future__ import annotations

import argparse
import queue
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import jiwer
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from corpus import normalise  # noqa: E402
from stt_batched import build_file  # noqa: E402

from mynah.audio.decode import decode_audio  # noqa: E402
from mynah.engines.base import TranscriptionOptions  # noqa: E402
from mynah.engines.whisper_batch import decode_windows  # noqa: E402
from mynah.stt.chunking import WindowPlanner  # noqa: E402
from mynah.stt.vad import WebRtcVad  # noqa: E402
from tests.fixtures.real_weights import real_model_cache  # noqa: E402

RATE = 16000
OPTIONS = TranscriptionOptions(model="whisper:base", language="en", word_timestamps=True)


def windows_of(path: Path) -> list[np.ndarray]:
    audio = decode_audio(str(path), RATE)
    stream = WebRtcVad().stream(RATE)
    stream.push(audio)
    stream.finish()
    planner = WindowPlanner(max_window=30.0, overlap=2.0, min_gap_to_cut=0.3, max_silence=3.0, pack=True)
    planned = planner.finish(stream.regions(), len(audio) / RATE)
    return [audio[round(w.start * RATE) : round(w.end * RATE)] for w in planned]


def model(threads: int, workers: int) -> Any:
    from faster_whisper import WhisperModel

    path = real_model_cache() / "whisper" / "base"
    return WhisperModel(
        str(path), device="cpu", compute_type="int8", cpu_threads=threads, num_workers=workers
    )


def lanes(windows: list[np.ndarray], rounds: int) -> None:
    arms = [(2, 1, 1, 3), (2, 2, 2, 2), (1, 2, 2, 1), (1, 2, 2, 2), (1, 2, 2, 3)]
    models: dict[tuple[int, int], Any] = {}
    print(f"{len(windows)} windows: " + ", ".join(f"{len(w) / RATE:.1f}" for w in windows) + " s")
    for _ in range(rounds):
        for threads, workers, count, size in arms:
            if (threads, workers) not in models:
                models[threads, workers] = model(threads, workers)
                decode_windows(
                    models[threads, workers], [(windows[0][: RATE * 5], OPTIONS)], beam_size=5, language="en"
                )
            whisper = models[threads, workers]
            work: queue.Queue[list[int]] = queue.Queue()
            for start in range(0, len(windows), size):
                work.put(list(range(start, min(len(windows), start + size))))

            def lane(work: queue.Queue[list[int]] = work, whisper: Any = whisper) -> None:
                while True:
                    try:
                        batch = work.get_nowait()
                    except queue.Empty:
                        return
                    decode_windows(
                        whisper, [(windows[i], OPTIONS) for i in batch], beam_size=5, language="en"
                    )

            wall, cpu = time.perf_counter(), time.process_time()
            threads_ = [threading.Thread(target=lane) for _ in range(count)]
            for t in threads_:
                t.start()
            for t in threads_:
                t.join()
            print(
                f"{count} lane(s) of {threads} thread(s), batches of {size}: wall "
                f"{time.perf_counter() - wall:.1f} s, cpu {time.process_time() - cpu:.1f} s",
                flush=True,
            )


def prompt(windows: list[np.ndarray], reference: str) -> None:
    whisper = model(2, 1)
    for mode in ("none", "earlier text", "none", "earlier text"):
        texts: list[str] = []
        cpu = time.process_time()
        for start in range(0, len(windows), 3):
            earlier = " ".join(texts)[-600:] if mode != "none" and texts else None
            options = replace(OPTIONS, prompt=earlier)
            found = decode_windows(
                whisper, [(w, options) for w in windows[start : start + 3]], beam_size=5, language="en"
            )
            texts += [f.text for f in found]
        wer = jiwer.wer(reference, normalise(" ".join(texts)))
        print(f"prompt {mode:<12}: cpu {time.process_time() - cpu:.1f} s, WER {wer:.4f}", flush=True)


def replica() -> None:
    def rss() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    before = rss()
    first = model(2, 2)
    loaded = rss()
    second = model(1, 2)
    print(
        f"resident: {before:.0f} MB, one replica {loaded:.0f} MB (+{loaded - before:.0f}), a second {rss():.0f} MB (+{rss() - loaded:.0f})"
    )
    del first, second


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--prompt", action="store_true")
    parser.add_argument("--replica", action="store_true")
    args = parser.parse_args()
    if args.replica:
        replica()
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.flac"
        reference = build_file(3.5 * 60, path)
        windows = windows_of(path)
    if args.prompt:
        prompt(windows, reference)
    else:
        lanes(windows, args.rounds)


if __name__ == "__main__":
    main()
