"""A transcription job's review transcript and spans (mynah.stt.review) leave with the job: when it
is deleted and when retention removes it; a request's own review transcript stays. On SQLite and
PostgreSQL, with the real engine and worker pool."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from mynah.jobs import JobService, WorkerPool
from mynah.jobs.records import now
from mynah.jobs.tables import JobRow
from mynah.runtime import Runtime
from mynah.store.models import Base, ReviewItemRow, ReviewTranscriptRow
from mynah.stt.cache import CachedTranscript
from mynah.stt.review import ReviewQueue
from mynah.stt.service import TranscribeOptions
from tests.jobs.conftest import MODEL, job_settings


@pytest.fixture
def service(tmp_path: Path, database_url: str) -> Iterator[JobService]:
    settings = job_settings(tmp_path / "data", lease_seconds=30.0).model_copy(
        update={"database_url": database_url}
    )
    with Runtime.start(settings) as runtime:
        try:
            yield JobService(runtime)
        finally:
            Base.metadata.drop_all(runtime.store.engine)


def _until(check: Callable[[], bool], what: str, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _kept(service: JobService, job_id: str) -> tuple[int, int]:
    """(review transcripts, review spans) the store keeps for `job_id`."""
    with service.runtime.store.session() as session:
        transcripts = select(ReviewTranscriptRow.id).where(ReviewTranscriptRow.job_id == job_id)
        spans = select(func.count()).where(ReviewItemRow.transcript_id.in_(transcripts))
        return len(session.scalars(transcripts).all()), session.scalar(spans) or 0


def test_a_jobs_review_transcript_goes_with_the_job(service: JobService, speech_dir: Path) -> None:
    audio = (speech_dir / "jfk.flac").read_bytes()  # pocketsphinx is unsure of several of its words
    options = TranscribeOptions(review=True, format="raw")
    deleted, expired = (
        service.submit_transcription(audio, filename="jfk.flac", model=MODEL, options=options)
        for _ in range(2)
    )
    pool = WorkerPool(service, threads=1).start()
    try:
        _until(
            lambda: all(service.get(j.id).state == "succeeded" for j in (deleted, expired)),
            "both jobs to succeed",
        )
    finally:
        pool.stop(grace=0)
    for job in (deleted, expired):
        transcripts, spans = _kept(service, job.id)
        assert transcripts == 1 and spans > 0
    queue = ReviewQueue(service.runtime.store)
    served = queue.transcript_for_job(expired.id)
    assert served is not None
    request = CachedTranscript(served.transcription, served.engine, served.model)  # as a request's
    request_id, request_items = queue.collect(request, service.runtime.settings.stt.low_confidence)

    assert service.delete(deleted.id)[1]
    assert _kept(service, deleted.id) == (0, 0)
    assert queue.items(job_id=deleted.id, status=None) == []
    assert _kept(service, expired.id)[0] == 1  # another job's are untouched

    long_ago = now() - timedelta(hours=service.settings.retention_hours + 1)
    with service.runtime.store.session(write=True) as session:
        session.execute(update(JobRow).where(JobRow.id == expired.id).values(finished_at=long_ago))
    assert service.cleanup()[0] == 1
    assert _kept(service, expired.id) == (0, 0)
    assert queue.transcript_for_job(expired.id) is None
    listed = queue.items(transcript_id=request_id, status=None)
    assert [i["id"] for i in listed] == [i["id"] for i in request_items]  # not a job's: kept
