"""What one live final costs: faster-whisper alone (tiny.en, int8, two threads, as the live
transcription path runs it) on one LJSpeech sentence, whole with word times (what a final decodes),
whole without them, greedy, and only its last 3 s (what decoding only the uncommitted tail would
cost).

    .venv/bin/python bench/live_final_cost.py [--rounds 2] [--file LJ001-0003.flac]

Real weights from the test tier's model cache (tests/fixtures/real_weights.py); medians of the rounds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures.real_weights import real_model_cache  # noqa: E402

RATE = 16000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--file", default="LJ001-0003.flac")
    args = parser.parse_args()
    from faster_whisper import WhisperModel
    from faster_whisper.audio import decode_audio

    model = WhisperModel(
        str(real_model_cache() / "whisper" / "tiny.en"), device="cpu", compute_type="int8", cpu_threads=2
    )
    audio = decode_audio(str(ROOT.parent / "shared" / "data" / "speech" / "ljspeech" / args.file), RATE)
    arms = {
        "whole, beam 5, word times (a final)": (audio, 5, True),
        "whole, beam 5, no word times": (audio, 5, False),
        "whole, greedy, word times": (audio, 1, True),
        "last 3 s, beam 5, word times": (audio[-3 * RATE :], 5, True),
    }
    times: dict[str, list[float]] = {name: [] for name in arms}
    for _ in range(args.rounds):
        for name, (samples, beam, words) in arms.items():
            started = time.perf_counter()
            segments, _ = model.transcribe(
                samples,
                beam_size=beam,
                word_timestamps=words,
                language="en",
                condition_on_previous_text=False,
            )
            list(segments)
            times[name].append(time.perf_counter() - started)
    print(f"{args.file}: {len(audio) / RATE:.1f} s of speech, {args.rounds} rounds")
    for name, seconds in times.items():
        print(f"  {name:38s} {statistics.median(seconds):.2f} s")


if __name__ == "__main__":
    main()
