"""FastAPI dependencies shared by the routers."""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request

from mynah.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def require_api_key(request: Request) -> None:
    """When the server has an API key, /v1 routes want it as a bearer token."""
    if request.scope.get("mynah.authenticated"):
        return  # the platform's gate checked the key (stored keys and this one) before the body
    runtime = get_runtime(request)
    key = runtime.settings.server.api_key
    if key is None:
        return
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(token.strip(), key.get_secret_value()):
        raise HTTPException(status_code=401, detail="missing or wrong API key (Authorization: Bearer ...)")
