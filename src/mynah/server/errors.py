"""The one place where errors become HTTP responses.

Every error body has OpenAI's shape, so the official client raises a typed error with our message:

    {"error": {"message": "...", "type": "invalid_request_error", "param": "voice", "code": "unknown_voice"}}

Some errors add fields beside those (`MynahError.details()`): malformed SSML carries `line` and `column`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

from mynah.errors import MynahError, Overloaded, RequestTimeout, Unauthorized

log = logging.getLogger(__name__)


def error_response(
    status: int,
    message: str,
    *,
    type_: str,
    code: str,
    param: str | None = None,
    details: dict[str, object] | None = None,
) -> JSONResponse:
    """`details` adds fields to the error object (an SSML error's `line` and `column`)."""
    body = {"error": {"message": message, "type": type_, "param": param, "code": code, **(details or {})}}
    return JSONResponse(body, status_code=status)


def error_headers(exc: MynahError) -> dict[str, str]:
    """Headers an error answer carries: the scheme to authenticate with for a 401, when to come back
    for a 503 from a full queue, and for a 408 (a body too slow) that the connection is closed."""
    if isinstance(exc, Unauthorized):
        return {"www-authenticate": WWW_AUTHENTICATE}
    if isinstance(exc, Overloaded):
        return {"retry-after": str(max(1, exc.retry_after))}
    if isinstance(exc, RequestTimeout):
        return {"connection": "close"}
    return {}


WWW_AUTHENTICATE = 'Bearer realm="mynah"'


def describe_validation_errors(errors: Sequence[Any]) -> tuple[str, str | None]:
    """Turn pydantic's error list into one sentence naming each field at fault."""
    parts: list[str] = []
    first_param: str | None = None
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "header", "form")]
        field = ".".join(loc) or "body"
        first_param = first_param or field
        message = str(error.get("msg", "invalid"))
        if error.get("type") == "missing":
            message = "field required"
        elif error.get("type") == "json_invalid":
            message = "request body is not valid JSON"
            field = "body"
        parts.append(f"{field}: {message}")
    return "; ".join(parts) or "invalid request", first_param


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app takes at this path (RFC 9110's Allow for a 405)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match is not Match.NONE or _path_matches(route, request):
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def _path_matches(route: Any, request: Request) -> bool:
    regex = getattr(route, "path_regex", None)
    return bool(regex is not None and regex.match(request.scope.get("path", "")))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(MynahError)
    async def _mynah(_: Request, exc: MynahError) -> JSONResponse:
        if exc.status_code == 503:  # busy, offline or an engine missing: it says what to do next
            log.warning("%s: %s", type(exc).__name__, exc.message)
        elif exc.status_code >= 500:
            log.error("%s: %s", type(exc).__name__, exc.message)
        response = error_response(
            exc.status_code,
            exc.message,
            type_=exc.type,
            code=exc.code,
            param=exc.param,
            details=exc.details(),
        )
        response.headers.update(error_headers(exc))
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        message, param = describe_validation_errors(exc.errors())
        return error_response(
            400, message, type_="invalid_request_error", code="invalid_request", param=param
        )

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        if isinstance(exc.__cause__, MynahError):  # e.g. the gate's 413, raised inside form parsing
            return await _mynah(request, exc.__cause__)
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}.get(
            exc.status_code, "error"
        )
        response = error_response(exc.status_code, str(exc.detail), type_="invalid_request_error", code=code)
        response.headers.update(exc.headers or {})
        if exc.status_code == 405:
            response.headers["allow"] = ", ".join(_allowed_methods(request))
        if exc.status_code == 401:
            response.headers["www-authenticate"] = WWW_AUTHENTICATE
        return response

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return error_response(500, "internal server error", type_="server_error", code="internal_error")
