"""Batched Whisper through mynah against faster-whisper's sequential `transcribe`: one run, A/B.

    .venv/bin/python bench/stt_batched.py                  # 3.5-minute file, whisper:base, 3 rounds
    .venv/bin/python bench/stt_batched.py --model tiny.en
    .venv/bin/python bench/stt_batched.py --offsets 0,3,7,11   # four files (corpus rotations), WER pooled
    .venv/bin/python bench/stt_batched.py --threshold      # where batching starts to pay
    .venv/bin/python bench/stt_batched.py --concurrent     # four 1-minute files: together vs in a row
    .venv/bin/python bench/stt_batched.py --beside 30      # a 10 s file while a 30-minute one runs
    .venv/bin/python bench/stt_batched.py --memory 60      # peak RSS, 60-minute file, fresh process
    .venv/bin/python bench/stt_batched.py --short          # clips under 15 s: default vs batched=false

Files are the read speech of ../shared/data (bench/stt_long.py `build`: the recordings one after
another with 1.5 s gaps, repeated to length; `--offset` rotates the order so files differ). The
real weights come from tests/fixtures/real_weights.py. Arms, alternated round by round:

    fw-seq      WhisperModel(dir, int8, cpu_threads=cores).transcribe(path, beam_size=5,
                word_timestamps=True): the library's sequential decode, the yardstick
    fw-batched  BatchedInferencePipeline(model).transcribe(path, batch_size=8, beam_size=5,
                word_timestamps=True): the library's own batched pipeline, for reference
    mynah-seq   TranscriptionService with engine option batched=false (window by window, as before)
    mynah       TranscriptionService with its defaults (batched above the threshold)
    mynah-nosq  the same with squeeze null (pauses kept whole: the default, explicitly)
    mynah-sq    the same with squeeze 0.5 (pauses shortened to 0.5 s): the A/B for squeezing
    mynah-1lane     num_workers=1: one batch at a time on every core (the default until 2026-12-02,
                    when a lone request ran one batch at a time in one lane of all the cores)
    mynah-2threads  batch_threads = every core in each of the two lanes: the A/B for batch_threads
    mynah-bN        batch_size=N (1-4): the A/B for batch_size

WER is jiwer's after bench/corpus.py's normaliser. Word timestamps are compared with fw-seq's for
the same words, and where an edge differs by more than 0.3 s the audio says which of the two it
backs (bench/word_times.py: is the stretch between them speech or silence).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jiwer

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from corpus import normalise, recordings  # noqa: E402
from stt_long import build  # noqa: E402
from word_times import agreement, disputes  # noqa: E402

from mynah.config import ModelSettings, Settings  # noqa: E402
from mynah.runtime import Runtime  # noqa: E402
from mynah.stt.service import TranscribeOptions, TranscriptionService  # noqa: E402
from tests.fixtures.real_weights import real_model_cache  # noqa: E402

Words = list[tuple[str, float, float]]


def build_file(seconds: float, path: Path, offset: int = 0) -> str:
    """A file of at least `seconds` from the corpus, starting `offset` recordings in."""
    if offset:
        import stt_long

        corpus = recordings()
        rotated = corpus[offset % len(corpus) :] + corpus[: offset % len(corpus)]
        original = stt_long.recordings
        stt_long.recordings = lambda: rotated  # type: ignore[assignment]
        try:
            reference, _ = build(seconds / 60, path)
        finally:
            stt_long.recordings = original  # type: ignore[assignment]
        return reference
    reference, _ = build(seconds / 60, path)
    return reference


def service(cache: Path, tmp: Path, **whisper: str | None) -> TranscriptionService:
    settings = Settings(
        data_dir=tmp,
        models=ModelSettings(cache_dir=cache, offline=True),
        engines=["whisper"],
        engine_options={"whisper": dict(whisper)} if whisper else {},
    )
    settings.stt.cache = False
    return Runtime.start(settings).transcription


def mynah_arm(svc: TranscriptionService, model_id: str) -> Callable[[Path], tuple[str, Words]]:
    prepared = svc.prepare(model_id, TranscribeOptions())

    def run(path: Path) -> tuple[str, Words]:
        result = svc.transcribe(path.read_bytes(), prepared).transcription
        return result.text, [(w.text, w.start, w.end) for w in result.words]

    return run


def fw_arms(model_dir: Path) -> dict[str, Callable[[Path], tuple[str, Words]]]:
    from faster_whisper import BatchedInferencePipeline, WhisperModel

    model = WhisperModel(
        str(model_dir),
        device="cpu",
        compute_type="int8",
        cpu_threads=os.cpu_count() or 1,
        local_files_only=True,
    )
    pipeline = BatchedInferencePipeline(model)

    def collect(segments: Any) -> tuple[str, Words]:
        segments = list(segments)
        words = [(w.word.strip(), float(w.start), float(w.end)) for s in segments for w in s.words or ()]
        return "".join(s.text for s in segments).strip(), words

    def seq(path: Path) -> tuple[str, Words]:
        return collect(model.transcribe(str(path), beam_size=5, word_timestamps=True)[0])

    def batched(path: Path) -> tuple[str, Words]:
        return collect(pipeline.transcribe(str(path), batch_size=8, beam_size=5, word_timestamps=True)[0])

    return {"fw-seq": seq, "fw-batched": batched}


def long_file(args: argparse.Namespace, cache: Path, tmp: Path) -> None:
    model_id = f"whisper:{args.model}"
    wanted = args.arms.split(",")
    arms = {n: a for n, a in fw_arms(cache / "whisper" / args.model).items() if n in wanted}
    if "mynah-seq" in wanted:
        arms["mynah-seq"] = mynah_arm(service(cache, tmp / "seq", batched="false"), model_id)
    if "mynah" in wanted:
        arms["mynah"] = mynah_arm(service(cache, tmp / "default"), model_id)
    if "mynah-nosq" in wanted:  # batched, pauses kept whole (squeeze null, the default), explicitly
        arms["mynah-nosq"] = mynah_arm(service(cache, tmp / "nosq", squeeze=None), model_id)
    if "mynah-sq" in wanted:  # batched, pauses shortened to 0.5 s: the A/B for squeezing
        arms["mynah-sq"] = mynah_arm(service(cache, tmp / "sq", squeeze="0.5"), model_id)
    if "mynah-1lane" in wanted:  # one batch at a time on every core (the default before 2026-12-02)
        arms["mynah-1lane"] = mynah_arm(service(cache, tmp / "1lane", num_workers="1"), model_id)
    if "mynah-2threads" in wanted:  # two lanes of a thread per core each: the A/B for batch_threads
        cores = str(os.cpu_count() or 1)
        arms["mynah-2threads"] = mynah_arm(service(cache, tmp / "2threads", batch_threads=cores), model_id)
    for size in (1, 2, 3, 4):  # mynah-b2 ...: the A/B for batch_size
        if f"mynah-b{size}" in wanted:
            svc = service(cache, tmp / f"b{size}", batch_size=str(size))
            arms[f"mynah-b{size}"] = mynah_arm(svc, model_id)
    pooled: dict[str, tuple[list[str], list[str]]] = {n: ([], []) for n in arms}
    for offset in (int(o) for o in args.offsets.split(",")):
        path = tmp / f"long-{offset}.flac"
        reference = build_file(args.minutes * 60, path, offset)
        for name, text in one_file(args, arms, path, reference, offset).items():
            pooled[name][0].append(reference)
            pooled[name][1].append(normalise(text))
    if "," in args.offsets:
        print(f"\nWER over the {len(args.offsets.split(','))} files (offsets {args.offsets}), pooled:")
        for name, (references, hypotheses) in pooled.items():
            print(f"  {name:<11} {jiwer.wer(references, hypotheses):.3f}")


def one_file(
    args: argparse.Namespace,
    arms: dict[str, Callable[[Path], tuple[str, Words]]],
    path: Path,
    reference: str,
    offset: int,
) -> dict[str, str]:
    """The arms on one file, alternated round by round; the table; each arm's text."""
    from mynah.audio.decode import decode_audio

    duration = _duration(path)
    names = list(arms)
    times: dict[str, list[float]] = {n: [] for n in names}
    outputs: dict[str, tuple[str, Words]] = {}
    for round_index in range(args.rounds + 1):
        order = names[round_index % len(names) :] + names[: round_index % len(names)]
        for name in order:
            started = time.perf_counter()
            outputs[name] = arms[name](path)
            if round_index:
                times[name].append(time.perf_counter() - started)
        if round_index:
            print(
                f"round {round_index}: " + "  ".join(f"{n} {times[n][-1]:.1f} s" for n in names), flush=True
            )
    base = statistics.median(times["fw-seq"])
    samples = decode_audio(path, 16000)
    print(
        f"\nwhisper:{args.model}, {duration:.0f} s file (offset {offset}), {args.rounds} timed rounds"
        " (median; machine shared)"
    )
    print(f"{'arm':<11} {'WER':>6} {'median s':>9} {'x fw-seq':>8}  words  ordered+inside  vs fw-seq words")
    for name in names:
        text, words = outputs[name]
        wer = jiwer.wer(reference, normalise(text))
        median = statistics.median(times[name])
        starts = [w[1] for w in words]
        inside = starts == sorted(starts) and all(0 <= w[1] <= w[2] <= duration + 0.01 for w in words)
        matched, total, within, p95, worst = agreement(words, outputs["fw-seq"][1])
        backed = disputes(words, outputs["fw-seq"][1], samples, 16000)
        print(
            f"{name:<11} {wer:>6.3f} {median:>9.2f} {median / base:>8.2f}  {len(words):>5}  {inside!s:>14}"
            f"  {matched}/{total} matched, {within:.1%} within 0.3 s, p95 {p95:.2f} s, max {worst:.2f} s"
            + (
                f"; edges over 0.3 s apart, the audio backs: this arm {backed['ours']},"
                f" fw-seq {backed['theirs']}, unclear {backed['unclear']}"
                if name != "fw-seq"
                else ""
            )
        )
    return {name: text for name, (text, _) in outputs.items()}


