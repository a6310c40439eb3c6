"""Long audio through the whole transcription pipeline: accuracy at the seams and peak memory.

    .venv/bin/python bench/stt_long.py                 # 3+ minute concatenation: WER vs per-file
    .venv/bin/python bench/stt_long.py --memory 60     # peak RSS transcribing a 60-minute file
    .venv/bin/python bench/stt_long.py --memory 10 --diarize   # ... and diarizing it

The long file is the real recordings of ../shared/data/speech (resampled to 16 kHz), one after another
with 1.5 s of silence between them, repeated until it is long enough, written as FLAC. It goes through
`TranscriptionService.transcribe` (streamed decode, VAD, windows, merge) exactly as an upload would.
The memory run happens in a fresh process and reports that process's peak resident set size.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jiwer
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import normalise, recordings

from mynah.audio.decode import decode_audio
from mynah.audio.encode import encode_audio
from mynah.audio.formats import AudioFormat
from mynah.config import Settings
from mynah.runtime import Runtime
from mynah.stt.service import TranscribeOptions

RATE = 16000
GAP = np.zeros(int(1.5 * RATE), np.float32)


def build(minutes: float, path: Path) -> tuple[str, float]:
    corpus = recordings()
    clips = [(decode_audio(r.path, RATE), normalise(r.reference)) for r in corpus]
    pieces: list[np.ndarray] = []
    refs: list[str] = []
    seconds = 0.0
    while seconds < minutes * 60:
        for audio, ref in clips:
            pieces += [audio, GAP]
            refs.append(ref)
            seconds += (len(audio) + len(GAP)) / RATE
            if seconds >= minutes * 60:
                break
    path.write_bytes(encode_audio(np.concatenate(pieces), RATE, AudioFormat.flac))
    return " ".join(refs), seconds


def runtime(tmp: Path) -> Runtime:
    settings = Settings(data_dir=tmp)
    settings.stt.cache = False
    return Runtime.start(settings)


def accuracy(minutes: float) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        rt = runtime(tmp)
        service = rt.transcription
        prepared = service.prepare("pocketsphinx:en-us", TranscribeOptions())
        per_refs, per_hyps = [], []
        for rec in recordings():
            result = service.transcribe(rec.path, prepared)
            per_refs.append(normalise(rec.reference))
            per_hyps.append(normalise(result.transcription.text))
        per_file = jiwer.wer(per_refs, per_hyps)
        long_path = tmp / "long.flac"
        reference, seconds = build(minutes, long_path)
        started = time.perf_counter()
        result = service.transcribe(long_path, prepared)
        elapsed = time.perf_counter() - started
        words = result.transcription.words
        starts = [w.start for w in words]
        long_wer = jiwer.wer(reference, normalise(result.transcription.text))
        print(f"per-file corpus WER            {per_file:.3f}")
        print(
            f"{seconds / 60:.1f}-minute concatenation WER {long_wer:.3f}  ({len(words)} words, {elapsed:.1f} s)"
        )
        print(f"timestamps in order            {starts == sorted(starts)}")
        print(f"all inside the file            {all(0 <= w.start <= w.end <= seconds + 0.01 for w in words)}")


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _rss_mb() -> float:
    return _status_mb("VmRSS")


def memory_child(path: str, diarize: bool) -> None:
    samples: list[tuple[float, float]] = []

    def progress(done: float, total: float) -> None:
        if not samples or done - samples[-1][0] >= 300:
            samples.append((done, _rss_mb()))

    with tempfile.TemporaryDirectory() as tmp:
        rt = runtime(Path(tmp))
        service = rt.transcription
        prepared = service.prepare("pocketsphinx:en-us", TranscribeOptions(diarize=diarize))
        started = time.perf_counter()
        result = service.transcribe(Path(path), prepared, progress=progress)
        elapsed = time.perf_counter() - started
    print("rss by audio minute:", " ".join(f"{d / 60:.0f}:{m:.0f}" for d, m in samples))
    # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss across fork+exec, so a child would
    # report the parent's peak (the parent builds the hour-long file and peaks near 1 GB doing it).
    peak_mb = _status_mb("VmHWM")
    print(f"words {len(result.transcription.words)}  seconds {elapsed:.0f}  peak_rss_mb {peak_mb:.0f}")


def memory(minutes: float, diarize: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.flac"
        _, seconds = build(minutes, path)
        print(f"file: {seconds / 60:.1f} minutes, {path.stat().st_size / 1e6:.0f} MB FLAC")
        out = subprocess.run(
            [sys.executable, __file__, "--memory-child", str(path), *(["--diarize"] if diarize else [])],
            capture_output=True,
            text=True,
            check=True,
        )
        print(out.stdout.strip())


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=3.5)
    parser.add_argument("--memory", type=float, metavar="MINUTES")
    parser.add_argument("--memory-child", metavar="PATH")
    parser.add_argument("--diarize", action="store_true", help="with --memory: diarize too")
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.diarize)
    elif args.memory:
        memory(args.memory, args.diarize)
    else:
        accuracy(args.minutes)
