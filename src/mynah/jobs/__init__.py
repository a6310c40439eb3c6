"""Durable jobs: long transcriptions and long-form speech that survive crashes, with signed callbacks.

submit (routes, CLI, client) -> JobService: checked like a synchronous request, input stored
(content-addressed, mynah.jobs.blobs), a row queued (mynah.jobs.store)
-> WorkerPool (in `mynah serve`, or `mynah worker` processes on one PostgreSQL store): claim with a
   lease, heartbeat, run through the same services (mynah.jobs.execute), result stored once
-> callbacks signed per Standard Webhooks, retried, SSRF-checked (mynah.jobs.callbacks)
"""

from mynah.jobs.blobs import BlobStore
from mynah.jobs.results import Rendered, ResultNotReady
from mynah.jobs.service import Callback, JobService
from mynah.jobs.store import Delivery, Job, JobStore
from mynah.jobs.worker import WorkerPool

__all__ = [
    "BlobStore",
    "Callback",
    "Delivery",
    "Job",
    "JobService",
    "JobStore",
    "Rendered",
    "ResultNotReady",
    "WorkerPool",
]
