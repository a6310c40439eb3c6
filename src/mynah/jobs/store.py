"""Jobs in the database: the state machine, leases, retries, pagination and the delivery queue.

    queued --claim--> running --succeed--> succeeded
      ^                 |  |----fail-----> failed      (permanent error, or attempts used up)
      |                 |  '---cancel----> cancelled   (also straight from queued)
      '--retry/expire---'                              (transient error, lost lease, hand-back)

Every transition is one conditional UPDATE in one transaction. A running job belongs to whoever
holds its `lease_token`; only that holder can renew the lease, report progress, or finish it, so a
worker that lost its lease (it stalled, the job was cancelled, another worker took it over) cannot
store a result. On PostgreSQL a claim locks its row with `FOR UPDATE SKIP LOCKED`, so workers never
wait on one another; on SQLite the write transaction (`BEGIN IMMEDIATE`) serialises claims. Which
job a claim takes (priority, fairness across owners, no owner starved) is mynah.jobs.claims.
The records it hands out (`Job`, `Delivery`, `NewJob`) are mynah.jobs.records.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Collection, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, text, update

from mynah.errors import InvalidRequest, NotFound
from mynah.jobs.claims import Head, claim_order
from mynah.jobs.records import Delivery, Job, NewJob, new_job_id, new_webhook_id, now
from mynah.jobs.tables import FINISHED, KINDS, STATES, DeliveryRow, JobRow, add_missing_columns
from mynah.store import Store
from mynah.store.models import Base, ReviewItemRow, ReviewTranscriptRow

__all__ = ["Delivery", "Job", "JobStore", "NewJob"]

_CLAIM_LOCK = 0x6D796E6168  # "mynah"
"""PostgreSQL advisory lock key claims serialise on: without it, replicas claiming at the same
instant all read the same running counts and pick the same owner (a burst of one owner's jobs)."""


_SERVED_WINDOW = timedelta(hours=1)
"""How far back a claim looks for when each owner was last served (its tie-break)."""


class JobStore:
    """Jobs on a `Store` (SQLite or PostgreSQL). Every method is one short transaction."""

    def __init__(self, store: Store, *, starvation_seconds: float = 60.0) -> None:
        self._store = store
        self.starvation_seconds = starvation_seconds
        """How long an owner with due jobs may go without a claim before it goes first, whatever
        its priority (mynah.jobs.claims)."""
        Base.metadata.create_all(store.engine, tables=[JobRow.__table__, DeliveryRow.__table__])  # type: ignore[list-item]
        add_missing_columns(store.engine)

    @property
    def dialect(self) -> str:
        return self._store.dialect

    # ------------------------------------------------------------------------------ submit / read

    def create(self, new: NewJob) -> Job:
        if new.kind not in KINDS:
            raise ValueError(f"unknown job kind {new.kind!r}")
        at = now()
        row = JobRow(
            id=new_job_id(),
            kind=new.kind,
            state="queued",
            owner=new.owner,
            priority=new.priority,
            shape=new.shape,
            request=json.dumps(dict(new.request), sort_keys=True),
            input_ref=new.input_ref,
            input_name=new.input_name,
            attempts=0,
            max_attempts=new.max_attempts,
            progress=0.0,
            seconds_done=0.0,
            run_after=at,
            created_at=at,
            updated_at=at,
            callback_url=new.callback_url,
            callback_headers=json.dumps(dict(new.callback_headers)) if new.callback_headers else None,
            callback_extra=json.dumps(dict(new.callback_extra)) if new.callback_extra else None,
            secret_ref="server" if new.callback_url else None,
            webhook_id=new_webhook_id() if new.callback_url else None,
            result_url=new.result_url,
            delivery_state=None,
            delivery_attempts=0,
        )
        with self._store.session(write=True) as session:
            session.add(row)
            session.flush()
            return Job.of(row)

    def get(self, job_id: str) -> Job:
        with self._store.session() as session:
            row = session.get(JobRow, job_id)
            if row is None:
                raise NotFound(f"no job {job_id!r}", param="id")
            return Job.of(row)

    def list_jobs(
        self,
        *,
        state: str | None = None,
        kind: str | None = None,
        owner: str | None = None,
        limit: int = 20,
        cursor: str | None = None,
    ) -> tuple[list[Job], str | None]:
        """Newest first; `cursor` (the last id of a page) continues after it, stable under inserts."""
        if state is not None and state not in STATES:
            raise InvalidRequest(f"unknown state {state!r}; use one of {', '.join(STATES)}", param="state")
        if kind is not None and kind not in KINDS:
            raise InvalidRequest(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}", param="kind")
        if not 1 <= limit <= 1000:
            raise InvalidRequest("limit must be between 1 and 1000", param="limit")
        query = select(JobRow)
        if state is not None:
            query = query.where(JobRow.state == state)
        if kind is not None:
            query = query.where(JobRow.kind == kind)
        if owner is not None:
            query = query.where(JobRow.owner == owner)
        with self._store.session() as session:
            if cursor:
                after = session.get(JobRow, cursor)
                if after is None:
                    raise InvalidRequest(f"unknown cursor {cursor!r}", param="cursor")
                query = query.where(
                    or_(
                        JobRow.created_at < after.created_at,
                        and_(JobRow.created_at == after.created_at, JobRow.id < after.id),
                    )
                )
            rows = session.scalars(
                query.order_by(JobRow.created_at.desc(), JobRow.id.desc()).limit(limit + 1)
            ).all()
            jobs = [Job.of(r) for r in rows[:limit]]
        return jobs, (jobs[-1].id if len(rows) > limit else None)

    def deliveries(self, job_id: str) -> list[Delivery]:
        with self._store.session() as session:
            rows = session.scalars(
                select(DeliveryRow).where(DeliveryRow.job_id == job_id).order_by(DeliveryRow.id)
            ).all()
            return [
                Delivery(r.attempt, r.at, r.webhook_id, r.status_code, r.error, r.seconds, r.next_at)
                for r in rows
            ]

    def counts(self) -> dict[tuple[str, str], int]:
        """Jobs by (kind, state), every kind and state present (0 when none)."""
        found = {(kind, state): 0 for kind in KINDS for state in STATES}
        with self._store.session() as session:
            rows = session.execute(
                select(JobRow.kind, JobRow.state, func.count()).group_by(JobRow.kind, JobRow.state)
            )
            for kind, state, count in rows:
                found[(kind, state)] = int(count)
        return found

    def referenced_blobs(self) -> set[str]:
        with self._store.session() as session:
            refs: set[str] = set()
            for input_ref, result_ref in session.execute(select(JobRow.input_ref, JobRow.result_ref)):
                refs.update(r for r in (input_ref, result_ref) if r)
            return refs

    # ------------------------------------------------------------------------------ running

    def claim(self, worker: str, kinds: Collection[str], lease_seconds: float) -> Job | None:
        """Take the next queued job of one of `kinds` whose time has come, with a lease: higher
        priority first, fair across owners over the WHOLE queue, no owner starved
        (mynah.jobs.claims). An archive of thousands queued by one owner cannot hold back another's
        one job of the same priority, even with a single worker (bench/cluster_queue_sim.py);
        within an owner, jobs run by priority, then in queue order (run_after, age)."""
        if not kinds:
            return None
        with self._store.session(write=True) as session:
            if self.dialect == "postgresql":  # one claim at a time, so each sees the others' running jobs
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CLAIM_LOCK})
            at = now()  # once the lock is held: claims' started_at are in the order they were made
            due = (JobRow.state == "queued", JobRow.kind.in_(kinds), JobRow.run_after <= at)
            groups = session.execute(
                select(JobRow.owner, func.max(JobRow.priority), func.min(JobRow.run_after))
                .where(*due)
                .group_by(JobRow.owner)
            ).all()
            if not groups:
                return None
            running = session.execute(
                select(JobRow.owner, func.count()).where(JobRow.state == "running").group_by(JobRow.owner)
            )
            recent = session.execute(
                select(JobRow.owner, func.max(JobRow.started_at))
                .where(JobRow.started_at >= at - _SERVED_WINDOW)
                .group_by(JobRow.owner)
            )
            order = claim_order(
                (Head(owner, int(priority or 0), since) for owner, priority, since in groups),
                running={owner: count for owner, count in running},
                served={owner: last for owner, last in recent if last is not None},
                at=at,
                starvation_seconds=self.starvation_seconds,
            )
            row = None
            for owner in order:
                mine = JobRow.owner.is_(None) if owner is None else JobRow.owner == owner
                row = session.scalars(
                    select(JobRow)
                    .where(*due, mine)
                    .order_by(JobRow.priority.desc(), JobRow.run_after, JobRow.created_at, JobRow.id)
                    .limit(1)
                    .with_for_update(skip_locked=True)
                ).first()
                if row is not None:
                    break
            if row is None:  # every due job is being claimed by someone else right now
                return None
            row.state = "running"
            row.attempts += 1
            row.worker = worker
            row.lease_token = secrets.token_hex(16)
            row.lease_until = at + timedelta(seconds=lease_seconds)
            row.started_at = row.started_at or at
            row.updated_at = at
            session.flush()
            return Job.of(row)

    def heartbeat(
        self,
        job: Job,
        lease_seconds: float,
        *,
        progress: float | None = None,
        seconds_done: float | None = None,
        seconds_total: float | None = None,
    ) -> bool:
        """Renew the lease (and record progress). False: the lease is lost (cancelled, expired and
        taken over): the worker must stop and store nothing."""
        at = now()
        values: dict[str, Any] = {"lease_until": at + timedelta(seconds=lease_seconds), "updated_at": at}
        if progress is not None:
            values["progress"] = max(0.0, min(1.0, progress))
        if seconds_done is not None:
            values["seconds_done"] = seconds_done
        if seconds_total is not None:
            values["seconds_total"] = seconds_total
        return self._held_update(job, values)

    def succeed(
        self,
        job: Job,
        result_ref: str,
        result_type: str,
        *,
        callback: bool,
        usage: Mapping[str, Any] | None = None,
    ) -> bool:
        """Finish with a result; only the lease holder can. The callback, if any, becomes due; `usage`
        (mynah.jobs.metering) is inserted in the same transaction."""
        at = now()
        values: dict[str, Any] = {
            "state": "succeeded",
            "result_ref": result_ref,
            "result_type": result_type,
            "progress": 1.0,
            "finished_at": at,
            "updated_at": at,
            "lease_token": None,
            "lease_until": None,
            "error": None,
        }
        if callback:
            values |= {"delivery_state": "pending", "delivery_next_at": at}
        return self._held_update(job, values, usage)

    def fail(
        self,
        job: Job,
        error: Mapping[str, Any],
        *,
        retry_at: datetime | None,
        callback: bool,
        usage: Mapping[str, Any] | None = None,
    ) -> bool:
        """A failed attempt: queued again at `retry_at`, or failed for good when it is None (then
        `usage`, if given, is inserted in the same transaction)."""
        at = now()
        values: dict[str, Any] = {
            "error": json.dumps(dict(error)),
            "updated_at": at,
            "lease_token": None,
            "lease_until": None,
        }
        if retry_at is not None:
            values |= {"state": "queued", "run_after": retry_at}
        else:
            values |= {"state": "failed", "finished_at": at}
            if callback:
                values |= {"delivery_state": "pending", "delivery_next_at": at}
        return self._held_update(job, values, usage if retry_at is None else None)

    def release(self, job: Job) -> bool:
        """Hand a running job back to the queue (a worker shutting down); the attempt is not counted."""
        at = now()
        return self._held_update(
            job,
            {
                "state": "queued",
                "attempts": JobRow.attempts - 1,
                "lease_token": None,
                "lease_until": None,
                "run_after": at,
                "updated_at": at,
            },
        )

    def expire_leases(self, *, alive: Collection[str] = ()) -> int:
        """Running jobs whose lease ran out (their worker died) go back to the queue, or fail when their
        attempts are used up. Leases in `alive` (tokens of jobs the caller itself is running, known
        not dead) are left alone. Returns how many were expired."""
        at = now()
        with self._store.session(write=True) as session:
            rows = session.scalars(
                select(JobRow)
                .where(JobRow.state == "running", JobRow.lease_until < at)
                .with_for_update(skip_locked=True)
            ).all()
            rows = [row for row in rows if row.lease_token not in alive]
            for row in rows:
                row.lease_token = None
                row.lease_until = None
                row.updated_at = at
                if row.attempts >= row.max_attempts:
                    row.state = "failed"
                    row.finished_at = at
                    row.error = json.dumps(
                        {
                            "status": 500,
                            "error": {
                                "message": f"the worker running this job stopped answering {row.attempts} "
                                "times; giving up",
                                "type": "server_error",
                                "param": None,
                                "code": "worker_lost",
                            },
                        }
                    )
                    if row.callback_url:
                        row.delivery_state, row.delivery_next_at = "pending", at
                else:
                    row.state = "queued"
                    row.run_after = at
            return len(rows)

    def _held_update(
        self, job: Job, values: Mapping[str, Any], usage: Mapping[str, Any] | None = None
    ) -> bool:
        with self._store.session(write=True) as session:
            result = session.execute(
                update(JobRow)
                .where(JobRow.id == job.id, JobRow.state == "running", JobRow.lease_token == job.lease_token)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            held = bool(result.rowcount)  # type: ignore[attr-defined]
            if held and usage is not None:
                from mynah.platform.tables import UsageRow

                session.execute(insert(UsageRow).values(**usage))
            return held

    # ------------------------------------------------------------------------------ cancel / delete

    def cancel(self, job_id: str) -> Job:
        """Cancel a queued or running job (a running one's worker sees its lease gone and stops)."""
        at = now()
        with self._store.session(write=True) as session:
            row = session.get(JobRow, job_id, with_for_update=True)
            if row is None:
                raise NotFound(f"no job {job_id!r}", param="id")
            if row.state in ("queued", "running"):
                row.state = "cancelled"
                row.finished_at = at
                row.updated_at = at
                row.lease_token = None
                row.lease_until = None
                if row.callback_url:
                    row.delivery_state, row.delivery_next_at = "pending", at
            session.flush()
            return Job.of(row)

    def delete(self, job_id: str) -> Job:
        """Remove a finished job, its delivery log and the transcripts it kept for review with their
        spans (mynah.stt.review), in one transaction; its blobs go with the next cleanup."""
        with self._store.session(write=True) as session:
            row = session.get(JobRow, job_id, with_for_update=True)
            if row is None:
                raise NotFound(f"no job {job_id!r}", param="id")
            job = Job.of(row)
            if not job.finished:
                raise InvalidRequest(f"job {job_id} is {job.state}; cancel it first", param="id")
            session.execute(delete(DeliveryRow).where(DeliveryRow.job_id == job_id))
            kept = select(ReviewTranscriptRow.id).where(ReviewTranscriptRow.job_id == job_id)
            session.execute(delete(ReviewItemRow).where(ReviewItemRow.transcript_id.in_(kept)))
            session.execute(delete(ReviewTranscriptRow).where(ReviewTranscriptRow.job_id == job_id))
            session.delete(row)
            return job

    def expired(self, older_than: timedelta) -> list[str]:
        """Finished jobs that finished before `older_than` ago and have no delivery still pending."""
        cutoff = now() - older_than
        with self._store.session() as session:
            return list(
                session.scalars(
                    select(JobRow.id).where(
                        JobRow.state.in_(FINISHED),
                        JobRow.finished_at < cutoff,
                        or_(JobRow.delivery_state.is_(None), JobRow.delivery_state != "pending"),
                    )
                )
            )

    # ------------------------------------------------------------------------------ deliveries

    def claim_delivery(self, lease_seconds: float) -> Job | None:
        """A finished job whose callback is due, leased to one deliverer for `lease_seconds`."""
        at = now()
        with self._store.session(write=True) as session:
            row = session.scalars(
                select(JobRow)
                .where(
                    JobRow.delivery_state == "pending",
                    JobRow.delivery_next_at <= at,
                    or_(JobRow.delivery_lease_until.is_(None), JobRow.delivery_lease_until < at),
                )
                .order_by(JobRow.delivery_next_at)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if row is None:
                return None
            row.delivery_lease_until = at + timedelta(seconds=lease_seconds)
            session.flush()
            return Job.of(row)

    def record_delivery(
        self,
        job: Job,
        *,
        status_code: int | None,
        error: str | None,
        seconds: float,
        state: str,
        next_at: datetime | None,
    ) -> None:
        """Log one attempt and move the delivery on: `state` pending (again at `next_at`), delivered,
        gone, exhausted or refused."""
        at = now()
        with self._store.session(write=True) as session:
            row = session.get(JobRow, job.id, with_for_update=True)
            if row is None:  # deleted while delivering
                return
            row.delivery_attempts += 1
            session.add(
                DeliveryRow(
                    job_id=job.id,
                    attempt=row.delivery_attempts,
                    at=at,
                    webhook_id=job.webhook_id or "",
                    status_code=status_code,
                    error=error,
                    seconds=seconds,
                    next_at=next_at,
                )
            )
            row.delivery_state = state
            row.delivery_next_at = next_at
            row.delivery_lease_until = None

    def iter_all(self) -> Iterator[Job]:
        with self._store.session() as session:
            for row in session.scalars(select(JobRow).order_by(JobRow.created_at)):
                yield Job.of(row)
