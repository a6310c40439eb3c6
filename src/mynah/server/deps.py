"""FastAPI dependencies shared by the routers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

from mynah.runtime import Runtime
from mynah.server.admission import Admissions
from mynah.server.gate import authenticate

if TYPE_CHECKING:
    from mynah.jobs import JobService


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_jobs(request: Request) -> JobService:
    """The jobs API of the app (built in the lifespan, beside its worker pool)."""
    jobs: JobService = request.app.state.jobs
    return jobs


def get_admissions(request: Request) -> Admissions:
    admissions: Admissions = request.app.state.admissions
    return admissions


async def require_api_key(request: Request) -> None:
    """When the server has an API key, /v1 routes want it as a bearer token. The gate
    (`mynah.server.gate`) has already checked it before the body was read; this covers an app
    mounted without the gate, through the same `authenticate`. Async, as it never blocks: FastAPI
    runs a sync dependency in a worker thread, a hop every /v1 request would wait for under load."""
    if "mynah.principal" not in request.scope:
        request.scope["mynah.principal"] = authenticate(request.scope, get_runtime(request).settings)
