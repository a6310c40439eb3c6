"""The gate every HTTP request passes before FastAPI sees it: the key first, then the body budget.

    request ──authenticate(scope)──> 401 + WWW-Authenticate     (no byte of the body read)
            ──declared Content-Length over the route's budget──> 413   (no byte read)
            ──body streamed through a counter──> 413 the moment it passes the budget, chunked or not
            ──body not all there within server.body_timeout_seconds──> 408, connection closed
            ──a JSON body: checked as text (mynah.server.textcheck)──> 400 naming the field
            ──> the app

It is a pure ASGI layer, so it runs before Starlette buffers a JSON body or spools a multipart upload
to disk: a request without a valid key, or bigger than its route allows, costs the server at most one
receive buffer. A refused body that is still arriving is drained (read and thrown away, at most
mynah.asgi_body's `DRAIN_BYTES` or `DRAIN_SECONDS`) before the refusal is finished, so a client that writes its whole
body before it reads sees the 413 rather than a reset connection. A body that is too slow (a client
trickling a byte now and then holds a connection and a worker's wait for ever) is not drained: the
408 says `Connection: close` and the server closes the connection once it is sent.

Budgets, by route (settings in `mynah.config`):

    uploads (/v1/audio/transcriptions, translations, Pulse, WhisperAPI, transcription jobs)
                                                                        stt.max_upload_bytes + 1 MiB
    lexicons (/v1/lexicons...)                                          the lexicon limit + 64 KiB
    everything else                                                      server.max_body_bytes
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mynah.asgi_body import body_pending, drain_body, header
from mynah.config import Settings
from mynah.errors import MynahError, PayloadTooLarge, RequestTimeout, Unauthorized
from mynah.platform.auth import token_of
from mynah.server.errors import error_headers, error_response
from mynah.server.textcheck import check_json_body
from mynah.text.lexicon import MAX_LEXICON_BYTES

__all__ = [
    "KEYLESS_PATHS",
    "PUBLIC_PATHS",
    "BodyGate",
    "Principal",
    "Unauthorized",
    "authenticate",
    "is_public",
]

PUBLIC_PATHS = frozenset({"/", "/health", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"})
"""Paths anyone may call: no key is asked for, and they take no body."""
KEYLESS_PATHS = frozenset({"/v1/mynah/consent/revoke"})
"""Paths that take a body but no key: a speaker withdrawing consent with the revocation token they
were given (mynah.server.routes.voices); the token is the credential."""
PUBLIC_PREFIXES = ("/web/",)
"""The playground's static modules and styles: they hold no data, and the page must load to ask for
the key."""


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


UPLOAD_PREFIXES = (
    "/v1/audio/transcriptions",
    "/v1/audio/translations",
    "/api/v1/pulse/",
    "/api/v1/lightning/",
    "/whisperapi",
    "/v1/mynah/jobs/transcriptions",
)
LEXICON_PREFIX = "/v1/lexicons"
UPLOAD_SLACK = 1024 * 1024
"""Room for multipart framing and the form fields around the largest upload allowed."""
LEXICON_SLACK = 64 * 1024


@dataclass(frozen=True)
class Principal:
    """Who a request speaks for. With the single configured key every caller is `api-key`; without
    a key configured, `anonymous`."""

    name: str


def authenticate(scope: Scope, settings: Settings) -> Principal:
    """The principal behind an HTTP request, from its headers alone; `Unauthorized` when the server
    has a key (`MYNAH_SERVER__API_KEY`) and the request does not carry it as `Authorization: Bearer`.

    This is the ONE place a key is checked, and it runs before any of the body is read. It is meant
    to be replaced (a key store with hashed keys and scopes): anything that returns a `Principal`
    or raises `Unauthorized` from the scope fits the gate unchanged."""
    key = settings.server.api_key
    if key is None:
        return Principal("anonymous")
    token = token_of(scope)  # the header, or on a browser's WebSocket the `mynah-key.` subprotocol
    if token is None or not secrets.compare_digest(
        token.encode("utf-8", "surrogateescape"), key.get_secret_value().encode("utf-8")
    ):
        raise Unauthorized("missing or wrong API key (Authorization: Bearer ...)")
    return Principal("api-key")


@dataclass(frozen=True)
class Budget:
    bytes: int
    setting: str
    """What sets it, for the error message."""


def body_budget(path: str, settings: Settings) -> Budget:
    """The most bytes a request to `path` may send (see the module docstring)."""
    if path.startswith(UPLOAD_PREFIXES):
        return Budget(settings.stt.max_upload_bytes + UPLOAD_SLACK, "MYNAH_STT__MAX_UPLOAD_BYTES + 1 MiB")
    if path.startswith(LEXICON_PREFIX):
        return Budget(MAX_LEXICON_BYTES + LEXICON_SLACK, "the lexicon limit + 64 KiB")
    return Budget(settings.server.max_body_bytes, "MYNAH_SERVER__MAX_BODY_BYTES")


class BodyGate:
    """The ASGI layer described in the module docstring."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        try:
            if not is_public(path) and path not in KEYLESS_PATHS and "mynah.principal" not in scope:
                scope["mynah.principal"] = authenticate(scope, self.settings)  # may have checked it
            budget = body_budget(path, self.settings)
            declared = header(scope, b"content-length")
            if declared is not None and declared.strip().isdigit() and int(declared) > budget.bytes:
                raise _too_large(f"the request body is {int(declared):,} bytes", budget)
        except MynahError as exc:
            await _refuse(exc, scope, unread_body(scope, receive), send)
            return
        deadline = anyio.current_time() + self.settings.server.body_timeout_seconds
        body = _CountedBody(receive, budget, deadline)
        if _is_json(scope) and scope.get("method") in ("POST", "PUT", "PATCH"):
            try:
                data = await body.read_all()
                check_json_body(data)
            except MynahError as exc:
                await _refuse(exc, scope, body, send)
                return
            body = _CountedBody(_replay(data, body.receive), budget)  # all there: no deadline
        await self.app(scope, body.receive, _Drainer(send, body).send)


