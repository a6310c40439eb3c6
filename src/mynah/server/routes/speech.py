"""Speech routes.

POST /v1/audio/speech     OpenAI's route (+ sample_rate, lexicons, normalize, timings). `input` may be
                          an SSML document. Audio streams sentence by sentence; with
                          stream_format=sse and timings=true the stream also carries word, sentence
                          and mark events. `pcm` without a sample_rate is 24 kHz, as OpenAI's.
POST /v1/mynah/speech     Native: the audio (base64) beside its timings in one JSON body, or
                          `output=marks` for timings only, one JSON object per line (like Polly's
                          speech marks). Without a sample_rate the audio keeps the voice's rate.

Both render through `mynah.tts.render`. Everything that can fail on the request fails before the
response starts: the request is checked and planned, the encoder built, and the synthesis run up to
its first audio. What fails later cannot change the 200: a streamed body is then cut off without its
final chunk (the client raises on the aborted transfer) and an SSE stream ends with an `error` event.
Every response says in `x-mynah-sample-rate` the rate of the audio it carries.
POST /v1/text/normalize   What the normaliser would say, with the span map.
"""

from __future__ import annotations

import base64
import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.types import Send

from mynah.audio.formats import (
    AudioFormat,
    default_sample_rate,
    media_type,
    parse_format,
    validate_sample_rate,
)
from mynah.audio.leveler import check_target
from mynah.cancel import Budget, CancelToken
from mynah.errors import EngineFailed, InvalidRequest, MynahError, PayloadTooLarge
from mynah.platform.hooks import SpeechExtras, note_speech, speech_extras, with_key_defaults
from mynah.priority import in_worker
from mynah.runtime import Runtime
from mynah.server.admission import Admissions, Ticket
from mynah.server.deps import get_admissions, get_runtime, require_api_key
from mynah.server.headers import fallback_header
from mynah.server.routes.voices import authorise_cloned_voice
from mynah.text.normalize import normalize
from mynah.tts.plan import categories_of
from mynah.tts.render import AudioStage, Render
from mynah.tts.service import PreparedSpeech, SpeechMark

log = logging.getLogger(__name__)
T = TypeVar("T")
router = APIRouter(dependencies=[Depends(require_api_key)])


class SpeechRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    model: str = Field(description="tts-1, tts-1-hd, gpt-4o-mini-tts (any voice) or an engine name")
    input: str = Field(description="Text, or an SSML document (<speak>...</speak>)")
    voice: str = Field(description="An OpenAI voice name (alloy, ...) or a native id such as espeak:en-us")
    response_format: str = "mp3"
    speed: float = 1.0
    stream_format: Literal["audio", "sse"] = "audio"
    sample_rate: int | None = Field(default=None, description="Output rate: 8000 ... 48000 Hz")
    instructions: str | None = Field(default=None, description="Accepted for compatibility; not used")
    lexicons: list[str] = Field(default_factory=list, description="Stored pronunciation lexicons, by name")
    normalize: bool | list[str] = Field(default=True, description="false, or the categories to expand")
    timings: bool = Field(default=False, description="With stream_format=sse: also send timing events")
    loudness: float | None = Field(
        default=None,
        ge=-70.0,
        le=-5.0,
        description="Target loudness in LUFS (-16 podcasts, -23 broadcast); None leaves it",
    )


class NativeSpeechRequest(SpeechRequest):
    model: str = "tts-1"
    voice: str | None = Field(default=None, description="None: the server's MYNAH_TTS__DEFAULT_VOICE")  # type: ignore[assignment]
    response_format: str = "wav"
    output: Literal["json", "marks"] = "json"


class NormalizeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    input: str
    language: str = "en"
    categories: list[str] | None = None
    enabled: bool = True


OPENAI_PCM_RATE = 24000
"""OpenAI's `pcm` is raw 16-bit mono at 24 kHz: on its route, pcm without a sample_rate is that."""


async def _prepare(
    runtime: Runtime, body: SpeechRequest, *, openai: bool
) -> tuple[PreparedSpeech, AudioFormat]:
    fmt = parse_format(body.response_format, param="response_format")
    if body.loudness is not None:
        check_target(body.loudness)
    if body.sample_rate is not None:
        validate_sample_rate(fmt, body.sample_rate, param="sample_rate")
    rate = body.sample_rate or default_sample_rate(fmt)
    if rate is None and openai and fmt is AudioFormat.pcm:
        rate = OPENAI_PCM_RATE
    prepared = await run_in_threadpool(
        runtime.speech.prepare,
        body.input,
        voice=body.voice,
        model=body.model,
        speed=body.speed,
        sample_rate=rate,
        lexicons=body.lexicons,
        normalization=categories_of(body.normalize),
    )
    validate_sample_rate(fmt, prepared.sample_rate, param="sample_rate")
    return prepared, fmt


