"""`create_app(settings)`: the FastAPI application. Nothing is built at import time."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from mynah import __version__
from mynah.config import Settings
from mynah.runtime import Runtime
from mynah.server.errors import error_response, install_error_handlers
from mynah.server.routes import catalog, home, lexicons, speech, transcription
from mynah.server.routes import models as model_files

log = logging.getLogger(__name__)

# Room for multipart framing and form fields around the largest upload allowed.
_BODY_SLACK = 1024 * 1024


class BodySizeLimit:
    """Refuse a request whose declared Content-Length is over the limit before reading any of it."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope.get("headers", ()):
                if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                    response = error_response(
                        413,
                        f"request body is {int(value):,} bytes; the limit is {self.limit:,}",
                        type_="invalid_request_error",
                        code="payload_too_large",
                    )
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> FastAPI:
    """Build the app. Engines load at startup (lifespan), or pass an already started `runtime`."""
    settings = settings or (runtime.settings if runtime else Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Start the runtime (unless one was passed in) and, on shutdown, close the one started here;
        a runtime passed in belongs to the caller, who closes it."""
        started: Runtime | None = None
        if getattr(app.state, "runtime", None) is None:
            started = app.state.runtime = Runtime.start(settings)
        try:
            yield
        finally:
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
    install_error_handlers(app)
    app.include_router(catalog.router)
    app.include_router(catalog.v1)
    app.include_router(speech.router)
    app.include_router(transcription.router)
    app.include_router(lexicons.router)
    app.include_router(model_files.router)
    app.include_router(home.router)
    app.add_middleware(
        BodySizeLimit,
        limit=max(settings.stt.max_upload_bytes, settings.tts.max_input_chars * 4) + _BODY_SLACK,
    )
    return app