def threshold(args: argparse.Namespace, cache: Path, tmp: Path) -> None:
    model_id = f"whisper:{args.model}"
    batched = mynah_arm(service(cache, tmp / "b", batched="true"), model_id)
    sequential = mynah_arm(service(cache, tmp / "s", batched="false"), model_id)
    print(
        f"whisper:{args.model}: seconds of audio, sequential s, batched s, batched/sequential (median of {args.rounds})"
    )
    for seconds in (15, 30, 45, 60, 90, 120):
        path = tmp / f"t{seconds}.flac"
        build_file(seconds, path)
        batched(path), sequential(path)  # warm
        spent: dict[str, list[float]] = {"s": [], "b": []}
        for r in range(args.rounds):
            for key, arm in (
                (("s", sequential), ("b", batched)) if r % 2 == 0 else (("b", batched), ("s", sequential))
            ):
                started = time.perf_counter()
                arm(path)
                spent[key].append(time.perf_counter() - started)
        s, b = statistics.median(spent["s"]), statistics.median(spent["b"])
        print(f"{_duration(path):>6.0f} {s:>8.2f} {b:>8.2f} {b / s:>6.2f}", flush=True)


def concurrent(args: argparse.Namespace, cache: Path, tmp: Path) -> None:
    model_id = f"whisper:{args.model}"
    paths = []
    for index in range(4):
        path = tmp / f"one{index}.flac"
        build_file(60, path, offset=4 * index + 1)
        paths.append(path)
    run = mynah_arm(service(cache, tmp / "c"), model_id)
    run(paths[0])  # warm
    in_row: list[float] = []
    together: list[float] = []
    alone: dict[Path, str] = {}
    same = True
    for r in range(args.rounds):

        def row() -> None:
            started = time.perf_counter()
            for path in paths:
                alone[path] = run(path)[0]
            in_row.append(time.perf_counter() - started)

        def parallel() -> None:
            nonlocal same
            texts: dict[Path, str] = {}
            threads = [threading.Thread(target=lambda p=p: texts.__setitem__(p, run(p)[0])) for p in paths]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            together.append(time.perf_counter() - started)
            same = same and all(normalise(texts[p]) == normalise(alone.get(p, texts[p])) for p in paths)

        for step in (row, parallel) if r % 2 == 0 else (parallel, row):
            step()
        print(f"round {r + 1}: in a row {in_row[-1]:.1f} s, together {together[-1]:.1f} s", flush=True)
    a, b = statistics.median(in_row), statistics.median(together)
    print(
        f"four 1-minute files, whisper:{args.model}: in a row {a:.1f} s, together {b:.1f} s, ratio {b / a:.2f}"
    )
    print(f"same words together as alone: {same}")


