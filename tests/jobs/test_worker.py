"""The worker pool in-process with a real engine: a running job that is cancelled stops and stores
nothing; a pool that stops hands its running job back to the queue; the cleanup removes orphans."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mynah.jobs import JobService, WorkerPool
from mynah.runtime import Runtime
from mynah.stt.service import TranscribeOptions
from tests.jobs.conftest import MODEL, job_settings


def _until(check: Callable[[], bool], what: str, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[JobService]:
    with Runtime.start(job_settings(tmp_path / "data", lease_seconds=30.0)) as runtime:
        yield JobService(runtime)


def _midway(service: JobService, job_id: str) -> Callable[[], bool]:
    def check() -> bool:
        job = service.get(job_id)
        return job.state == "running" and 0 < job.progress < 1

    return check


def test_cancelling_a_running_job_stops_its_worker(service: JobService, long_recording: bytes) -> None:
    job = service.submit_transcription(
        long_recording, filename="long.wav", model=MODEL, options=TranscribeOptions()
    )
    pool = WorkerPool(service, threads=1).start()
    try:
        _until(_midway(service, job.id), "the job to be midway")
        service.delete(job.id)  # DELETE of a running job cancels it
        _until(lambda: pool.busy == 0, "the worker to stop")
        cancelled = service.get(job.id)
        assert cancelled.state == "cancelled" and cancelled.result_ref is None
    finally:
        pool.stop(grace=0)


def test_a_stopping_pool_hands_its_job_back(service: JobService, long_recording: bytes) -> None:
    job = service.submit_transcription(
        long_recording, filename="long.wav", model=MODEL, options=TranscribeOptions()
    )
    pool = WorkerPool(service, threads=1).start()
    _until(_midway(service, job.id), "the job to be midway")
    pool.stop(grace=0)  # hands the job back at its next progress report (after the current window)
    _until(lambda: service.get(job.id).state == "queued", "the job to be back in the queue")
    back = service.get(job.id)
    assert back.state == "queued" and back.attempts == 0 and back.lease_token is None
    again = WorkerPool(service, threads=1).start()
    try:
        _until(lambda: service.get(job.id).state == "succeeded", "the job to finish on the next pool")
    finally:
        again.stop(grace=0)
    assert service.get(job.id).attempts == 1


def test_cleanup_removes_orphans_and_keeps_what_jobs_use(service: JobService, speech_dir: Path) -> None:
    job = service.submit_transcription(
        (speech_dir / "goforward.wav").read_bytes(),
        filename="g.wav",
        model=MODEL,
        options=TranscribeOptions(),
    )
    orphan = service.blobs.put(b"a crash left this behind")
    old = time.time() - 7200
    for ref in (orphan, job.input_ref):
        assert ref is not None
        os.utime(service.blobs.path(ref), (old, old))
    assert service.cleanup() == (0, 1)
    assert not service.blobs.exists(orphan)
    assert job.input_ref is not None and service.blobs.exists(job.input_ref)
