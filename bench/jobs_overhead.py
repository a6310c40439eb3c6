"""What durable jobs cost: two workers draining 40 short transcription jobs, against calling the
transcription service directly in a loop on the same files, in the same process and run.

    python bench/jobs_overhead.py                 # whisper:tiny.en, 40 jobs, 2 workers
    python bench/jobs_overhead.py --model whisper:base --rounds 3

direct: for each file, TranscriptionService.prepare + transcribe (what a synchronous request runs).
jobs:   JobService.submit_transcription for all 40 (input stored, row queued), then a WorkerPool of two
        threads claims, runs (the same service calls), stores each result and marks it done; timed
        from the first submission to the last job succeeded, on SQLite in a fresh data directory.
The transcript cache is off for both, and both are warmed up with one transcription first. The
goal is jobs <= 1.10 x direct. Real weights come from the real-weights tier.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mynah.config import JobsSettings, ModelSettings, Settings, SttSettings  # noqa: E402
from mynah.jobs import JobService, WorkerPool  # noqa: E402
from mynah.runtime import Runtime  # noqa: E402
from mynah.stt.service import TranscribeOptions  # noqa: E402
from tests.fixtures.real_weights import real_model_cache  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
if not DATA.is_dir():
    DATA = Path("/work/shared/data")


def short_files(count: int) -> list[Path]:
    files = sorted((DATA / "speech").rglob("*.wav")) + sorted((DATA / "speech").rglob("*.flac"))
    return [files[i % len(files)] for i in range(count)]


def direct(runtime: Runtime, model: str, files: list[Path]) -> tuple[float, list[str]]:
    started = time.perf_counter()
    texts = []
    for path in files:
        prepared = runtime.transcription.prepare(model, TranscribeOptions())
        texts.append(runtime.transcription.transcribe(path, prepared).transcription.text)
    return time.perf_counter() - started, texts


def jobs(runtime: Runtime, model: str, files: list[Path], workers: int) -> tuple[float, list[str]]:
    import json

    from mynah.stt.cache import CachedTranscript

    service = JobService(runtime)
    pool = WorkerPool(service, threads=workers).start()
    try:
        started = time.perf_counter()
        ids = [
            service.submit_transcription(
                path.read_bytes(), filename=path.name, model=model, options=TranscribeOptions()
            ).id
            for path in files
        ]
        pending = set(ids)
        while pending:
            for job_id in list(pending):
                job = service.get(job_id)
                if job.state == "succeeded":
                    pending.discard(job_id)
                elif job.finished:
                    raise RuntimeError(f"job {job_id} {job.state}: {job.error}")
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
    finally:
        pool.stop(grace=5)
    texts = []
    for job_id in ids:
        job = service.get(job_id)
        assert job.result_ref is not None
        texts.append(
            CachedTranscript.from_json(json.loads(service.blobs.read(job.result_ref))).transcription.text
        )
    return elapsed, texts


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="whisper:tiny.en")
    parser.add_argument("--jobs", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    files = short_files(args.jobs)
    audio = 0.0
    import av

    for path in files:
        with av.open(str(path)) as container:
            audio += float(container.duration or 0) / 1_000_000
    settings = Settings(
        data_dir=Path(tempfile.mkdtemp(prefix="mynah-jobs-bench-")),
        engines=["whisper"],
        models=ModelSettings(cache_dir=real_model_cache(), offline=True),
        stt=SttSettings(cache=False, default_model=[args.model]),
        jobs=JobsSettings(
            workers=args.workers, max_running={"transcription": args.workers}, poll_seconds=0.05
        ),
    )
    with Runtime.start(settings) as runtime:
        direct(runtime, args.model, files[:1])  # load the model
        direct_times, job_times = [], []
        for _ in range(args.rounds):
            seconds, direct_texts = direct(runtime, args.model, files)
            direct_times.append(seconds)
            seconds, job_texts = jobs(runtime, args.model, files, args.workers)
            job_times.append(seconds)
            if job_texts != direct_texts:
                print(
                    "jobs and direct disagree on",
                    sum(a != b for a, b in zip(job_texts, direct_texts, strict=True)),
                    "transcripts",
                )
                return 1
    d, j = statistics.median(direct_times), statistics.median(job_times)
    print(
        f"{args.jobs} files, {audio:.1f} s of audio, {args.model}, {args.workers} workers, {args.rounds} round(s)"
    )
    print(f"direct service loop: {d:.2f} s   ({', '.join(f'{t:.2f}' for t in direct_times)})")
    print(f"jobs, {args.workers} workers:    {j:.2f} s   ({', '.join(f'{t:.2f}' for t in job_times)})")
    print(f"jobs / direct:       {j / d:.2f}   (goal <= 1.10)")
    return 0 if j / d <= 1.10 else 2


if __name__ == "__main__":
    raise SystemExit(main())
