"""`create_app(settings)`: the FastAPI application. Nothing is built at import time."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from mynah import __version__
from mynah.config import Settings
from mynah.platform import install as install_platform
from mynah.priority import keep_priority, lower_other_threads, set_transcription_niceness
from mynah.runtime import Runtime
from mynah.server.admission import Admissions
from mynah.server.errors import install_error_handlers
from mynah.server.gate import BodyGate
from mynah.server.health import HealthBody
from mynah.server.openapi import install_openapi
from mynah.server.routes import catalog, jobs, lexicons, review, speech, transcription, voices
from mynah.server.routes import models as model_files
from mynah.server.routes import realtime_speech as live_speech
from mynah.server.routes import realtime_transcription as live_transcription
from mynah.server.web import mount_playground

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> FastAPI:
    """Build the app. Engines load at startup (lifespan), or pass an already started `runtime`."""
    settings = settings or (runtime.settings if runtime else Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Start the runtime (unless one was passed in) and, on shutdown, close the one started here;
        a runtime passed in belongs to the caller, who closes it."""
        started: Runtime | None = None
        keep_priority()  # this thread runs the event loop: the one the engines' threads yield to
        set_transcription_niceness(settings.server.admission.transcription_niceness)
        if getattr(app.state, "runtime", None) is None:
            started = app.state.runtime = Runtime.start(settings)
        pool = await run_in_threadpool(jobs.start_jobs, app)
        lower_other_threads()  # what the preloaded models started
        try:
            yield
        finally:
            await run_in_threadpool(jobs.stop_jobs, app, pool)
            if started is not None:
                app.state.runtime = None  # a second start (a new TestClient) builds a fresh runtime
                await run_in_threadpool(started.close)

    app = FastAPI(
        title="mynah",
        version=__version__,
        summary="Self-hosted text to speech and speech to text with OpenAI-compatible routes.",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    app.state.admissions = Admissions.from_settings(settings.server.admission)
    app.state.health = HealthBody(catalog.health_body)
    install_error_handlers(app)
    app.include_router(catalog.router)
    app.include_router(catalog.v1)
    app.include_router(speech.router)
    app.include_router(transcription.router)
    app.include_router(lexicons.router)
    app.include_router(model_files.router)
    app.include_router(jobs.router)
    app.include_router(review.router)
    app.include_router(voices.router)
    app.include_router(voices.speaker)
    app.include_router(live_speech.router)
    app.include_router(live_speech.http)
    app.include_router(live_transcription.router)
    mount_playground(app)
    app.add_middleware(BodyGate, settings=settings)
    install_openapi(app, key_required=settings.server.api_key is not None)
    install_platform(app, settings)  # keys, limits, usage, metrics: the outermost layer, before any body
    return app
