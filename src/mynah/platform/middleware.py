"""The platform's gate: one pure ASGI middleware around the whole app.

For every HTTP request and WebSocket, before the app (or anything that reads the body) runs:

  1. a request id: the caller's `x-request-id` if sane, else a fresh one; it goes back in the
     response headers, in every log line made meanwhile, and into every JSON error body;
  2. the key (`Authenticator.authenticate`, from headers only): 401 / 403 go out at once, WITHOUT
     receiving a single byte of the body;
  3. the key's limits (`Limiter.admit`): 429 with `Retry-After` and `x-ratelimit-*` headers.

Then the app runs, and when the response has ended (completely, cut off, or the client gone) the
request is metered exactly once (`UsageMeter.record`) and the metrics observed.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mynah.asgi_body import body_pending, drain_body
from mynah.errors import MynahError, RateLimited, Unauthorized
from mynah.platform import context as request_context
from mynah.platform.context import SCOPE_KEY, RequestContext, new_request_id
from mynah.platform.keys import ANONYMOUS, NeedsDatabase

if TYPE_CHECKING:
    from mynah.platform.service import Platform

__all__ = ["PlatformMiddleware", "kind_of"]

log = logging.getLogger(__name__)
_BUFFER_ERRORS = 256 * 1024


def kind_of(need: str) -> str:
    return need if need in ("speech", "transcription") else "other"


class PlatformMiddleware:
    def __init__(self, app: ASGIApp, platform: Callable[[Scope], Platform | None]) -> None:
        self.app = app
        self.platform = platform

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        """A plain function handing on the coroutine to await: one frame less for every message
        of every request to pass through."""
        if scope["type"] not in ("http", "websocket"):
            return self.app(scope, receive, send)
        platform = self.platform(scope)
        if platform is None:  # the app is not started (no lifespan): nothing to check against
            return self.app(scope, receive, send)
        return self._serve(platform, scope, receive, send)

    async def _serve(self, platform: Platform, scope: Scope, receive: Receive, send: Send) -> None:
        ctx = RequestContext(request_id=new_request_id(scope))
        scope[SCOPE_KEY] = ctx
        token = request_context.enter(ctx)
        auth = platform.auth
        need = auth.need(scope)
        ctx.kind = kind_of(need)
        metered = ctx.kind != "other" and scope.get("method", "WS") in ("POST", "PUT", "WS")
        admission = None
        outcome = _Outcome()
        live = platform.metrics.live
        try:
            try:
                try:  # nearly always answered from memory, without a worker thread
                    ctx.key = auth.identify(scope, need, cached_only=True)
                except NeedsDatabase:
                    ctx.key = await anyio.to_thread.run_sync(auth.identify, scope, need)
                auth.authorize(need, ctx.key)
                if ctx.key is not None:
                    admission = await platform.run_limiter(
                        functools.partial(platform.limiter.admit, ctx.key, stream=metered, metered=metered)
                    )
                    ctx.extra_headers.update(admission.headers)
            except MynahError as exc:
                await _refuse(scope, receive, send, exc, ctx, outcome)
                return
            scope["mynah.authenticated"] = True
            scope["mynah.principal"] = ctx.key or ANONYMOUS  # the server's gate and deps see it checked
            live[ctx.kind] += 1
            if metered:
                live["streams"] += 1
            try:
                counted = (
                    functools.partial(_count_audio, platform, ctx, outcome) if ctx.key is not None else None
                )
                await self.app(scope, receive, _Sender(send, ctx, outcome, before_last=counted))
            finally:
                live[ctx.kind] -= 1
                if metered:
                    live["streams"] -= 1
        except BaseException:
            if outcome.status is None:
                outcome.status = 500
            raise
        finally:
            if admission is not None and admission.holds:
                await platform.run_limiter(admission.release)
            try:
                platform.finish(ctx, scope, outcome.status or 499, outcome.first_byte, outcome.headers)
            except Exception:  # metering must never break a response
                log.exception("metering failed for request %s", ctx.request_id)
            request_context.leave(token)


async def _count_audio(platform: Platform, ctx: RequestContext, outcome: _Outcome) -> None:
    try:
        await platform.run_limiter(
            functools.partial(platform.count_audio, ctx, outcome.status or 200, outcome.headers)
        )
    except Exception:  # metering must never break a response
        log.exception("audio metering failed for request %s", ctx.request_id)


class _Outcome:
    def __init__(self) -> None:
        self.status: int | None = None
        self.first_byte: float | None = None
        self.headers: dict[str, str] = {}


class _Sender:
    """Wraps `send`: adds the request id and limit headers, puts the request id into JSON error
    bodies, and notes the status, the response headers and when the first body byte left."""

    def __init__(
        self,
        send: Send,
        ctx: RequestContext,
        outcome: _Outcome,
        before_last: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._send = send
        self._before_last = before_last
        self._ctx = ctx
        self._outcome = outcome
        self._held: Message | None = None
        self._body: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.body" and self._held is None:  # the common case, first
            if self._outcome.first_byte is None and message.get("body"):
                self._outcome.first_byte = time.perf_counter()
            if self._before_last is not None and not message.get("more_body", False):
                await self._before_last()
        elif kind in ("http.response.start", "websocket.http.response.start"):
            message = self._start(message)
            if self._outcome.status >= 400 and _is_small_json(self._outcome.headers):  # type: ignore[operator]
                self._held = message
                return
        elif kind in ("http.response.body", "websocket.http.response.body"):
            if self._outcome.first_byte is None and message.get("body"):
                self._outcome.first_byte = time.perf_counter()
            if self._held is not None:
                self._body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                start, self._held = self._held, None
                body = _with_request_id(b"".join(self._body), self._ctx.request_id)
                start["headers"] = [(k, v) for k, v in start["headers"] if k != b"content-length"]
                start["headers"].append((b"content-length", str(len(body)).encode()))
                await self._send(start)
                message = {**message, "body": body}
            if self._before_last is not None and not message.get("more_body", False):
                await self._before_last()
        elif kind == "websocket.accept":
            self._outcome.status = 101
            self._outcome.first_byte = time.perf_counter()
        elif kind == "websocket.close" and self._outcome.status is None:
            self._outcome.status = 403
        await self._send(message)

    def _start(self, message: Message) -> Message:
        """The response's start with the request id and limit headers added; its own headers noted."""
        self._outcome.status = int(message["status"])
        headers = [(k, v) for k, v in message.get("headers", ()) if k != b"x-request-id"]
        seen = self._outcome.headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in headers}
        headers.append((b"x-request-id", self._ctx.request_id.encode("latin-1")))
        headers += [
            (k.encode("latin-1"), v.encode("latin-1"))
            for k, v in self._ctx.extra_headers.items()
            if k not in seen
        ]
        return {**message, "headers": headers}