def _started(
    runtime: Runtime,
    prepared: PreparedSpeech,
    fmt: AudioFormat,
    stages: list[AudioStage],
    metadata: dict[str, str] | None = None,
    timings: bool = False,
) -> Render:
    """The encoder built and the synthesis run up to its first audio, before any response starts.
    `timings`: the stream carries timing events (SSE with timings), so sentences are held whole;
    plain audio lets a long first sentence's first clause out first."""
    render = Render.open(runtime.speech, prepared, fmt, stages=stages, metadata=metadata, timings=timings)
    render.start()
    return render


@router.post("/v1/audio/speech", response_class=StreamingResponse, response_model=None)
async def create_speech(
    body: SpeechRequest,
    request: Request,
    runtime: Runtime = Depends(get_runtime),
    admissions: Admissions = Depends(get_admissions),
) -> StreamingResponse | Response:
    body = with_key_defaults(request, body)
    ticket = await admissions.speech.enter()  # held until the stream ends, however it ends
    try:
        prepared, fmt = await _prepare(runtime, body, openai=True)
        cloned = await authorise_cloned_voice(request, prepared.resolved)
        await note_speech(request, prepared)
        sse = body.stream_format == "sse"
        extras = speech_extras(
            request,
            prepared,
            fmt=fmt.value,
            loudness=body.loudness,
            whole=False,
            cacheable=cloned is None,  # every use of a cloned voice is audited
            shape={"response": "sse", "timings": body.timings, "text": prepared.text} if sse else None,
        )
        if extras.hit is not None:  # served from the speech cache: nothing to synthesise
            ticket.leave()
            media = "text/event-stream" if sse else media_type(fmt)
            return Response(extras.hit.audio, media_type=media, headers=extras.hit_headers())
        metadata = cloned.metadata if cloned is not None else None
        timed = sse and body.timings
        render = await run_in_threadpool(
            in_worker(_started), runtime, prepared, fmt, extras.stages, metadata, timed
        )
    except BaseException:
        ticket.leave()
        raise
    headers = {**_headers(render), **(cloned.headers if cloned is not None else {})}

    def seconds() -> float:  # read when the stream has ended
        return prepared.state.seconds

    if sse:
        events = _sse(render, timings=body.timings, budget=synthesis_budget(runtime))
        if cloned is not None:
            events = cloned.audited(events, len(prepared.text))
        # kept only when it ended in speech.audio.done (not an error event)
        events = extras.keep(events, headers, seconds, complete=lambda: render.complete)
        return StreamingResponse(
            _holding(events, ticket),
            media_type="text/event-stream",
            headers={**headers, **extras.miss_headers()},
        )
    pieces = audio_bytes(render, synthesis_budget(runtime))
    if cloned is not None:
        pieces = cloned.audited(pieces, len(prepared.text))
    audio = extras.keep(pieces, headers, seconds)
    return AudioStreamResponse(
        _holding(audio, ticket), media_type=media_type(fmt), headers={**headers, **extras.miss_headers()}
    )


async def _holding(chunks: Iterator[T], ticket: Ticket) -> AsyncIterator[T]:
    """`chunks`, each made in a worker thread, with the admission `ticket` held until they end, fail
    or the client leaves (the stream is cancelled: the generator is closed, which closes the render)."""
    try:
        while True:
            chunk = await run_in_threadpool(in_worker(next), chunks, None)  # they never yield None
            if chunk is None:
                return
            yield chunk
    finally:
        ticket.leave()
        close = getattr(chunks, "close", None)
        if close is not None:
            close()


@router.post(
    "/v1/mynah/speech",
    response_model=None,
    responses={
        200: {
            "description": "The audio (base64) and its timings; with output=marks, one timing per line",
            "content": {"application/json": {}, "application/x-ndjson": {}},
        }
    },
)
async def create_timed_speech(
    body: NativeSpeechRequest,
    request: Request,
    runtime: Runtime = Depends(get_runtime),
    admissions: Admissions = Depends(get_admissions),
) -> JSONResponse | Response:
    body = with_key_defaults(request, body)
    async with admissions.speech.slot():
        return await _timed_speech(body, request, runtime)


