"""POST /v1/audio/transcriptions and /v1/audio/translations — OpenAI's speech-to-text routes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from mynah.errors import InvalidRequest
from mynah.runtime import Runtime
from mynah.server.deps import get_runtime, require_api_key
from mynah.stt.formats import MEDIA_TYPES, TranscriptFormat, parse_transcript_format, render

router = APIRouter(dependencies=[Depends(require_api_key)])

_READ_BLOCK = 1024 * 1024
GRANULARITIES = ("word", "segment")


async def read_upload(upload: UploadFile, runtime: Runtime) -> bytes:
    """Read an upload, refusing it as soon as it passes the size limit."""
    limit = runtime.settings.stt.max_upload_bytes
    parts: list[bytes] = []
    size = 0
    while block := await upload.read(_READ_BLOCK):
        size += len(block)
        if size > limit:
            runtime.transcription.check_upload_size(size)
        parts.append(block)
    runtime.transcription.check_upload_size(size)
    return b"".join(parts)


def _granularities(values: list[str] | None) -> tuple[str, ...]:
    chosen = tuple(v.strip().lower() for v in values or () if v.strip())
    for value in chosen:
        if value not in GRANULARITIES:
            raise InvalidRequest(
                f"unknown timestamp granularity {value!r}; use word and/or segment",
                param="timestamp_granularities",
            )
    return chosen or ("segment",)


async def _transcribe(
    runtime: Runtime,
    *,
    task: str,
    file: UploadFile,
    model: str,
    language: str | None,
    prompt: str | None,
    response_format: str | None,
    granularities: list[str] | None,
) -> Response:
    fmt = parse_transcript_format(response_format)
    chosen = _granularities(granularities)
    resolved = runtime.transcription.resolve_model(model)
    data = await read_upload(file, runtime)
    result = await run_in_threadpool(
        runtime.transcription.transcribe,
        data,
        resolved=resolved,
        language=language,
        prompt=prompt,
        task=task,
        word_timestamps="word" in chosen or fmt is not TranscriptFormat.json,
    )
    headers = {"x-mynah-engine": resolved.engine.name, "x-mynah-model": resolved.model.id}
    if resolved.skipped:
        headers["x-mynah-fallback"] = "; ".join(resolved.skipped)[:1000]
    body: str | dict[str, Any] = render(result.transcription, fmt, granularities=chosen, task=task)
    if isinstance(body, dict):
        return JSONResponse(body, headers=headers)
    return PlainTextResponse(body, media_type=MEDIA_TYPES[fmt], headers=headers)


@router.post("/v1/audio/transcriptions")
async def create_transcription(
    file: UploadFile = File(..., description="The audio: any format ffmpeg reads"),
    model: str = Form(...),
    language: str | None = Form(None),
    prompt: str | None = Form(None),
    response_format: str | None = Form("json"),
    temperature: float | None = Form(None),
    timestamp_granularities: list[str] | None = Form(None, alias="timestamp_granularities[]"),
    runtime: Runtime = Depends(get_runtime),
) -> Response:
    return await _transcribe(
        runtime,
        task="transcribe",
        file=file,
        model=model,
        language=language,
        prompt=prompt,
        response_format=response_format,
        granularities=timestamp_granularities,
    )


@router.post("/v1/audio/translations")
async def create_translation(
    file: UploadFile = File(...),
    model: str = Form(...),
    prompt: str | None = Form(None),
    response_format: str | None = Form("json"),
    temperature: float | None = Form(None),
    runtime: Runtime = Depends(get_runtime),
) -> Response:
    return await _transcribe(
        runtime,
        task="translate",
        file=file,
        model=model,
        language=None,
        prompt=prompt,
        response_format=response_format,
        granularities=None,
    )