def beside(args: argparse.Namespace, cache: Path, tmp: Path) -> None:
    model_id = f"whisper:{args.model}"
    long_path, short_path = tmp / "long.flac", tmp / "short.flac"
    build_file(args.beside * 60, long_path)
    build_file(10, short_path, offset=3)
    svc = service(cache, tmp / "x")
    run = mynah_arm(svc, model_id)
    run(short_path)
    alone = []
    for _ in range(3):
        started = time.perf_counter()
        run(short_path)
        alone.append(time.perf_counter() - started)
    prepared = svc.prepare(model_id, TranscribeOptions())
    going = threading.Event()

    def progress(done: float, total: float) -> None:
        if done > 60:
            going.set()

    long_thread = threading.Thread(
        target=lambda: svc.transcribe(long_path.read_bytes(), prepared, progress=progress), daemon=True
    )
    started_long = time.perf_counter()
    long_thread.start()
    during = []
    while long_thread.is_alive() and len(during) < 5:
        going.wait(600)
        started = time.perf_counter()
        run(short_path)
        during.append(time.perf_counter() - started)
        time.sleep(5)
    long_thread.join()
    print(f"{_duration(short_path):.0f} s file alone (median of 3): {statistics.median(alone):.2f} s")
    print(
        f"... while a {args.beside:.0f}-minute file is transcribed: "
        + ", ".join(f"{d:.2f}" for d in during)
        + f" s; worst {max(during) / statistics.median(alone):.2f} x alone; the long file took"
        f" {time.perf_counter() - started_long:.0f} s"
    )


