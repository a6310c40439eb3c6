"""What the jobs store hands out and takes in: `Job` (a snapshot of a row, and what the API shows of
it), `Delivery` (one callback attempt), `NewJob` (a submission), and the job priorities.

Priority is a whole number from `MIN_PRIORITY` to `MAX_PRIORITY`, `DEFAULT_PRIORITY` when not given;
higher is claimed first (mynah.jobs.claims says how that stays fair across owners).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from mynah.jobs.tables import FINISHED, JobRow

MIN_PRIORITY = -10
MAX_PRIORITY = 10
DEFAULT_PRIORITY = 0


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Job:
    """A job as stored (a snapshot of its row)."""

    id: str
    kind: str
    state: str
    owner: str | None
    priority: int
    shape: str
    request: dict[str, Any]
    input_ref: str | None
    input_name: str | None
    result_ref: str | None
    result_type: str | None
    error: dict[str, Any] | None
    attempts: int
    max_attempts: int
    progress: float
    seconds_done: float
    seconds_total: float | None
    worker: str | None
    lease_token: str | None
    lease_until: datetime | None
    run_after: datetime
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime
    callback_url: str | None
    callback_headers: dict[str, str] | None
    callback_extra: dict[str, str] | None
    secret_ref: str | None
    webhook_id: str | None
    result_url: str | None
    delivery_state: str | None
    delivery_attempts: int
    delivery_next_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @classmethod
    def of(cls, row: JobRow) -> Job:
        values: dict[str, Any] = {}
        for f in fields(cls):
            value = getattr(row, f.name)
            if f.name in ("request", "error", "callback_headers", "callback_extra") and value is not None:
                value = json.loads(value)
            values[f.name] = value
        return cls(**values)

    def public(self) -> dict[str, Any]:
        """What the API shows of a job (no lease token, no callback headers)."""
        body: dict[str, Any] = {
            "id": self.id,
            "object": "job",
            "kind": self.kind,
            "status": self.state,
            "owner": self.owner,
            "priority": self.priority,
            "attempts": self.attempts,
            "max_attempts": self.max_attempts,
            "worker": self.worker,
            "progress": round(self.progress, 4),
            "seconds_done": round(self.seconds_done, 3),
            "seconds_total": None if self.seconds_total is None else round(self.seconds_total, 3),
            "created_at": iso(self.created_at),
            "started_at": iso(self.started_at),
            "finished_at": iso(self.finished_at),
            "input": {"name": self.input_name, "sha256": self.input_ref},
            "result": None
            if self.result_ref is None
            else {"sha256": self.result_ref, "type": self.result_type},
            "error": self.error,
            "request": self.request,
        }
        if self.callback_url is not None:
            body["callback"] = {
                "url": self.callback_url,
                "webhook_id": self.webhook_id,
                "status": self.delivery_state,
                "attempts": self.delivery_attempts,
                "next_attempt_at": iso(self.delivery_next_at),
            }
        return body


@dataclass(frozen=True)
class Delivery:
    attempt: int
    at: datetime
    webhook_id: str
    status_code: int | None
    error: str | None
    seconds: float
    next_at: datetime | None

    def public(self) -> dict[str, Any]:
        return {
            "attempt": self.attempt,
            "at": iso(self.at),
            "webhook_id": self.webhook_id,
            "status_code": self.status_code,
            "error": self.error,
            "seconds": round(self.seconds, 3),
            "next_attempt_at": iso(self.next_at),
        }


@dataclass(frozen=True)
class NewJob:
    """What a submission stores."""

    kind: str
    request: Mapping[str, Any]
    max_attempts: int
    shape: str = "mynah"
    owner: str | None = None
    priority: int = DEFAULT_PRIORITY
    input_ref: str | None = None
    input_name: str | None = None
    callback_url: str | None = None
    callback_headers: Mapping[str, str] | None = None
    callback_extra: Mapping[str, str] | None = None
    result_url: str | None = None


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def new_job_id() -> str:
    return "job_" + uuid.uuid4().hex


def new_webhook_id() -> str:
    return "msg_" + uuid.uuid4().hex
