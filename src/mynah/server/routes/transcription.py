"""Speech-to-text routes, in the shapes clients already code against.

POST /v1/audio/transcriptions    OpenAI's multipart form (+ url, diarize, num_speakers, hotwords, ...)
POST /v1/audio/translations      OpenAI's route; a clear 400 while no engine here can translate
POST /api/v1/pulse/get_text      Pulse-style: raw audio body or JSON {"url"}; query parameters
                                 language, word_timestamps, diarize; transcription/words/utterances;
                                 with webhook_url (+ webhook_extra) a job delivered there (also at
                                 /waves/v1/pulse/get_text)
POST /whisperapi                 WhisperAPI-style multipart form: file or url, fileType, diarization,
                                 numSpeakers, initialPrompt, language, task; with callbackURL a job
                                 (202 at once, the result POSTed there when done)

Each route: parse its own fields -> `TranscriptionService.prepare` in a worker thread (model resolved,
every option checked) -> read the upload (size limit as it streams) -> `transcribe` in a worker thread
-> render. Nothing that can touch the disk or the network runs on the event loop.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from mynah.cancel import Budget
from mynah.errors import InvalidRequest, UnsupportedMediaType
from mynah.runtime import Runtime
from mynah.server.admission import Admissions
from mynah.server.deps import admissions_of, get_runtime, require_api_key
from mynah.server.disconnect import run_until_disconnect
from mynah.server.finishing import (
    FORMAT_HELP,
    REDACT_HELP,
    REVIEW_HELP,
    add_finishing,
    finishing_headers,
    queue_for_review,
    redaction,
    review_flag,
    text_format,
)
from mynah.server.headers import fallback_header
from mynah.stt.formats import (
    MEDIA_TYPES,
    parse_transcript_format,
    pulse_json,
    render,
    whisperapi_json,
)
from mynah.stt.service import PreparedTranscription, TranscribeOptions, TranscriptResult

router = APIRouter(dependencies=[Depends(require_api_key)])
log = logging.getLogger(__name__)

_READ_BLOCK = 1024 * 1024
GRANULARITIES = ("word", "segment")


async def read_upload(upload: UploadFile, runtime: Runtime) -> bytes:
    """Read an upload, refusing it as soon as it passes the size limit."""
    limit = runtime.settings.stt.max_upload_bytes
    if upload.size is not None:  # the multipart parser knows the whole size: the message quotes it
        runtime.transcription.check_upload_size(upload.size)
    parts: list[bytes] = []
    size = 0
    while block := await upload.read(_READ_BLOCK):
        size += len(block)
        if size > limit:
            runtime.transcription.check_upload_size(size)
        parts.append(block)
    runtime.transcription.check_upload_size(size)
    return b"".join(parts)


async def fetch_audio(url: str, runtime: Runtime, *, param: str = "url") -> bytes:
    """Download audio from a URL with the SSRF protections and the upload size limit."""
    from mynah.net.fetch import fetch_url

    net = runtime.settings.net
    fetched = await run_in_threadpool(
        fetch_url,
        url.strip(),
        max_bytes=runtime.settings.stt.max_upload_bytes,
        timeout=net.fetch_timeout,
        max_redirects=net.max_redirects,
        allow_private=net.allow_private_urls,
        param=param,
    )
    runtime.transcription.check_upload_size(len(fetched.data))
    return fetched.data


async def audio_input(upload: UploadFile | None, url: str | None, runtime: Runtime) -> bytes:
    if upload is not None and url:
        raise InvalidRequest("send a file or a url, not both", param="url")
    if upload is not None:
        return await read_upload(upload, runtime)
    if url:
        return await fetch_audio(url, runtime)
    raise InvalidRequest("file: field required (or give a url)", param="file")


def _granularities(values: list[str] | None) -> tuple[str, ...]:
    chosen = tuple(v.strip().lower() for v in values or () if v.strip())
    for value in chosen:
        if value not in GRANULARITIES:
            raise InvalidRequest(
                f"unknown timestamp granularity {value!r}; use word and/or segment",
                param="timestamp_granularities",
            )
    return chosen or ("segment",)


def _hotwords(value: str | None) -> tuple[str, ...]:
    return tuple(w.strip() for w in (value or "").replace("\n", ",").split(",") if w.strip())


def _admissions(request: Request) -> Admissions:
    return admissions_of(request)


async def _prepare(runtime: Runtime, model: str | None, options: TranscribeOptions) -> PreparedTranscription:
    return await run_in_threadpool(runtime.transcription.prepare, model, options)


async def _run(
    request: Request, runtime: Runtime, data: bytes, prepared: PreparedTranscription
) -> TranscriptResult:
    """The transcription in a worker thread, cancelled when the client disconnects or its time budget
    is spent."""
    budget = Budget(runtime.settings.stt.max_work_seconds, "MYNAH_STT__MAX_WORK_SECONDS", "the transcription")
    return await run_until_disconnect(
        request.receive, runtime.transcription.transcribe, data, prepared, budget=budget
    )


def _headers(result: TranscriptResult) -> dict[str, str]:
    """What served: for a cache hit, what served the original (and the fallback it took then)."""
    headers = {
        "x-mynah-engine": result.engine,
        "x-mynah-model": result.model,
        "x-mynah-audio-seconds": f"{result.transcription.duration:.3f}",
    }
    if (fallback := fallback_header(result.skipped)) is not None:
        headers["x-mynah-fallback"] = fallback
        log.info("served by %s, passing over: %s", result.model, "; ".join(result.skipped))
    if result.cached:
        headers["x-mynah-cache"] = "hit"
    if result.replica is not None:
        headers["x-mynah-replica"] = result.replica
    return headers


async def _openai(
    request: Request,
    runtime: Runtime,
    *,
    file: UploadFile | None,
    url: str | None,
    model: str,
    response_format: str | None,
    granularities: list[str] | None,
    options: TranscribeOptions,
) -> Response:
    fmt = parse_transcript_format(response_format)
    chosen = _granularities(granularities)
    if options.redact_audio and fmt.value not in ("json", "verbose_json", "diarized_json"):
        raise InvalidRequest(
            "redact_audio returns the recording inside a JSON response: use response_format json or "
            "verbose_json (or a job, GET /v1/mynah/jobs/{id}/redacted-audio)",
            param="redact_audio",
        )
    async with _admissions(request).transcription.slot():
        prepared = await _prepare(runtime, model, options)
        data = await audio_input(file, url, runtime)
        result = await _run(request, runtime, data, prepared)
    threshold = runtime.settings.stt.low_confidence
    queued = await queue_for_review(request, runtime, result, prepared)
    body = render(
        result.transcription, fmt, granularities=chosen, task=prepared.options.task, low_confidence=threshold
    )
    headers = finishing_headers(_headers(result), result, queued)
    if isinstance(body, dict):
        add_finishing(body, result, queued)
        body["model"] = result.model
        if result.skipped:
            body["fallback"] = list(result.skipped)
        return JSONResponse(body, headers=headers)
    return PlainTextResponse(body, media_type=MEDIA_TYPES[fmt], headers=headers)


@router.post("/v1/audio/transcriptions")
async def create_transcription(
    request: Request,
    file: UploadFile | None = File(None, description="The audio: any format ffmpeg reads"),
    model: str = Form(...),
    language: str | None = Form(None),
    prompt: str | None = Form(None),
    response_format: str | None = Form("json"),
    temperature: float | None = Form(None),
    timestamp_granularities: list[str] | None = Form(None, alias="timestamp_granularities[]"),
    url: str | None = Form(None, description="Fetch the audio from here instead of an upload"),
    hotwords: str | None = Form(None, description="Comma-separated words to favour"),
    diarize: bool = Form(False),
    num_speakers: int | None = Form(None),
    min_speakers: int | None = Form(None),
    max_speakers: int | None = Form(None),
    channels: str = Form("auto", description="auto, mix or split (one speaker per stereo channel)"),
    format: str | None = Form(None, description=FORMAT_HELP),
    redact: str | None = Form(None, description=REDACT_HELP),
    redact_policy: str | None = Form(None, description="label ([PHONE_NUMBER]), mask (****) or hash"),
    redact_audio: bool = Form(False, description="Also return the recording with redacted spans bleeped"),
    redact_audio_fill: str | None = Form(None, description="silence (default) or tone"),
    review: bool = Form(False, description=REVIEW_HELP),
    runtime: Runtime = Depends(get_runtime),
) -> Response:
    options = TranscribeOptions(
        format=text_format(format),
        review=review,
        **redaction(redact, redact_policy, redact_audio, redact_audio_fill),
        language=language,
        prompt=prompt,
        hotwords=_hotwords(hotwords),
        diarize=diarize or response_format == "diarized_json",
        num_speakers=num_speakers,
        min_speakers=min_speakers,
        max_speakers=max_speakers,
        channels=channels,  # type: ignore[arg-type]  # checked by the service
    )
    return await _openai(
        request,
        runtime,
        file=file,
        url=url,
        model=model,
        response_format=response_format,
        granularities=timestamp_granularities,
        options=options,
    )


@router.post("/v1/audio/translations")
async def create_translation(
    request: Request,
    file: UploadFile | None = File(None),
    model: str = Form(...),
    prompt: str | None = Form(None),
    response_format: str | None = Form("json"),
    temperature: float | None = Form(None),
    url: str | None = Form(None),
    runtime: Runtime = Depends(get_runtime),
) -> Response:
    return await _openai(
        request,
        runtime,
        file=file,
        url=url,
        model=model,
        response_format=response_format,
        granularities=None,
        options=TranscribeOptions(prompt=prompt, task="translate"),
    )


# ------------------------------------------------------------------------------------ Pulse-style

_AUDIO_TYPES = ("audio/", "video/", "application/octet-stream")


@router.post("/api/v1/pulse/get_text")
@router.post("/api/v1/lightning/get_text")
@router.post("/waves/v1/pulse/get_text")
async def pulse_get_text(
    request: Request,
    model: str | None = Query(None),
    language: str | None = Query(None),
    word_timestamps: bool = Query(False),
    diarize: bool = Query(False),
    webhook_url: str | None = Query(None, description="Queue a job; POST the result here when done"),
    webhook_extra: str | None = Query(None, description="k:v,k2:v2, echoed back in the delivery"),
    format: str | None = Query(None, description=FORMAT_HELP),
    redact: str | None = Query(None, description=REDACT_HELP),
    redact_policy: str | None = Query(None),
    redact_audio: bool = Query(False),
    redact_audio_fill: str | None = Query(None),
    review: bool = Query(False, description=REVIEW_HELP),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    post = TranscribeOptions(
        format=text_format(format),
        review=review,
        **redaction(redact, redact_policy, redact_audio, redact_audio_fill),
    )
    async with _admissions(request).transcription.slot():
        return await _pulse(
            request, runtime, model, language, word_timestamps, diarize, webhook_url, webhook_extra, post
        )


async def _pulse(
    request: Request,
    runtime: Runtime,
    model: str | None,
    language: str | None,
    word_timestamps: bool,
    diarize: bool,
    webhook_url: str | None,
    webhook_extra: str | None,
    post: TranscribeOptions,
) -> JSONResponse:
    """`post`: what is done to the transcript after recognition (format), carried into `options`."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    model = None if model in (None, "", "pulse", "lightning") else model
    options = replace(
        post, language=None if language in (None, "", "multi", "auto") else language, diarize=diarize
    )
    prepared = await _prepare(runtime, model, options)
    if content_type == "application/json":
        try:
            payload = json.loads(await request.body() or b"null")
        except ValueError:
            raise InvalidRequest("request body is not valid JSON", param="body") from None
        if not isinstance(payload, dict) or not isinstance(payload.get("url"), str):
            raise InvalidRequest('a JSON body must be {"url": "https://..."}', param="url")
        webhook_url = webhook_url or payload.get("webhook_url") or None
        webhook_extra = webhook_extra or payload.get("webhook_extra") or None
        data = await fetch_audio(payload["url"], runtime)
    elif content_type.startswith(_AUDIO_TYPES) or content_type == "":
        data = await _read_body(request, runtime)
    else:
        raise UnsupportedMediaType(
            f"content type {content_type!r} is not audio; send the audio as the raw body "
            '(audio/wav, audio/mpeg, ...) or JSON {"url": ...}'
        )
    if webhook_url:  # asynchronous: a job, delivered to the webhook (mynah.server.routes.jobs)
        from mynah.jobs import Callback
        from mynah.jobs.callbacks import parse_extra
        from mynah.server.routes.jobs import submit_hosted_transcription

        return await submit_hosted_transcription(
            request,
            audio=data,
            filename=None,
            model=model,
            options=options,
            shape="pulse",
            callback=Callback(webhook_url, None, parse_extra(webhook_extra)),
            word_timestamps=word_timestamps,
        )
    result = await _run(request, runtime, data, prepared)
    queued = await queue_for_review(request, runtime, result, prepared)
    body = pulse_json(
        result.transcription,
        word_timestamps=word_timestamps,
        low_confidence=runtime.settings.stt.low_confidence,
    )
    headers = finishing_headers(_headers(result), result, queued)
    return JSONResponse(add_finishing(body, result, queued), headers=headers)


