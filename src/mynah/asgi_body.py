"""What is left of an HTTP request's body, for answers sent before it was read.

A server that answers early (a refusal) and closes the socket with request bytes still unread makes
the kernel reset the connection, which drops the answer still in flight: the client sees a reset, not
the 401 or 413. So the rest of the body is read and thrown away first, within bounds (`DRAIN_BYTES`,
`DRAIN_SECONDS`), before the answer's last message."""

from __future__ import annotations

import anyio
from starlette.types import Receive, Scope

DRAIN_BYTES = 16 * 1024 * 1024
DRAIN_SECONDS = 2.0


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def is_chunked(scope: Scope) -> bool:
    return "chunked" in (header(scope, b"transfer-encoding") or "").lower()


def body_pending(scope: Scope) -> bool:
    """The request has a body none of which was read. Not so for a client waiting for "100
    Continue" (reading would send it and invite the body)."""
    declared = header(scope, b"content-length") not in (None, "0") or is_chunked(scope)
    return declared and header(scope, b"expect") is None


async def drain_body(receive: Receive) -> bool:
    """Read the request's remaining body and drop it, within the bounds; True when it has ended."""
    drained = 0
    with anyio.move_on_after(DRAIN_SECONDS):
        while drained < DRAIN_BYTES:
            message = await receive()
            if message["type"] != "http.request":
                return True  # the client left
            drained += len(message.get("body", b""))
            if not message.get("more_body", False):
                return True
    return False