def _is_small_json(headers: dict[str, str]) -> bool:
    length = headers.get("content-length", "")
    return headers.get("content-type", "").startswith("application/json") and (
        not length.isdigit() or int(length) <= _BUFFER_ERRORS
    )


def _with_request_id(body: bytes, request_id: str) -> bytes:
    try:
        document = json.loads(body)
    except ValueError:
        return body
    if isinstance(document, dict) and isinstance(document.get("error"), dict):
        document["error"]["request_id"] = request_id
        return json.dumps(document, ensure_ascii=False).encode("utf-8")
    return body


def error_body(exc: MynahError, request_id: str) -> dict[str, Any]:
    return {
        "error": {
            "message": exc.message,
            "type": exc.type,
            "param": exc.param,
            "code": exc.code,
            "request_id": request_id,
        }
    }


async def _refuse(
    scope: Scope, receive: Receive, send: Send, exc: MynahError, ctx: RequestContext, outcome: _Outcome
) -> None:
    """Answer with the error at once, then read away what the client is still sending (within the
    gate's drain bounds) before the last message: closing a socket with unread data in it resets the
    connection, which drops the answer still in flight, so the client would see a reset instead of
    the 401. The connection is closed after the answer either way."""
    outcome.status = exc.status_code
    headers = {"content-type": "application/json", "x-request-id": ctx.request_id}
    if isinstance(exc, Unauthorized):
        headers["www-authenticate"] = (
            f'Bearer realm="mynah", error="invalid_token", error_description="{exc.code}"'
        )
    if isinstance(exc, RateLimited):
        headers.update(exc.headers)
    body = json.dumps(error_body(exc, ctx.request_id), ensure_ascii=False).encode("utf-8")
    log.info("refused %s %s: %s %s", scope.get("method", "WS"), scope["path"], exc.status_code, exc.code)
    if scope["type"] == "websocket":
        await receive()  # websocket.connect: a handshake, not body data
        if "websocket.http.response" in scope.get("extensions", {}):
            raw = [(k.encode(), v.encode()) for k, v in headers.items()]
            raw.append((b"content-length", str(len(body)).encode()))
            await send({"type": "websocket.http.response.start", "status": exc.status_code, "headers": raw})
            await send({"type": "websocket.http.response.body", "body": body})
        else:
            await send({"type": "websocket.close", "code": 1008, "reason": exc.message[:120]})
        return
    headers["connection"] = "close"
    headers["content-length"] = str(len(body))
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    pending = body_pending(scope)
    await send({"type": "http.response.start", "status": exc.status_code, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": pending})
    if pending:
        await drain_body(receive)
        await send({"type": "http.response.body", "body": b"", "more_body": False})
