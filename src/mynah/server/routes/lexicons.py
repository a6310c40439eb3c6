"""Pronunciation lexicons (W3C PLS 1.0 or JSON), stored for speech requests to name in `lexicons`.

    PUT    /v1/lexicons/{name}    raw body: application/pls+xml, application/xml, text/xml or
                                  application/json (no type, or application/octet-stream: sniffed)
    POST   /v1/lexicons           multipart: `file`, and `name` (default: the file name without extension)
    GET    /v1/lexicons           every lexicon's summary
    GET    /v1/lexicons/{name}    summary and entries as JSON; `?raw=1` returns the document as uploaded
    DELETE /v1/lexicons/{name}

A PUT or POST answers 201 when it creates the lexicon and 200 when it replaces one. A document that
does not parse is a 400 naming the problem (with line and column), one over 5 MB a 413.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from mynah.errors import InvalidRequest, PayloadTooLarge
from mynah.runtime import Runtime
from mynah.server.deps import get_runtime, require_api_key
from mynah.store.lexicons import LexiconInfo, LexiconStore
from mynah.text.lexicon import MAX_LEXICON_BYTES, Lexicon, entry_json

router = APIRouter(dependencies=[Depends(require_api_key)])

# A body over the limit is still read (and thrown away) up to this much, so the client, which is
# usually still sending, gets the 413 rather than a broken pipe.
_DRAIN_LIMIT = 8 * MAX_LEXICON_BYTES


@router.put("/v1/lexicons/{name}", status_code=201)
async def put_lexicon(
    name: str, request: Request, response: Response, runtime: Runtime = Depends(get_runtime)
) -> dict[str, Any]:
    body = await _read_body(request)
    info = await run_in_threadpool(runtime.lexicons.put, name, body, request.headers.get("content-type"))
    return _stored(info, response)


@router.post("/v1/lexicons", status_code=201)
async def upload_lexicon(
    response: Response,
    file: UploadFile = File(description="A PLS (XML) or JSON lexicon"),
    name: str | None = Form(default=None, description="Defaults to the file name without extension"),
    runtime: Runtime = Depends(get_runtime),
) -> dict[str, Any]:
    if name is None:
        if not file.filename:
            raise InvalidRequest("give the lexicon a name (form field `name`)", param="name")
        name = PurePath(file.filename).stem
    content = await file.read(MAX_LEXICON_BYTES + 1)
    if len(content) > MAX_LEXICON_BYTES:
        raise _too_large(file.size)
    info = await run_in_threadpool(runtime.lexicons.put, name, content, file.content_type)
    return _stored(info, response)


@router.get("/v1/lexicons")
async def list_lexicons(runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    infos = await run_in_threadpool(runtime.lexicons.list)
    return {"object": "list", "data": [_summary(info) for info in infos]}


@router.get("/v1/lexicons/{name}", response_model=None)
async def get_lexicon(
    name: str, raw: bool = False, runtime: Runtime = Depends(get_runtime)
) -> dict[str, Any] | Response:
    if raw:
        content, content_type = await run_in_threadpool(runtime.lexicons.raw, name)
        return Response(content, headers={"content-type": content_type})
    info, lexicon = await run_in_threadpool(_info_and_lexicon, runtime.lexicons, name)
    return {**_summary(info), "entries": [entry_json(entry) for entry in lexicon.entries]}


@router.delete("/v1/lexicons/{name}")
async def delete_lexicon(name: str, runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    await run_in_threadpool(runtime.lexicons.delete, name)
    return {"object": "lexicon", "name": name, "deleted": True}


def _summary(info: LexiconInfo) -> dict[str, Any]:
    return {
        "object": "lexicon",
        "name": info.name,
        "format": info.format,
        "language": info.language,
        "entry_count": info.entries,
        "size": info.size,
        "content_type": info.content_type,
        "created_at": info.created_at.isoformat(),
        "updated_at": info.updated_at.isoformat(),
    }


def _stored(info: LexiconInfo, response: Response) -> dict[str, Any]:
    response.status_code = 201 if info.created_at == info.updated_at else 200
    return _summary(info)


def _info_and_lexicon(lexicons: LexiconStore, name: str) -> tuple[LexiconInfo, Lexicon]:
    return lexicons.info(name), lexicons.get(name)


async def _read_body(request: Request) -> bytes:
    body = bytearray()
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen <= MAX_LEXICON_BYTES:
            body += chunk
        elif seen > _DRAIN_LIMIT:
            break
    if seen > MAX_LEXICON_BYTES:
        raise _too_large(seen)
    return bytes(body)


def _too_large(size: int | None) -> PayloadTooLarge:
    got = f" is {size:,} bytes;" if size else " is too large:"
    return PayloadTooLarge(f"the lexicon{got} the limit is {MAX_LEXICON_BYTES:,} bytes", param="lexicon")
