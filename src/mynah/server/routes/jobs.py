"""Job routes: submit long work, follow it, fetch its result.

POST   /v1/mynah/jobs/transcriptions   multipart: the OpenAI transcription fields (+ url, diarize,
                                       num_speakers, hotwords, ...) and callback_url,
                                       callback_auth_header_name/value, webhook_extra, priority
                                       -> 202, Location
POST   /v1/mynah/jobs/speech           JSON: input (text, SSML or Markdown), voice, response_format,
                                       loudness, callback_url, priority, ... -> 202, Location
GET    /v1/mynah/jobs                  ?state=&kind=&limit=&cursor= (newest first, stable cursor)
GET    /v1/mynah/jobs/{id}             the job, with its callback's delivery log
GET    /v1/mynah/jobs/{id}/result      ?format= json|text|verbose_json|diarized_json|srt|vtt|whisperapi|
                                       pulse, or the audio of a speech job; 409 naming the state when
                                       there is no result
GET    /v1/mynah/jobs/{id}/events      progress as server-sent events until the job finishes
DELETE /v1/mynah/jobs/{id}             cancel a queued or running job; remove a finished one and its files

The hosted shapes (WhisperAPI-style `callbackURL`, Pulse-style `webhook_url`) submit through
`submit_hosted_transcription` from their own routes in `transcription.py`. Empty form fields mean
"not given", as those APIs' users send them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from mynah.errors import InvalidRequest
from mynah.jobs import Callback, Job, JobService, WorkerPool
from mynah.jobs.callbacks import parse_extra
from mynah.jobs.records import DEFAULT_PRIORITY, MAX_PRIORITY, MIN_PRIORITY
from mynah.jobs.service import check_priority
from mynah.platform.hooks import admit_job, key_id
from mynah.runtime import Runtime
from mynah.server.deps import get_jobs, get_runtime, jobs_of, require_api_key
from mynah.server.finishing import FORMAT_HELP, REDACT_HELP, redaction, text_format
from mynah.server.routes.transcription import audio_input
from mynah.stt.service import TranscribeOptions

router = APIRouter(dependencies=[Depends(require_api_key)])

PRIORITY_HELP = (
    f"{MIN_PRIORITY} (lowest) to {MAX_PRIORITY} (highest), default {DEFAULT_PRIORITY}: higher is run "
    "first; an owner kept waiting `jobs.starvation_seconds` goes first whatever its priority"
)
_EVENT_POLL_SECONDS = 0.5
_KEEPALIVE_SECONDS = 15.0


def given(value: str | None) -> str | None:
    """A form field's value, with "" meaning not given."""
    return value if value is not None and value.strip() != "" else None


def flag(value: str | None, param: str) -> bool:
    text = (given(value) or "false").strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise InvalidRequest(f"{param} must be true or false, not {value!r}", param=param)


def number(value: str | None, param: str) -> int | None:
    text = given(value)
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidRequest(f"{param} must be a whole number, not {value!r}", param=param) from None


def callback_of(
    url: str | None, header_name: str | None, header_value: str | None, extra: str | None
) -> Callback:
    headers = None
    if given(header_name) is not None:
        headers = {header_name.strip(): (header_value or "").strip()}  # type: ignore[union-attr]
    return Callback(given(url), headers, parse_extra(extra))


def accepted(
    request: Request, jobs: JobService, job: Job, body: dict[str, Any] | None = None
) -> JSONResponse:
    location = f"/v1/mynah/jobs/{job.id}"
    return JSONResponse(body or jobs.describe(job), status_code=202, headers={"Location": location})


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def submit_hosted_transcription(
    request: Request,
    *,
    audio: bytes,
    filename: str | None,
    model: str | None,
    options: TranscribeOptions,
    shape: str,
    callback: Callback,
    word_timestamps: bool = True,
) -> JSONResponse:
    """A WhisperAPI- or Pulse-style request that named a callback: queued as a job, answered at once."""
    jobs = jobs_of(request)
    charge = await admit_job(request)
    job = await run_in_threadpool(
        lambda: jobs.submit_transcription(
            audio,
            filename=filename,
            model=model,
            options=options,
            shape=shape,
            callback=callback,
            word_timestamps=word_timestamps,
            base_url=_base_url(request),
            owner=key_id(request),
            charge=charge,
        )
    )
    body = {
        "id": job.id,
        "request_id": job.id,
        "status": "processing" if shape == "pulse" else job.state,
        "job": jobs.describe(job),
        "result_url": jobs.result_url(job),
    }
    return accepted(request, jobs, job, body)