class _CountedBody:
    """`receive`, counting body bytes: past `budget` it raises PayloadTooLarge (a 413 from the error
    handler) instead of handing the bytes on."""

    def __init__(self, receive: Receive, budget: Budget, deadline: float | None = None) -> None:
        self._receive = receive
        self.budget = budget
        self.deadline = deadline
        """When the whole body must have arrived (anyio's clock); None: no bound."""
        self.seen = 0
        self.done = False
        self.over = False

    async def receive(self) -> Message:
        if self.over:
            raise _too_large("the request body is larger", self.budget)
        if self.done or self.deadline is None:  # past the body: a disconnect, whenever it comes
            message = await self._receive()
        else:
            with anyio.move_on_after(max(0.0, self.deadline - anyio.current_time())) as waiting:
                message = await self._receive()
            if waiting.cancelled_caught:
                self.done = True  # nothing more is read: the connection closes after the 408
                raise RequestTimeout(
                    f"the request body did not arrive in time ({self.seen:,} bytes came); a whole body "
                    "must arrive within MYNAH_SERVER__BODY_TIMEOUT_SECONDS of the request's headers",
                    param="body",
                )
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            self.done = not message.get("more_body", False)
            if self.seen > self.budget.bytes:
                self.over = True
                raise _too_large(f"the request body passed {self.budget.bytes:,} bytes", self.budget)
        elif message["type"] == "http.disconnect":
            self.done = True
        return message

    async def read_all(self) -> bytes:
        parts: list[bytes] = []
        while not self.done:
            message = await self.receive()
            parts.append(message.get("body", b""))
        return b"".join(parts)

    async def drain(self) -> None:
        """Read what the client is still sending and throw it away, within the drain bounds."""
        if not self.done:
            self.done = await drain_body(self._receive)


class _Drainer:
    """`send`, which drains an unread request body before the response's last message goes out."""

    def __init__(self, send: Send, body: _CountedBody) -> None:
        self._send = send
        self._body = body

    async def send(self, message: Message) -> None:
        last = message["type"] == "http.response.body" and not message.get("more_body", False)
        if last and not self._body.done:
            await self._send({**message, "more_body": True})
            await self._body.drain()
            await self._send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        await self._send(message)


def _replay(data: bytes, receive: Receive) -> Receive:
    """A `receive` that gives `data` as the whole body, then passes on to `receive` (disconnects)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": data, "more_body": False}
        return await receive()

    return replay


def unread_body(scope: Scope, receive: Receive) -> _CountedBody:
    """The body of a request refused before any of it was read (its `drain()` reads it away)."""
    body = _CountedBody(receive, Budget(0, "refused"))
    body.done = not body_pending(scope)
    return body


async def _refuse(exc: MynahError, scope: Scope, body: _CountedBody, send: Send) -> None:
    response = error_response(exc.status_code, exc.message, type_=exc.type, code=exc.code, param=exc.param)
    response.headers.update(error_headers(exc))
    await response(scope, body.receive, _Drainer(send, body).send)


def _too_large(what: str, budget: Budget) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"{what}; the body limit of this route is {budget.bytes:,} bytes ({budget.setting})",
        param="body",
        code="body_too_large",
    )


def _is_json(scope: Scope) -> bool:
    kind = (header(scope, b"content-type") or "").split(";")[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")
