"""The jobs state machine on real SQLite and PostgreSQL: leases, expiry, retries, cancellation,
fairness, concurrent claims and the delivery queue."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mynah.errors import InvalidRequest, NotFound
from mynah.jobs import BlobStore, JobStore
from mynah.jobs.store import NewJob
from mynah.store import Store
from mynah.store.models import Base

LEASE = 30.0


@pytest.fixture
def jobs(database_url: str) -> Iterator[JobStore]:
    store = Store.open(database_url)
    try:
        yield JobStore(store)
    finally:
        Base.metadata.drop_all(store.engine)
        store.close()


def new(owner: str | None = None, kind: str = "transcription", callback: str | None = None) -> NewJob:
    return NewJob(kind=kind, request={"model": None}, max_attempts=2, owner=owner, callback_url=callback)


def test_only_the_lease_holder_finishes_a_job(jobs: JobStore) -> None:
    created = jobs.create(new())
    claimed = jobs.claim("w1", ["transcription"], LEASE)
    assert claimed is not None and claimed.id == created.id
    assert claimed.state == "running" and claimed.attempts == 1 and claimed.lease_token
    assert jobs.claim("w2", ["transcription"], LEASE) is None  # nothing else queued
    assert jobs.claim("w2", ["speech"], LEASE) is None
    impostor = type(claimed)(**{**claimed.__dict__, "lease_token": "0" * 32})
    assert not jobs.heartbeat(impostor, LEASE)
    assert not jobs.succeed(impostor, "a" * 64, "application/json", callback=False)
    assert jobs.heartbeat(claimed, LEASE, progress=0.5, seconds_done=5.0, seconds_total=10.0)
    assert jobs.get(created.id).progress == 0.5
    assert jobs.succeed(claimed, "a" * 64, "application/json", callback=False)
    assert not jobs.succeed(claimed, "b" * 64, "application/json", callback=False)  # never twice
    done = jobs.get(created.id)
    assert done.state == "succeeded" and done.result_ref == "a" * 64 and done.lease_token is None


def test_an_expired_lease_goes_back_to_the_queue_and_the_old_holder_is_locked_out(jobs: JobStore) -> None:
    created = jobs.create(new())
    first = jobs.claim("dead-worker", ["transcription"], -1.0)  # a lease that has already run out
    assert first is not None
    assert jobs.expire_leases() == 1
    assert jobs.get(created.id).state == "queued"
    second = jobs.claim("w2", ["transcription"], LEASE)
    assert second is not None and second.attempts == 2
    assert not jobs.succeed(first, "a" * 64, "x", callback=False)  # the dead worker woke up: too late
    assert jobs.succeed(second, "b" * 64, "x", callback=False)
    assert jobs.get(created.id).result_ref == "b" * 64


def test_a_job_that_keeps_losing_its_worker_fails_after_max_attempts(jobs: JobStore) -> None:
    created = jobs.create(new(callback="https://example.com/hook"))
    for _ in range(2):
        assert jobs.claim("w", ["transcription"], -1.0) is not None
        jobs.expire_leases()
    failed = jobs.get(created.id)
    assert failed.state == "failed" and failed.error is not None
    assert failed.error["error"]["code"] == "worker_lost"
    assert failed.delivery_state == "pending"  # the callback says so too


def test_retry_waits_for_its_time_and_release_does_not_count(jobs: JobStore) -> None:
    created = jobs.create(new())
    claimed = jobs.claim("w", ["transcription"], LEASE)
    assert claimed is not None
    later = datetime.now(UTC) + timedelta(hours=1)
    assert jobs.fail(claimed, {"status": 503, "error": {}}, retry_at=later, callback=False)
    assert jobs.get(created.id).state == "queued"
    assert jobs.claim("w", ["transcription"], LEASE) is None  # not before its time
    other = jobs.create(new())
    again = jobs.claim("w", ["transcription"], LEASE)
    assert again is not None and again.id == other.id
    assert jobs.release(again)
    back = jobs.get(other.id)
    assert back.state == "queued" and back.attempts == 0


def test_cancelling_a_running_job_takes_its_lease(jobs: JobStore) -> None:
    created = jobs.create(new())
    claimed = jobs.claim("w", ["transcription"], LEASE)
    assert claimed is not None
    assert jobs.cancel(created.id).state == "cancelled"
    assert not jobs.heartbeat(claimed, LEASE)
    assert not jobs.succeed(claimed, "a" * 64, "x", callback=False)
    assert jobs.get(created.id).state == "cancelled"
    with pytest.raises(NotFound):
        jobs.cancel("job_missing")
    queued = jobs.create(new())
    with pytest.raises(InvalidRequest):
        jobs.delete(queued.id)  # cancel first
    jobs.delete(created.id)
    with pytest.raises(NotFound):
        jobs.get(created.id)


def test_claims_are_fair_across_owners(jobs: JobStore) -> None:
    for _ in range(3):
        jobs.create(new(owner="key_a"))
    late = jobs.create(new(owner="key_b"))
    first = jobs.claim("w", ["transcription"], LEASE)
    assert first is not None and first.owner == "key_a"  # the oldest
    second = jobs.claim("w", ["transcription"], LEASE)
    assert second is not None and second.id == late.id  # key_a already has one running


def test_a_long_backlog_of_one_owner_does_not_hold_back_another(jobs: JobStore) -> None:
    """Fairness looks at every owner's next job, not only at the oldest few in the queue."""
    backlog = [jobs.create(new(owner="archive")) for _ in range(60)]
    late = jobs.create(new(owner="key_b"))
    unowned = jobs.create(new())
    first = jobs.claim("w", ["transcription"], LEASE)
    assert first is not None and first.id == backlog[0].id
    nxt = [jobs.claim("w", ["transcription"], LEASE) for _ in range(2)]
    assert {job.id for job in nxt if job is not None} == {late.id, unowned.id}
    again = jobs.claim("w", ["transcription"], LEASE)
    assert again is not None and again.id == backlog[1].id  # then the archive, in its own order