def short(args: argparse.Namespace, cache: Path, tmp: Path) -> None:
    """Clips under 15 s: mynah's default (below `batch_threshold`: window by window, as before the
    batched path existed) against batched=false, against the same on one thread (`mynah-1thr`) and against faster-whisper's sequential decode."""
    model_id = f"whisper:{args.model}"
    clips = [r for r in recordings() if _duration(r.path) < 15][:8]
    arms = {
        "fw-seq": fw_arms(cache / "whisper" / args.model)["fw-seq"],
        "mynah-seq": mynah_arm(service(cache, tmp / "s", batched="false"), model_id),
        "mynah": mynah_arm(service(cache, tmp / "d"), model_id),
        # one thread on the one call: the A/B for cpu_threads (the batches' default, not this path's)
        "mynah-1thr": mynah_arm(service(cache, tmp / "t", cpu_threads="1"), model_id),
    }
    for arm in arms.values():
        arm(clips[0].path)  # warm
    spent: dict[str, list[float]] = {n: [] for n in arms}
    for r in range(args.rounds):
        names = list(arms)[r % len(arms) :] + list(arms)[: r % len(arms)]
        for name in names:
            started = time.perf_counter()
            for clip in clips:
                arms[name](clip.path)
            spent[name].append(time.perf_counter() - started)
    seconds = sum(_duration(c.path) for c in clips)
    base = statistics.median(spent["mynah-seq"])
    print(
        f"{len(clips)} clips under 15 s ({seconds:.0f} s of audio), whisper:{args.model}, median of {args.rounds}"
    )
    for name, times in spent.items():
        print(
            f"{name:<10} {statistics.median(times):>7.2f} s  {statistics.median(times) / base:.2f} x mynah-seq"
        )


def memory(args: argparse.Namespace, cache: Path, tmp: Path) -> None:
    path = tmp / "hour.flac"
    build_file(args.memory * 60, path)
    print(f"file: {_duration(path) / 60:.1f} minutes")
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--memory-child",
            str(path),
            "--model",
            args.model,
            "--batch-size",
            str(args.batch_size),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    print(out.stdout.strip())


def memory_child(args: argparse.Namespace, cache: Path, tmp: Path) -> None:
    svc = service(cache, tmp, batch_size=str(args.batch_size))
    prepared = svc.prepare(f"whisper:{args.model}", TranscribeOptions())
    marks: list[tuple[float, float]] = []

    def progress(done: float, total: float) -> None:
        if not marks or done - marks[-1][0] >= 600:
            marks.append((done, _status_mb("VmRSS")))

    started = time.perf_counter()
    result = svc.transcribe(Path(args.memory_child), prepared, progress=progress)
    elapsed = time.perf_counter() - started
    print("rss MB by audio minute:", " ".join(f"{d / 60:.0f}:{m:.0f}" for d, m in marks))
    print(
        f"words {len(result.transcription.words)}  seconds {elapsed:.0f}  peak_rss_mb {_status_mb('VmHWM'):.0f}"
    )


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _duration(path: Path) -> float:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return float(sum(f.samples for f in container.decode(stream)) / stream.rate)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="base", help="base or tiny.en (the real-weights cache)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--minutes", type=float, default=3.5, help="length of the long file")
    parser.add_argument("--threshold", action="store_true")
    parser.add_argument("--concurrent", action="store_true")
    parser.add_argument("--beside", type=float, metavar="MINUTES")
    parser.add_argument("--memory", type=float, metavar="MINUTES")
    parser.add_argument("--memory-child", metavar="PATH")
    parser.add_argument("--short", action="store_true")
    parser.add_argument("--batch-size", type=int, default=3, help="with --memory: the engine option")
    parser.add_argument("--arms", default="fw-seq,fw-batched,mynah-seq,mynah", help="for the long file")
    parser.add_argument(
        "--offsets", default="0", help="long file: rotations of the corpus, one file each (e.g. 0,3,7,11)"
    )
    args = parser.parse_args()
    cache = real_model_cache()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if args.memory_child:
            memory_child(args, cache, tmp)
        elif args.memory:
            memory(args, cache, tmp)
        elif args.threshold:
            threshold(args, cache, tmp)
        elif args.concurrent:
            concurrent(args, cache, tmp)
        elif args.short:
            short(args, cache, tmp)
        elif args.beside:
            beside(args, cache, tmp)
        else:
            long_file(args, cache, tmp)


if __name__ == "__main__":
    main()
