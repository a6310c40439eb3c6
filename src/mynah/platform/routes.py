"""The platform's routes.

POST   /v1/mynah/keys            admin: make a key; the token is in this answer and never again
GET    /v1/mynah/keys            admin: every key (no tokens: prefixes only)
GET    /v1/mynah/keys/{id}       admin
DELETE /v1/mynah/keys/{id}       admin: revoke (the row stays, so usage still names it)
GET    /v1/mynah/usage           ?from=&to=&group_by=key|day|model|voice[&key_id=]: totals and cost;
                                 an admin sees every key, any other key its own usage
GET    /metrics                  Prometheus text format
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.concurrency import run_in_threadpool

from mynah.config import LimitSettings
from mynah.errors import EngineUnavailable, Forbidden
from mynah.platform.context import context_of
from mynah.platform.keys import ApiKey
from mynah.platform.metrics import CONTENT_TYPE
from mynah.platform.service import Platform
from mynah.platform.usage import parse_period

router = APIRouter()

ISO_MOMENT = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$"
"""`from` / `to` of the usage report: an ISO date or date-time (a number is not a moment, though
pydantic would read one as seconds since 1970). parse_period refuses impossible dates with a 400."""


Scope = Literal["speech", "transcription", "jobs", "voices", "admin"]
_DEFAULT_SCOPES: list[Scope] = ["speech", "transcription"]


class KeyDefaults(BaseModel):
    """What a key's requests get for the fields they leave out."""

    model_config = ConfigDict(extra="forbid", strict=True)  # `false` is not a sample rate

    voice: str | None = None
    model: str | None = None
    response_format: str | None = None
    sample_rate: int | None = None
    speed: float | None = Field(default=None, ge=0.25, le=4.0)
    loudness: float | None = Field(default=None, ge=-70.0, le=-5.0)


class KeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, pattern=r"\S")
    scopes: list[Scope] = Field(default_factory=lambda: _DEFAULT_SCOPES.copy(), min_length=1)
    expires_at: datetime | None = Field(default=None, description="A naive time is UTC")
    expires_in_days: float | None = Field(default=None, gt=0, le=36_500, description="At most 100 years")
    limits: LimitSettings = Field(default_factory=LimitSettings)
    defaults: KeyDefaults = Field(default_factory=KeyDefaults)

    @field_validator("expires_at", mode="before")
    @classmethod
    def _written_as_a_date_time(cls, value: object) -> object:
        if value is not None and not isinstance(value, str):  # 0 is not a moment, whatever 1970 says
            raise ValueError("expires_at is an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z")
        return value


def _platform(request: Request) -> Platform:
    platform: Platform | None = getattr(request.app.state, "platform", None)
    if platform is None:
        raise EngineUnavailable("the server is not started")
    return platform


def _caller(request: Request) -> ApiKey | None:
    ctx = context_of(request.scope)
    return ctx.key if ctx is not None else None


def _admin(request: Request) -> Platform:
    """Key management needs an admin key, even on a server that asks for none yet: the first key is
    made with `mynah keys create` or behind MYNAH_SERVER__API_KEY, never by an anonymous caller."""
    key = _caller(request)
    if key is None or not key.allows("admin"):
        raise Forbidden(
            "managing keys needs an admin key (make the first one with `mynah keys create --scope admin`, "
            "or set MYNAH_SERVER__API_KEY)",
            code="insufficient_scope",
        )
    return _platform(request)


@router.post("/v1/mynah/keys", status_code=201)
async def create_key(body: KeyRequest, request: Request) -> dict[str, Any]:
    platform = _admin(request)
    expires_in = None
    if body.expires_in_days is not None:
        from datetime import timedelta

        expires_in = timedelta(days=body.expires_in_days)
    expires_at = body.expires_at
    if expires_at is not None and expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=UTC)
    created = await run_in_threadpool(
        platform.keys.create,
        body.name,
        scopes=body.scopes,
        expires_at=expires_at,
        expires_in=expires_in,
        limits=body.limits,
        defaults=body.defaults.model_dump(exclude_none=True),
    )
    return {**created.key.as_json(), "key": created.token}


@router.get("/v1/mynah/keys")
async def list_keys(request: Request) -> dict[str, Any]:
    platform = _admin(request)
    keys = await run_in_threadpool(platform.keys.list)
    return {"object": "list", "data": [k.as_json() for k in keys]}


@router.get("/v1/mynah/keys/{key_id}")
async def get_key(key_id: str, request: Request) -> dict[str, Any]:
    platform = _admin(request)
    return (await run_in_threadpool(platform.keys.get, key_id)).as_json()


@router.delete("/v1/mynah/keys/{key_id}")
async def revoke_key(key_id: str, request: Request) -> dict[str, Any]:
    platform = _admin(request)
    return (await run_in_threadpool(platform.keys.revoke, key_id)).as_json()


@router.get("/v1/mynah/usage")
async def usage(
    request: Request,
    from_: Annotated[
        str | None, Query(alias="from", pattern=ISO_MOMENT, description="A UTC day or moment (ISO 8601)")
    ] = None,
    to: Annotated[
        str | None, Query(pattern=ISO_MOMENT, description="A UTC day (included) or moment (ISO 8601)")
    ] = None,
    group_by: Literal["key", "day", "model", "voice"] = "key",
    key_id: str | None = None,
) -> dict[str, Any]:
    platform = _platform(request)
    caller = _caller(request)
    if caller is not None and not caller.allows("admin"):
        key_id = caller.id  # a key sees its own usage only
    start = parse_period(from_, param="from")
    end = parse_period(to, param="to", end=True)
    return await run_in_threadpool(
        lambda: platform.meter.report(
            start, end, group_by=group_by, prices=platform.settings.platform.prices, key_id=key_id
        )
    )


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    platform = _platform(request)
    return Response(await run_in_threadpool(platform.scrape), media_type=CONTENT_TYPE)


@router.get("/v1/mynah/canary")
async def last_canary(request: Request) -> dict[str, Any]:
    platform = _admin(request)
    if platform.canary is None or platform.canary.last is None:
        from mynah.errors import NotFound

        raise NotFound("no canary report: enable MYNAH_PLATFORM__CANARY__ENABLED, or run `mynah canary`")
    return platform.canary.last.as_json()
