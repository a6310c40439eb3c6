"""The web playground: GET / is its page, /web/* its modules and styles (`src/mynah/web/`).

Plain ES modules and CSS shipped as package data, so nothing is built at install time. The page talks
only to the public routes, with the API key the user types (kept in the tab's sessionStorage). It is
not behind the key itself: it holds no data, and it must load to ask for the key.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import mynah

WEB_DIR = Path(mynah.__file__).parent / "web"

# Scripts and styles from this origin only; audio from blob: URLs (streamed and uploaded audio).
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; media-src 'self' blob:; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
}

router = APIRouter(include_in_schema=False)


@router.get("/")
async def playground() -> FileResponse:
    return FileResponse(WEB_DIR / "index.html", media_type="text/html", headers=SECURITY_HEADERS)


class _WithHeaders:
    """The static files, answered with the same headers as the page (revalidated on every load, so
    an upgraded server never runs with a stale module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    *((k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def mount_playground(app: FastAPI) -> None:
    """Serve the playground at / and its files at /web."""
    app.include_router(router)
    app.mount("/web", _WithHeaders(StaticFiles(directory=WEB_DIR)), name="web")