async def _timed_speech(
    body: NativeSpeechRequest, request: Request, runtime: Runtime
) -> JSONResponse | Response:
    prepared, fmt = await _prepare(runtime, body, openai=False)
    cloned = await authorise_cloned_voice(request, prepared.resolved)
    await note_speech(request, prepared)
    # the whole response (audio, timings, marks) is what is cached, so a hit is that very response
    shape = {"response": "native", "output": body.output, "text": prepared.text}
    extras = speech_extras(request, prepared, fmt=fmt.value, loudness=body.loudness, whole=True, shape=shape)
    media = "application/x-ndjson" if body.output == "marks" else "application/json"
    if extras.hit is not None:
        return Response(extras.hit.audio, media_type=media, headers=extras.hit_headers())

    limit = runtime.settings.tts.max_buffered_bytes
    budget = synthesis_budget(runtime)

    def synthesise() -> tuple[Render, list[SpeechMark], bytes]:
        buffer = io.BytesIO()
        render = Render.open(
            runtime.speech,
            prepared,
            fmt,
            file=buffer,
            encode=body.output == "json",
            stages=extras.stages,
            metadata=cloned.metadata if cloned is not None else None,
        )
        marks: list[SpeechMark] = []
        try:
            for piece in budget.within(render):
                marks.extend(piece.marks)
                if buffer.tell() > limit:
                    raise PayloadTooLarge(
                        f"the audio is over {limit:,} bytes, the most this route holds in memory "
                        "(MYNAH_TTS__MAX_BUFFERED_BYTES); stream it from /v1/audio/speech instead",
                        param="input",
                        code="output_bytes_limit",
                    )
        finally:
            if not render.complete:
                render.close()
        return render, marks, buffer.getvalue()

    if cloned is not None:
        render, marks, audio = await run_in_threadpool(
            in_worker(cloned.audited_call(synthesise, len(prepared.text)))
        )
    else:
        render, marks, audio = await run_in_threadpool(in_worker(synthesise))
    headers = {**_headers(render), **(cloned.headers if cloned is not None else {})}
    timings = [m.as_json() for m in marks]
    if body.output == "marks":
        lines = "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in timings)
        response: Response = Response(lines, media_type=media, headers=headers)
        return _kept(response, extras, headers, prepared.state.seconds)
    state = prepared.state
    response = JSONResponse(
        {
            "audio": base64.b64encode(audio).decode("ascii"),
            "format": fmt.value,
            "sample_rate": render.encoded_rate,
            "duration": round(state.seconds, 3),
            "engine": state.engine or prepared.resolved.engine.name,
            "voice": (state.voice or prepared.resolved.voice).id,
            "fallback": [*prepared.resolved.skipped, *state.skipped],
            "words": [m for m in timings if m["type"] == "word"],
            "sentences": [m for m in timings if m["type"] == "sentence"],
            "marks": [m for m in timings if m["type"] == "mark"],
            "unspoken": [
                {"start": a, "end": b, "text": prepared.text[a:b]} for a, b in prepared.plan.unspoken
            ],
            "warnings": list(state.warnings),
        },
        headers=headers,
    )
    return _kept(response, extras, headers, state.seconds)


def _kept(response: Response, extras: SpeechExtras, headers: dict[str, str], seconds: float) -> Response:
    """The native route's response, kept whole in the speech cache and marked a miss."""
    extras.keep_body(bytes(response.body), headers, seconds)
    response.headers.update(extras.miss_headers())
    return response


@router.post("/v1/text/normalize")
async def normalize_text(body: NormalizeRequest) -> dict[str, Any]:
    if len(body.input) > 1_000_000:
        raise InvalidRequest("input is over 1,000,000 characters", param="input")
    result = await run_in_threadpool(
        normalize, body.input, categories=body.categories, enabled=body.enabled, language=body.language
    )
    return {
        "text": result.text,
        "language": result.language,
        "tokens": [
            {
                "spoken": t.spoken,
                "start": t.start,
                "end": t.end,
                "category": t.category,
                "source": body.input[t.start : t.end],
            }
            for t in result.tokens
            if not t.is_silent or t.end > t.start
        ],
        "unspoken": [
            {"start": s.start, "end": s.end, "text": body.input[s.start : s.end]} for s in result.unspoken
        ],
    }


def _headers(render: Render) -> dict[str, str]:
    prepared = render.prepared
    resolved, state = prepared.resolved, prepared.state
    voice = state.voice or resolved.voice
    headers = {
        "x-mynah-engine": state.engine or resolved.engine.name,
        "x-mynah-voice": voice.id,
        "x-mynah-sample-rate": str(render.encoded_rate),
    }
    if state.replica is not None:
        headers["x-mynah-replica"] = state.replica
    if state.warnings:
        headers["x-mynah-warning"] = "; ".join(state.warnings)[:1000].encode("ascii", "replace").decode()
    skipped = [*resolved.skipped, *state.skipped]
    if (fallback := fallback_header(skipped)) is not None:
        headers["x-mynah-fallback"] = fallback
        log.info("voice %r served by %s, passing over: %s", resolved.requested, voice.id, "; ".join(skipped))
    return headers