async def _read_body(request: Request, runtime: Runtime) -> bytes:
    limit = runtime.settings.stt.max_upload_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:  # the real figure, before reading any of it
        runtime.transcription.check_upload_size(int(declared))
    parts: list[bytes] = []
    size = 0
    async for block in request.stream():
        size += len(block)
        if size > limit:
            runtime.transcription.check_upload_size(size)
        parts.append(block)
    runtime.transcription.check_upload_size(size)
    return b"".join(parts)


# ------------------------------------------------------------------------------------ WhisperAPI-style


@router.post("/whisperapi")
@router.post("/whisperapi/")
async def whisperapi_transcribe(
    request: Request,
    file: UploadFile | None = File(None),
    url: str | None = Form(None),
    fileType: str | None = Form(None),
    diarization: str = Form("false"),
    numSpeakers: str | None = Form(None),
    initialPrompt: str | None = Form(None),
    language: str | None = Form(None),
    task: str = Form("transcribe"),
    callbackURL: str | None = Form(None),
    format: str | None = Form(None, description=FORMAT_HELP),
    redact: str | None = Form(None, description=REDACT_HELP),
    redact_policy: str | None = Form(None),
    redact_audio: str | None = Form(None),
    redact_audio_fill: str | None = Form(None),
    review: str | None = Form(None, description=REVIEW_HELP),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    # Empty form fields mean "not given", as the hosted API's users send them.
    diarized = diarization.strip().lower() in ("true", "1", "yes")
    speakers = numSpeakers.strip() if numSpeakers else ""
    if speakers and not speakers.isdigit():
        raise InvalidRequest(f"numSpeakers must be a whole number, not {numSpeakers!r}", param="numSpeakers")
    options = TranscribeOptions(
        language=language or None,
        prompt=initialPrompt or None,
        task=task.strip() or "transcribe",
        diarize=diarized,
        num_speakers=int(speakers) if speakers else None,
        format=text_format(format),
        review=review_flag(review),
        **redaction(redact, redact_policy, redact_audio, redact_audio_fill),
    )
    if callbackURL and callbackURL.strip():  # asynchronous: a job (mynah.server.routes.jobs)
        from mynah.jobs import Callback
        from mynah.server.routes.jobs import submit_hosted_transcription

        callback = Callback(callbackURL)
        request.app.state.jobs.check_callback(callback, param="callbackURL")
        data = await audio_input(file, url or None, runtime)
        return await submit_hosted_transcription(
            request,
            audio=data,
            filename=file.filename if file is not None else url,
            model=None,
            options=options,
            shape="whisperapi",
            callback=callback,
        )
    async with _admissions(request).transcription.slot():
        prepared = await _prepare(runtime, None, options)
        data = await audio_input(file, url or None, runtime)
        result = await _run(request, runtime, data, prepared)
    queued = await queue_for_review(request, runtime, result, prepared)
    body = add_finishing(whisperapi_json(result.transcription, diarized=diarized), result, queued)
    return JSONResponse(body, headers=finishing_headers(_headers(result), result, queued))