def test_one_worker_takes_turns_between_owners(jobs: JobStore) -> None:
    """A single worker, finishing each job before the next claim: the owners alternate (the one
    served least recently goes next) instead of the archive draining first because it is older."""
    for _ in range(4):
        jobs.create(new(owner="archive"))
    for _ in range(2):
        jobs.create(new(owner="key_b"))
    owners = []
    while (job := jobs.claim("w", ["transcription"], LEASE)) is not None:
        owners.append(job.owner)
        assert jobs.succeed(job, "c" * 64, "x", callback=False)
    assert owners == ["archive", "key_b", "archive", "key_b", "archive", "archive"]


def test_concurrent_claims_never_hand_out_a_job_twice(jobs: JobStore) -> None:
    created = {jobs.create(new()).id for _ in range(24)}
    claimed: list[str] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        while (job := jobs.claim(name, ["transcription"], LEASE)) is not None:
            with lock:
                claimed.append(job.id)
            assert jobs.succeed(job, "c" * 64, "x", callback=False)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(claimed) == Counter(created)


def test_the_delivery_queue_leases_each_due_callback_to_one_deliverer(jobs: JobStore) -> None:
    created = jobs.create(new(callback="https://example.com/hook"))
    claimed = jobs.claim("w", ["transcription"], LEASE)
    assert claimed is not None and jobs.succeed(claimed, "a" * 64, "x", callback=True)
    due = jobs.claim_delivery(LEASE)
    assert due is not None and due.id == created.id and due.webhook_id and due.webhook_id.startswith("msg_")
    assert jobs.claim_delivery(LEASE) is None
    retry = datetime.now(UTC) - timedelta(seconds=1)
    jobs.record_delivery(
        due, status_code=500, error="answered 500", seconds=0.1, state="pending", next_at=retry
    )
    again = jobs.claim_delivery(LEASE)
    assert again is not None and again.webhook_id == due.webhook_id
    jobs.record_delivery(again, status_code=200, error=None, seconds=0.1, state="delivered", next_at=None)
    log = jobs.deliveries(created.id)
    assert [(d.attempt, d.status_code) for d in log] == [(1, 500), (2, 200)]
    assert {d.webhook_id for d in log} == {due.webhook_id}
    assert jobs.claim_delivery(LEASE) is None


def test_listing_rejects_bad_filters(jobs: JobStore) -> None:
    for query in ({"state": "x"}, {"kind": "x"}, {"limit": 0}, {"cursor": "job_nope"}):
        with pytest.raises(InvalidRequest):
            jobs.list_jobs(**query)  # type: ignore[arg-type]


