"""Speech routes.

POST /v1/audio/speech     OpenAI's route (+ sample_rate, lexicons, normalize, timings). `input` may be
                          an SSML document. Audio streams sentence by sentence; with
                          stream_format=sse and timings=true the stream also carries word, sentence
                          and mark events.
POST /v1/mynah/speech     Native: the audio (base64) beside its timings in one JSON body, or
                          `output=marks` for timings only, one JSON object per line (like Polly's
                          speech marks).
POST /v1/text/normalize   What the normaliser would say, with the span map.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from typing import Any, Literal

import numpy as np
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from mynah.audio.encode import StreamingEncoder, encode_audio
from mynah.audio.formats import (
    AudioFormat,
    default_sample_rate,
    media_type,
    parse_format,
    validate_sample_rate,
)
from mynah.errors import InvalidRequest, MynahError
from mynah.runtime import Runtime
from mynah.server.deps import get_runtime, require_api_key
from mynah.text.normalize import normalize
from mynah.tts.plan import categories_of
from mynah.tts.service import PreparedSpeech, SpeechChunk

log = logging.getLogger(__name__)
router = APIRouter(dependencies=[Depends(require_api_key)])


class SpeechRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

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


class NativeSpeechRequest(SpeechRequest):
    model: str = "tts-1"
    voice: str = "alloy"
    response_format: str = "wav"
    output: Literal["json", "marks"] = "json"


class NormalizeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input: str
    language: str = "en"
    categories: list[str] | None = None
    enabled: bool = True


async def _prepare(runtime: Runtime, body: SpeechRequest) -> tuple[PreparedSpeech, AudioFormat]:
    fmt = parse_format(body.response_format, param="response_format")
    if body.sample_rate is not None:
        validate_sample_rate(fmt, body.sample_rate, param="sample_rate")
    prepared = await run_in_threadpool(
        runtime.speech.prepare,
        body.input,
        voice=body.voice,
        model=body.model,
        speed=body.speed,
        sample_rate=body.sample_rate or default_sample_rate(fmt),
        lexicons=body.lexicons,
        normalization=categories_of(body.normalize),
    )
    validate_sample_rate(fmt, prepared.sample_rate, param="sample_rate")
    return prepared, fmt


@router.post("/v1/audio/speech", response_class=StreamingResponse)
async def create_speech(body: SpeechRequest, runtime: Runtime = Depends(get_runtime)) -> StreamingResponse:
    prepared, fmt = await _prepare(runtime, body)
    chunks = runtime.speech.stream(prepared)
    # Synthesise the first sentence before answering, so an engine failure is still a clean error.
    first = await run_in_threadpool(next, chunks, None)
    headers = _headers(prepared)
    if body.stream_format == "sse":
        events = _sse(first, chunks, fmt, prepared, timings=body.timings)
        return StreamingResponse(events, media_type="text/event-stream", headers=headers)
    return StreamingResponse(
        _encoded(first, chunks, fmt, prepared), media_type=media_type(fmt), headers=headers
    )


@router.post("/v1/mynah/speech", response_model=None)
async def create_timed_speech(
    body: NativeSpeechRequest, runtime: Runtime = Depends(get_runtime)
) -> JSONResponse | Response:
    prepared, fmt = await _prepare(runtime, body)

    def synthesise() -> tuple[list[SpeechChunk], bytes | None]:
        chunks = list(runtime.speech.stream(prepared))
        if body.output == "marks":
            return chunks, None
        samples = [c.samples for c in chunks]
        audio = np.concatenate(samples) if samples else np.zeros(0, np.float32)
        return chunks, encode_audio(audio, prepared.sample_rate, fmt, prepared.sample_rate)

    chunks, audio = await run_in_threadpool(synthesise)
    marks = [m.as_json() for c in chunks for m in c.marks]
    headers = _headers(prepared)
    if audio is None:
        lines = "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in marks)
        return Response(lines, media_type="application/x-ndjson", headers=headers)
    state = prepared.state
    return JSONResponse(
        {
            "audio": base64.b64encode(audio).decode("ascii"),
            "format": fmt.value,
            "sample_rate": prepared.sample_rate,
            "duration": round(state.seconds, 3),
            "engine": state.engine or prepared.resolved.engine.name,
            "voice": (state.voice or prepared.resolved.voice).id,
            "fallback": [*prepared.resolved.skipped, *state.skipped],
            "words": [m for m in marks if m["type"] == "word"],
            "sentences": [m for m in marks if m["type"] == "sentence"],
            "marks": [m for m in marks if m["type"] == "mark"],
            "unspoken": [
                {"start": a, "end": b, "text": prepared.text[a:b]} for a, b in prepared.plan.unspoken
            ],
        },
        headers=headers,
    )


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


def _headers(prepared: PreparedSpeech) -> dict[str, str]:
    resolved, state = prepared.resolved, prepared.state
    voice = state.voice or resolved.voice
    headers = {
        "x-mynah-engine": state.engine or resolved.engine.name,
        "x-mynah-voice": voice.id,
        "x-mynah-sample-rate": str(prepared.sample_rate),
    }
    skipped = [*resolved.skipped, *state.skipped]
    if skipped:
        headers["x-mynah-fallback"] = "; ".join(skipped)[:1000].encode("ascii", "replace").decode()
    return headers


def _encoded(
    first: SpeechChunk | None, rest: Iterator[SpeechChunk], fmt: AudioFormat, prepared: PreparedSpeech
) -> Iterator[bytes]:
    for data, _ in _encoded_with_marks(first, rest, fmt, prepared):
        if data:
            yield data


def _encoded_with_marks(
    first: SpeechChunk | None, rest: Iterator[SpeechChunk], fmt: AudioFormat, prepared: PreparedSpeech
) -> Iterator[tuple[bytes, SpeechChunk | None]]:
    encoder = StreamingEncoder(fmt, prepared.sample_rate, input_rate=prepared.sample_rate)
    try:
        if first is not None:
            yield encoder.write(first.samples), first
            for chunk in rest:
                yield encoder.write(chunk.samples), chunk
    except MynahError as exc:  # the 200 is already sent: end the stream cleanly, say why in the log
        log.error("speech stream stopped early: %s", exc.message)
    yield encoder.close(), None


def _sse(
    first: SpeechChunk | None,
    rest: Iterator[SpeechChunk],
    fmt: AudioFormat,
    prepared: PreparedSpeech,
    *,
    timings: bool,
) -> Iterator[str]:
    """OpenAI's speech SSE: `speech.audio.delta` events with base64 audio, then `speech.audio.done`;
    with timings, `speech.word` / `speech.sentence` / `speech.mark` events before the audio they time."""
    for data, chunk in _encoded_with_marks(first, rest, fmt, prepared):
        if timings and chunk is not None:
            for mark in chunk.marks:
                yield f"data: {json.dumps({**mark.as_json(), 'type': 'speech.' + mark.type}, ensure_ascii=False)}\n\n"
        if data:
            event = {"type": "speech.audio.delta", "audio": base64.b64encode(data).decode("ascii")}
            yield f"data: {json.dumps(event)}\n\n"
    chars = len(prepared.text)
    usage = {"input_tokens": chars, "output_tokens": 0, "total_tokens": chars}
    yield f"data: {json.dumps({'type': 'speech.audio.done', 'usage': usage})}\n\n"
