"""A job's usage, recorded exactly once: in the very transaction that finishes it.

    served = Served(engine, model, voice, chars, audio_seconds)    what the job's run used
    usage_row(job, served, status=200)                             the values of its usage event

The usage event is inserted by `JobStore.succeed` / `JobStore.fail` (the final failure, not one
that is retried) in the transaction that moves the job to its end state, and only when that update
held the lease: a retried attempt, a job taken over by another worker, a crash before the commit or
a process that dies after it can neither lose the event nor write it twice. It is metered like the
synchronous request it stands for: kind `speech` or `transcription` (priced alike), the submitting
key as owner, billable characters of the text spoken (markup excluded), seconds of audio produced
or transcribed, latency from the job's start to its end. The HTTP request that submitted the job is
metered on its own (kind `other`, no characters), as every request is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mynah.jobs.store import Job

__all__ = ["JOB_ROUTE", "Served", "usage_row"]

JOB_ROUTE = "(job)"
"""The `route` of a job's usage event (its submission carries the route it came by)."""


@dataclass(frozen=True)
class Served:
    """What one job's run used."""

    engine: str | None = None
    model: str | None = None
    """The model that transcribed, or the voice that spoke."""
    chars: int = 0
    audio_seconds: float = 0.0


def usage_row(job: Job, served: Served | None, *, status: int) -> dict[str, Any]:
    """The usage event of `job` ending now with `status` (200, or its error's status)."""
    at = datetime.now(UTC)
    started = job.started_at or at
    served = served if served is not None and status < 400 else Served()
    speech = job.kind == "speech"
    return {
        "at": at,
        "request_id": job.id,
        "key_id": job.owner,
        "kind": job.kind,
        "route": JOB_ROUTE,
        "status": status,
        "latency_ms": max(0.0, (at - started).total_seconds() * 1000.0),
        "engine": served.engine,
        "model": served.engine if speech else served.model,
        "voice": served.model if speech else None,
        "chars": served.chars,
        "audio_seconds": float(served.audio_seconds),
        "cached": False,
    }