@router.post("/v1/mynah/jobs/transcriptions", status_code=202)
async def submit_transcription(
    request: Request,
    file: UploadFile | None = File(None),
    url: str | None = Form(None),
    model: str | None = Form(None),
    language: str | None = Form(None),
    prompt: str | None = Form(None),
    response_format: str | None = Form(None),
    task: str | None = Form(None),
    hotwords: str | None = Form(None),
    diarize: str | None = Form(None),
    diarization: str | None = Form(None, description="Alias of diarize"),
    num_speakers: str | None = Form(None),
    speakers: str | None = Form(None, description="Alias of num_speakers"),
    min_speakers: str | None = Form(None),
    max_speakers: str | None = Form(None),
    channels: str | None = Form(None),
    callback_url: str | None = Form(None),
    callback_auth_header_name: str | None = Form(None),
    callback_auth_header_value: str | None = Form(None),
    webhook_extra: str | None = Form(None),
    format: str | None = Form(None, description=FORMAT_HELP),
    redact: str | None = Form(None, description=REDACT_HELP),
    redact_policy: str | None = Form(None),
    redact_audio: str | None = Form(None),
    redact_audio_fill: str | None = Form(None),
    review: str | None = Form(None, description="true: queue the low-confidence words for review"),
    priority: str | None = Form(None, description=PRIORITY_HELP),
    runtime: Runtime = Depends(get_runtime),
    jobs: JobService = Depends(get_jobs),
) -> JSONResponse:
    fmt = given(response_format) or "json"
    options = TranscribeOptions(
        format=text_format(format),
        review=flag(review, "review"),
        **redaction(redact, redact_policy, redact_audio, redact_audio_fill),
        language=given(language),
        prompt=given(prompt),
        task=given(task) or "transcribe",
        hotwords=tuple(w.strip() for w in (hotwords or "").replace("\n", ",").split(",") if w.strip()),
        diarize=flag(diarize, "diarize") or flag(diarization, "diarization") or fmt == "diarized_json",
        num_speakers=number(num_speakers, "num_speakers") or number(speakers, "speakers"),
        min_speakers=number(min_speakers, "min_speakers"),
        max_speakers=number(max_speakers, "max_speakers"),
        channels=given(channels) or "auto",  # type: ignore[arg-type]  # checked by the service
    )
    callback = callback_of(callback_url, callback_auth_header_name, callback_auth_header_value, webhook_extra)
    jobs.check_callback(callback)  # a refused target is a 400 before the upload is read
    rank = check_priority(number(priority, "priority"))  # and so is an absurd priority
    charge = await admit_job(request)
    data = await audio_input(file, given(url), runtime)
    job = await run_in_threadpool(
        lambda: jobs.submit_transcription(
            data,
            filename=file.filename if file is not None else given(url),
            model=given(model),
            options=options,
            response_format=fmt,
            callback=callback,
            base_url=_base_url(request),
            owner=key_id(request),
            charge=charge,
            priority=rank,
        )
    )
    return accepted(request, jobs, job)


class SpeechJobRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    input: str = Field(description="Text, an SSML document or Markdown (see input_type)")
    input_type: str = Field(default="auto", description="auto (SSML if it has <speak>), text, ssml, markdown")
    voice: str = "alloy"
    model: str = "tts-1"
    response_format: str = "mp3"
    speed: float = 1.0
    sample_rate: int | None = None
    lexicons: list[str] = Field(default_factory=list)
    normalize: bool | list[str] = True
    loudness: float | None = Field(default=None, description="Normalise to this loudness in LUFS, e.g. -16")
    callback_url: str | None = None
    callback_headers: dict[str, str] | None = None
    webhook_extra: dict[str, str] | None = None
    priority: int | None = Field(default=None, description=PRIORITY_HELP)


@router.post("/v1/mynah/jobs/speech", status_code=202)
async def submit_speech(
    request: Request, body: SpeechJobRequest, jobs: JobService = Depends(get_jobs)
) -> JSONResponse:
    callback = Callback(given(body.callback_url), body.callback_headers, body.webhook_extra)
    charge = await admit_job(request)
    job = await run_in_threadpool(
        lambda: jobs.submit_speech(
            body.input,
            voice=body.voice,
            model=body.model,
            response_format=body.response_format,
            input_type=body.input_type,
            speed=body.speed,
            sample_rate=body.sample_rate,
            lexicons=tuple(body.lexicons),
            normalize=body.normalize,
            loudness=body.loudness,
            callback=callback,
            base_url=_base_url(request),
            owner=key_id(request),
            charge=charge,
            priority=body.priority,
        )
    )
    return accepted(request, jobs, job)


