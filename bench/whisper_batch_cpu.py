"""Why batching Whisper windows across requests does not raise throughput on this CPU: the CPU work
per window, decoded one at a time against in batches, on one CTranslate2 thread.

    python bench/whisper_batch_cpu.py                          # whisper:tiny.en, 8 windows of 25 s
    python bench/whisper_batch_cpu.py --model base --batches 1 2 4 8 --no-words

Batching can only raise a replica's throughput if a batch of N windows costs less CPU than N
single windows: the cores are the limit, and the work is what fills them. So this measures process
CPU time (`time.process_time`), which a shared, loaded machine does not inflate the way it does wall
time, for the engine's own batch decode (mynah.engines.whisper_batch.decode_windows: one encoder
pass and one beam search over the batch) at each batch size, and faster-whisper's sequential
`transcribe` for the same windows. The windows are the recordings of ../shared/data laid end to end
and cut at --seconds (unequal speech: a batch's beam search runs until its longest window is done).
One thread, so a batch cannot look faster by using more cores than the single window it is
compared with. Wall time is printed too; read it only on an idle machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mynah.audio.decode import decode_audio  # noqa: E402
from mynah.engines.base import TranscriptionOptions  # noqa: E402
from mynah.engines.whisper_batch import decode_windows  # noqa: E402
from tests.fixtures.real_weights import real_model_cache  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
if not DATA.is_dir():
    DATA = Path("/work/shared/data")
RATE = 16000


def windows(count: int, seconds: float) -> list[np.ndarray]:
    clips = sorted((DATA / "speech" / "ljspeech").glob("*.flac")) + sorted((DATA / "speech").glob("*.wav"))
    audio = np.concatenate([decode_audio(p.read_bytes(), RATE) for p in clips])
    step = int(seconds * RATE)
    while len(audio) < step * count:
        audio = np.concatenate([audio, audio])
    return [audio[i * step : (i + 1) * step].astype(np.float32) for i in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="tiny.en", help="a Whisper model of the real-weights cache")
    parser.add_argument("--windows", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=25.0)
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--no-words", action="store_true", help="without word timestamps")
    args = parser.parse_args()
    from faster_whisper import WhisperModel

    path = real_model_cache() / "whisper" / args.model
    model = WhisperModel(str(path), device="cpu", compute_type="int8", cpu_threads=1, num_workers=1)
    options = TranscriptionOptions(model=args.model, language="en", word_timestamps=not args.no_words)
    wins = windows(args.windows, args.seconds)
    decode_windows(model, [(wins[0], options)], beam_size=5, language="en")  # warm-up
    print(
        f"whisper:{args.model}, {args.windows} windows of {args.seconds:g} s, one CTranslate2 thread, "
        f"word timestamps {'off' if args.no_words else 'on'}"
    )
    cpu: dict[int, float] = {}
    for size in args.batches:
        wall, started = time.perf_counter(), time.process_time()
        for i in range(0, len(wins), size):
            decode_windows(model, [(w, options) for w in wins[i : i + size]], beam_size=5, language="en")
        cpu[size] = time.process_time() - started
        print(
            f"batch {size:2d}: {cpu[size] / len(wins):6.2f} CPU s per window "
            f"({time.perf_counter() - wall:7.1f} s wall)",
            flush=True,
        )
    wall, started = time.perf_counter(), time.process_time()
    for window in wins:
        found, _ = model.transcribe(window, language="en", beam_size=5, word_timestamps=not args.no_words)
        list(found)
    sequential = time.process_time() - started
    print(
        f"faster-whisper sequential: {sequential / len(wins):6.2f} CPU s per window "
        f"({time.perf_counter() - wall:7.1f} s wall)"
    )
    single = cpu[min(cpu)]
    best = min(cpu, key=lambda size: cpu[size])
    print(
        f"per-core throughput of the best batch ({best}) over batch 1: {single / cpu[best]:.2f} x; "
        f"over faster-whisper sequential: {sequential / cpu[best]:.2f} x "
        f"({'batching can raise throughput on these cores' if single / cpu[best] > 1.05 else 'batching cannot raise throughput on these cores'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