def test_retention_and_orphans(jobs: JobStore, tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    kept = blobs.put(b"input of a live job")
    orphan = blobs.put(b"left behind by a crash")
    assert blobs.put(b"input of a live job") == kept  # content-addressed: one file
    jobs.create(NewJob(kind="transcription", request={}, max_attempts=1, input_ref=kept))
    assert blobs.orphans(jobs.referenced_blobs(), older_than=3600) == []  # too young to judge
    assert blobs.orphans(jobs.referenced_blobs(), older_than=-1) == [orphan]
    jobs.create(new())
    claimed = jobs.claim("w", ["transcription"], LEASE)
    assert claimed is not None and jobs.succeed(claimed, orphan, "x", callback=False)
    assert jobs.expired(timedelta(hours=1)) == []
    time.sleep(0.01)  # finished_at must be strictly before "now"
    assert jobs.expired(timedelta(0)) == [claimed.id]


def prioritised(owner: str, priority: int) -> NewJob:
    return NewJob(
        kind="transcription", request={"model": None}, max_attempts=2, owner=owner, priority=priority
    )


def test_higher_priority_is_claimed_first_across_owners(jobs: JobStore) -> None:
    low = [jobs.create(prioritised("archive", 0)) for _ in range(3)]
    urgent = jobs.create(prioritised("key_b", 5))
    mine_high = jobs.create(prioritised("archive", 9))
    order = []
    while (job := jobs.claim("w", ["transcription"], LEASE)) is not None:
        order.append(job.id)
        assert jobs.succeed(job, "c" * 64, "x", callback=False)
    assert order == [mine_high.id, urgent.id, *(job.id for job in low)]
    assert jobs.get(urgent.id).priority == 5


def test_owners_of_the_same_priority_still_take_turns(jobs: JobStore) -> None:
    for _ in range(3):
        jobs.create(prioritised("archive", 4))
    for _ in range(2):
        jobs.create(prioritised("key_b", 4))
    jobs.create(prioritised("key_c", 1))
    owners = []
    while (job := jobs.claim("w", ["transcription"], LEASE)) is not None:
        owners.append(job.owner)
        assert jobs.succeed(job, "c" * 64, "x", callback=False)
    assert owners == ["archive", "key_b", "archive", "key_b", "archive", "key_c"]


def test_an_owner_kept_waiting_goes_first_whatever_its_priority(database_url: str) -> None:
    """A low-priority owner behind a stream of urgent work is claimed for once it has waited
    `starvation_seconds` (here 0.2 s, waited out for real)."""
    store = Store.open(database_url)
    try:
        jobs = JobStore(store, starvation_seconds=0.2)
        patient = jobs.create(prioritised("patient", -5))
        for _ in range(6):
            jobs.create(prioritised("busy", 8))
        first = jobs.claim("w", ["transcription"], LEASE)
        assert first is not None and first.owner == "busy"  # not starved yet: priority decides
        assert jobs.succeed(first, "c" * 64, "x", callback=False)
        deadline = time.monotonic() + 10
        while (datetime.now(UTC) - patient.created_at).total_seconds() < 0.25:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        second = jobs.claim("w", ["transcription"], LEASE)
        assert second is not None and second.id == patient.id
        third = jobs.claim("w", ["transcription"], LEASE)
        assert third is not None and third.owner == "busy"  # served: back to priority order
    finally:
        Base.metadata.drop_all(store.engine)
        store.close()


def test_a_jobs_table_from_before_priorities_gets_the_column(database_url: str) -> None:
    from sqlalchemy import text

    store = Store.open(database_url)
    try:
        jobs = JobStore(store)
        old = jobs.create(new(owner="a"))
        with store.session(write=True) as session:
            session.execute(text("ALTER TABLE jobs DROP COLUMN priority"))
        reopened = JobStore(store)
        assert reopened.get(old.id).priority == 0
        assert reopened.create(prioritised("b", 3)).priority == 3
        claimed = reopened.claim("w", ["transcription"], LEASE)
        assert claimed is not None and claimed.owner == "b"
    finally:
        Base.metadata.drop_all(store.engine)
        store.close()