@router.get("/v1/mynah/jobs")
async def list_jobs(
    state: str | None = Query(None),
    kind: str | None = Query(None),
    limit: int = Query(20),
    cursor: str | None = Query(None),
    jobs: JobService = Depends(get_jobs),
) -> dict[str, Any]:
    found, next_cursor = await run_in_threadpool(
        lambda: jobs.list_jobs(state=given(state), kind=given(kind), limit=limit, cursor=given(cursor))
    )
    return {
        "object": "list",
        "data": [job.public() for job in found],
        "next_cursor": next_cursor,
        "has_more": next_cursor is not None,
    }


@router.get("/v1/mynah/jobs/{job_id}")
async def get_job(job_id: str, jobs: JobService = Depends(get_jobs)) -> dict[str, Any]:
    return await run_in_threadpool(lambda: jobs.describe(jobs.get(job_id)))


@router.get("/v1/mynah/jobs/{job_id}/result")
async def get_result(
    job_id: str, format: str | None = Query(None), jobs: JobService = Depends(get_jobs)
) -> Response:
    rendered = await run_in_threadpool(jobs.result, job_id, given(format))
    headers = {"x-mynah-job": job_id}
    if isinstance(rendered.body, dict):
        return JSONResponse(rendered.body, headers=headers)
    if isinstance(rendered.body, str):
        return PlainTextResponse(rendered.body, media_type=rendered.media_type, headers=headers)
    return Response(rendered.body, media_type=rendered.media_type, headers=headers)


@router.get("/v1/mynah/jobs/{job_id}/redacted-audio")
async def get_redacted_audio(job_id: str, jobs: JobService = Depends(get_jobs)) -> Response:
    """The recording with its redacted spans filled (a job submitted with redact_audio=true)."""
    audio = await run_in_threadpool(jobs.redacted_audio, job_id)
    return Response(audio, media_type="audio/wav", headers={"x-mynah-job": job_id})


@router.delete("/v1/mynah/jobs/{job_id}")
async def delete_job(job_id: str, jobs: JobService = Depends(get_jobs)) -> dict[str, Any]:
    job, deleted = await run_in_threadpool(jobs.delete, job_id)
    body = job.public()
    body["deleted"] = deleted
    return body


@router.get("/v1/mynah/jobs/{job_id}/events")
async def job_events(job_id: str, jobs: JobService = Depends(get_jobs)) -> StreamingResponse:
    first = await run_in_threadpool(jobs.get, job_id)  # 404 before the stream starts
    return StreamingResponse(
        _events(jobs, first),
        media_type="text/event-stream",
        headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
    )


def _events(jobs: JobService, job: Job) -> Iterator[str]:
    """`progress` events while the job changes, then one `done` event (a sync generator: Starlette
    runs it in a worker thread)."""
    seen: tuple[Any, ...] | None = None
    quiet_since = time.monotonic()
    while True:
        key = (job.state, round(job.progress, 4), job.seconds_done, job.attempts)
        if key != seen:
            seen = key
            quiet_since = time.monotonic()
            event = "done" if job.finished else "progress"
            yield f"event: {event}\ndata: {json.dumps(job.public(), separators=(',', ':'))}\n\n"
            if job.finished:
                return
        elif time.monotonic() - quiet_since > _KEEPALIVE_SECONDS:
            quiet_since = time.monotonic()
            yield ": keep-alive\n\n"
        time.sleep(_EVENT_POLL_SECONDS)
        job = jobs.get(job.id)


# ------------------------------------------------------------------------------------ lifespan


def start_jobs(app: Any) -> WorkerPool | None:
    """The app's JobService, and its in-process worker pool unless `jobs.workers` is 0."""
    runtime: Runtime = app.state.runtime
    service = JobService(runtime)
    app.state.jobs = service
    if runtime.settings.jobs.workers <= 0:
        return None
    return WorkerPool(service).start()


def stop_jobs(app: Any, pool: WorkerPool | None) -> None:
    """Running jobs get a moment to finish; the rest go back to the queue for the next start."""
    if pool is not None:
        pool.stop(grace=5.0)
    app.state.jobs = None
