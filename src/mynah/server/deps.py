"""FastAPI dependencies shared by the routers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

from mynah.runtime import Runtime
from mynah.server.admission import Admissions
from mynah.server.gate import authenticate

if TYPE_CHECKING:
    from mynah.jobs import JobService


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def jobs_of(request: Request) -> JobService:
    """The jobs API of the app (built in the lifespan, beside its worker pool)."""
    jobs: JobService = request.app.state.jobs
    return jobs


def admissions_of(request: Request) -> Admissions:
    admissions: Admissions = request.app.state.admissions
    return admissions


# The dependencies are async, as they only read the app's state: FastAPI runs a sync dependency in a
# worker thread, and these two were two thread-pool hops on every speech request (counted with
# anyio.to_thread.run_sync instrumented: 6 hops per short /v1/audio/speech request, now 4).


async def get_runtime(request: Request) -> Runtime:
    return runtime_of(request)


async def get_jobs(request: Request) -> JobService:
    return jobs_of(request)


async def get_admissions(request: Request) -> Admissions:
    return admissions_of(request)


async def require_api_key(request: Request) -> None:
    """When the server has an API key, /v1 routes want it as a bearer token. The gate
    (`mynah.server.gate`) has already checked it before the body was read; this covers an app
    mounted without the gate, through the same `authenticate`. Async, as it never blocks: FastAPI
    runs a sync dependency in a worker thread, a hop every /v1 request would wait for under load."""
    if "mynah.principal" not in request.scope:
        request.scope["mynah.principal"] = authenticate(request.scope, runtime_of(request).settings)
