"""What every WebSocket route shares: the key check, message limits, idle timeout, and how an error
ends a socket.

A socket's error is a JSON event in the route's own shape, then a close code that says the same as
the HTTP status the error maps to: 4000 + status (4400 bad request, 4401 missing key, 4404 unknown
model, 4408 idle for too long, 4413 message or text too large, 4500 server error, 4503 an engine
that cannot load). Frames larger than uvicorn's own limit (`--ws-max-size`, 16 MiB) are refused by
the protocol layer with 1009.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any

from fastapi import FastAPI, WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from mynah.errors import InvalidRequest, MynahError, PayloadTooLarge, Unauthorized
from mynah.platform.auth import SUBPROTOCOL
from mynah.realtime.hub import Realtime
from mynah.server.errors import error_response
from mynah.server.gate import authenticate

__all__ = ["ClientGone", "IdleTimeout", "Socket", "close_code", "realtime_lifespan"]


class ClientGone(Exception):
    """The client closed the socket (or the connection dropped)."""


class IdleTimeout(InvalidRequest):
    status_code = 408
    code = "idle_timeout"


def close_code(exc: MynahError) -> int:
    return 4000 + exc.status_code


def hub(app: Any) -> Realtime:
    """The app's realtime hub, built on first use (closed by `realtime_lifespan`)."""
    state = app.state
    found: Realtime | None = getattr(state, "realtime", None)
    if found is None or found.runtime is not state.runtime:
        found = state.realtime = Realtime(state.runtime)
    return found


@asynccontextmanager
async def realtime_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Router lifespan: close the hub (its threads) at shutdown, if a socket built one."""
    try:
        yield
    finally:
        found: Realtime | None = getattr(app.state, "realtime", None)
        app.state.realtime = None
        if found is not None:
            await asyncio.to_thread(found.close)


ErrorShape = Callable[[MynahError], dict[str, Any]]


def default_error(exc: MynahError) -> dict[str, Any]:
    return {
        "type": "error",
        "error": {"message": exc.message, "type": exc.type, "code": exc.code, "param": exc.param},
    }


class Socket:
    """A WebSocket with the limits of `MYNAH_REALTIME__*` and one lock around sending."""

    def __init__(self, websocket: WebSocket, error_shape: ErrorShape = default_error) -> None:
        self.ws = websocket
        self.hub = hub(websocket.app)
        self.settings = self.hub.settings
        self._error_shape = error_shape
        self._send = asyncio.Lock()

    async def accept(self) -> bool:
        """Check the API key with the HTTP routes' one check (`mynah.server.gate.authenticate`), then
        accept. A refused client gets the 401 with its JSON error body where the server can send
        one, else close code 4401. The handshake carries no body, so the gate's budgets do not apply."""
        try:
            self.ws.scope["mynah.principal"] = authenticate(self.ws.scope, self.hub.runtime.settings)
        except Unauthorized as exc:
            if "websocket.http.response" in self.ws.scope.get("extensions", {}):
                await self.ws.send_denial_response(
                    error_response(exc.status_code, exc.message, type_=exc.type, code=exc.code)
                )
            else:
                await self.ws.close(code=close_code(exc), reason=exc.message[:120])
            return False
        offered = self.ws.scope.get("subprotocols") or []
        await self.ws.accept(subprotocol=SUBPROTOCOL if SUBPROTOCOL in offered else None)
        return True

    async def receive(
        self, timeout: float | None = None, busy: Callable[[], bool] | None = None
    ) -> str | bytes:
        """The next message; raises ClientGone, IdleTimeout, or PayloadTooLarge for one too large.
        The idle clock does not run while `busy()` says the server still has output to send."""
        limit = timeout or self.settings.idle_timeout
        pending = asyncio.ensure_future(self.ws.receive())
        try:
            while True:
                done, _ = await asyncio.wait([pending], timeout=limit)
                if done:
                    message = pending.result()
                    break
                if busy is None or not busy():
                    raise IdleTimeout(f"no message for {limit:g} s; closing the idle socket")
        finally:
            if not pending.done():
                pending.cancel()
        if message["type"] == "websocket.disconnect":
            raise ClientGone
        data: str | bytes | None = message.get("text")
        if data is None:
            data = message.get("bytes") or b""
        if len(data) > self.settings.max_message_bytes:
            raise PayloadTooLarge(
                f"a message of {len(data):,} {'characters' if isinstance(data, str) else 'bytes'} is over "
                f"the limit of {self.settings.max_message_bytes:,}",
                param="message",
            )
        return data

    async def receive_json(
        self, timeout: float | None = None, busy: Callable[[], bool] | None = None
    ) -> dict[str, Any]:
        """The next message as a JSON object; binary or malformed messages are InvalidRequest."""
        data = await self.receive(timeout, busy)
        return parse_json(data)

    async def send_json(self, body: dict[str, Any]) -> None:
        await self.send_text(json.dumps(body, ensure_ascii=False))

    async def send_text(self, text: str) -> None:
        async with self._send:
            try:
                await self.ws.send_text(text)
            except (WebSocketDisconnect, RuntimeError, OSError):
                raise ClientGone from None

    async def send_bytes(self, data: bytes) -> None:
        async with self._send:
            try:
                await self.ws.send_bytes(data)
            except (WebSocketDisconnect, RuntimeError, OSError):
                raise ClientGone from None

    async def fail(self, exc: MynahError) -> None:
        """Tell the client what was wrong, in the route's shape, and close with the matching code."""
        try:
            await self.send_json(self._error_shape(exc))
            await self.close(close_code(exc), exc.message)
        except ClientGone:
            pass

    async def close(self, code: int = 1000, reason: str = "") -> None:
        if self.ws.client_state is WebSocketState.CONNECTED:
            async with self._send:
                with suppress(RuntimeError, OSError):
                    await self.ws.close(code=code, reason=reason[:120])


def parse_json(data: str | bytes) -> dict[str, Any]:
    if isinstance(data, bytes):
        raise InvalidRequest("expected a JSON text message here, got binary data", param="message")
    try:
        body = json.loads(data)
    except ValueError as exc:
        raise InvalidRequest(f"message is not valid JSON: {exc}", param="message") from None
    if not isinstance(body, dict):
        raise InvalidRequest("message must be a JSON object", param="message")
    return body


async def run_both(reader: Callable[[], Any], writer: Callable[[], Any]) -> None:
    """Run a socket's reading and writing sides until either ends; the other is cancelled and
    awaited, so nothing of the stream outlives the socket."""
    tasks = [asyncio.ensure_future(reader()), asyncio.ensure_future(writer())]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        results = await asyncio.gather(*tasks, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, ClientGone | asyncio.CancelledError):
            raise result