class StreamFailed(Exception):
    """A streamed response could not be finished; the transfer is cut off without its last chunk."""


def synthesis_budget(runtime: Runtime) -> CancelToken:
    """The time budget of one request's synthesis (checked between pieces of its render)."""
    seconds = runtime.settings.tts.max_work_seconds
    return CancelToken(budget=Budget(seconds, "MYNAH_TTS__MAX_WORK_SECONDS", "the synthesis"))


def audio_bytes(render: Render, budget: CancelToken | None = None) -> Iterator[bytes]:
    """The encoded audio of `render`, for an `AudioStreamResponse`: a failure (or the time budget
    spent) becomes `StreamFailed` (the transfer is cut off, logged once); a render left unfinished
    is closed."""
    try:
        for piece in budget.within(render) if budget is not None else render:
            if piece.data:
                yield piece.data
    except Exception as exc:
        raise StreamFailed(_describe(exc, render)) from exc
    finally:
        if not render.complete:
            render.close()


class AudioStreamResponse(StreamingResponse):
    """Streamed audio that either ends complete or visibly cut off.

    A chunked HTTP/1.1 body ends with an empty chunk; a client that gets it takes the audio as
    complete. So when the render fails after the 200 went out, this returns WITHOUT that last chunk:
    the server then closes the connection, and the client sees an aborted transfer (httpx and the
    `openai` client raise `RemoteProtocolError: incomplete chunked read`), never a clean end. The
    failure is logged here once, with the bytes delivered so far."""

    async def stream_response(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        try:
            async for chunk in self.body_iterator:
                data = chunk if isinstance(chunk, bytes | memoryview) else chunk.encode(self.charset)
                await send({"type": "http.response.body", "body": data, "more_body": True})
        except StreamFailed as exc:
            # a limit reached mid-stream (MYNAH_TTS__MAX_OUTPUT_SECONDS) is the request's doing; an
            # engine failure was logged with its traceback by `_describe`
            level = logging.WARNING if isinstance(exc.__cause__, MynahError) else logging.ERROR
            log.log(level, "speech stream cut off: %s", exc)
            return
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def _sse(render: Render, *, timings: bool, budget: CancelToken | None = None) -> Iterator[str]:
    """OpenAI's speech SSE: `speech.audio.delta` events with base64 audio, then `speech.audio.done`;
    with timings, `speech.word` / `speech.sentence` / `speech.mark` events before the audio they time.
    A failure after the response started is an `error` event (OpenAI's error object) instead of
    `speech.audio.done`; what the audio leaves out (an <audio src> refused) is a `speech.warning`
    event where it happens. (A plain audio stream can only say so in `x-mynah-warning`, for what
    happened before its first audio; /v1/mynah/speech lists every warning in its JSON.)"""
    warned = 0
    try:
        for piece in budget.within(render) if budget is not None else render:
            warnings = render.prepared.state.warnings
            for warning in warnings[warned:]:  # e.g. an <audio src> refused: said where it happened
                yield f"data: {json.dumps({'type': 'speech.warning', 'message': warning}, ensure_ascii=False)}\n\n"
            warned = len(warnings)
            if timings:
                for mark in piece.marks:
                    event = {**mark.as_json(), "type": "speech." + mark.type}
                    yield f"data: {json.dumps(event, ensure_ascii=False)}\n\n"
            if piece.data:
                delta = {"type": "speech.audio.delta", "audio": base64.b64encode(piece.data).decode("ascii")}
                yield f"data: {json.dumps(delta)}\n\n"
    except Exception as exc:
        message = _describe(exc, render)
        log.error("speech stream failed: %s", message)
        error = exc if isinstance(exc, MynahError) else EngineFailed(message)
        body = {"message": message, "type": error.type, "param": error.param, "code": error.code}
        yield f"data: {json.dumps({'type': 'error', 'error': body}, ensure_ascii=False)}\n\n"
        return
    finally:
        if not render.complete:
            render.close()
    chars = len(render.prepared.text)
    usage = {"input_tokens": chars, "output_tokens": 0, "total_tokens": chars}
    yield f"data: {json.dumps({'type': 'speech.audio.done', 'usage': usage})}\n\n"


def _describe(exc: BaseException, render: Render) -> str:
    if isinstance(exc, MynahError):
        reason = exc.message
    else:
        log.error("speech render failed", exc_info=exc)
        reason = f"{type(exc).__name__}: {exc}"
    return f"{reason} (after {render.bytes_out:,} bytes)"
