"""POST /v1/audio/speech — OpenAI's text-to-speech route, plus `sample_rate`."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from typing import Literal

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from mynah.audio.encode import StreamingEncoder
from mynah.audio.formats import (
    AudioFormat,
    default_sample_rate,
    media_type,
    parse_format,
    validate_sample_rate,
)
from mynah.engines.base import AudioChunk
from mynah.errors import MynahError
from mynah.runtime import Runtime
from mynah.server.deps import get_runtime, require_api_key
from mynah.tts.service import PreparedSpeech

log = logging.getLogger(__name__)
router = APIRouter(dependencies=[Depends(require_api_key)])


class SpeechRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str = Field(description="tts-1, tts-1-hd, gpt-4o-mini-tts (any voice) or an engine name")
    input: str = Field(description="The text to speak")
    voice: str = Field(description="An OpenAI voice name (alloy, ...) or a native id such as espeak:en-us")
    response_format: str = "mp3"
    speed: float = 1.0
    stream_format: Literal["audio", "sse"] = "audio"
    sample_rate: int | None = Field(default=None, description="Output rate: 8000 ... 48000 Hz")
    instructions: str | None = Field(default=None, description="Accepted for compatibility; not used")


@router.post("/v1/audio/speech", response_class=StreamingResponse)
async def create_speech(body: SpeechRequest, runtime: Runtime = Depends(get_runtime)) -> StreamingResponse:
    fmt = parse_format(body.response_format, param="response_format")
    prepared = runtime.speech.prepare(body.input, voice=body.voice, model=body.model, speed=body.speed)
    voice = prepared.resolved.voice
    rate = body.sample_rate or default_sample_rate(fmt) or voice.sample_rate
    validate_sample_rate(fmt, rate)
    chunks = runtime.speech.stream(prepared)
    # Synthesise the first sentence before answering, so an engine failure is still a clean error.
    first = await run_in_threadpool(next, chunks, None)
    headers = _headers(prepared, rate)
    if body.stream_format == "sse":
        return StreamingResponse(
            _sse(first, chunks, fmt, rate, len(body.input)), media_type="text/event-stream", headers=headers
        )
    return StreamingResponse(_encoded(first, chunks, fmt, rate), media_type=media_type(fmt), headers=headers)


def _headers(prepared: PreparedSpeech, rate: int) -> dict[str, str]:
    resolved = prepared.resolved
    headers = {
        "x-mynah-engine": resolved.engine.name,
        "x-mynah-voice": resolved.voice.id,
        "x-mynah-sample-rate": str(rate),
    }
    if resolved.skipped:
        headers["x-mynah-fallback"] = "; ".join(resolved.skipped)[:1000]
    return headers


def _encoded(
    first: AudioChunk | None, rest: Iterator[AudioChunk], fmt: AudioFormat, rate: int
) -> Iterator[bytes]:
    if first is None:
        return
    encoder = StreamingEncoder(fmt, rate, input_rate=first.sample_rate)
    try:
        data = encoder.write(first.samples)
        if data:
            yield data
        for chunk in rest:
            data = encoder.write(chunk.samples)
            if data:
                yield data
    except MynahError as exc:  # the 200 is already sent: end the stream cleanly, say why in the log
        log.error("speech stream stopped early: %s", exc.message)
    tail = encoder.close()
    if tail:
        yield tail


def _sse(
    first: AudioChunk | None, rest: Iterator[AudioChunk], fmt: AudioFormat, rate: int, input_chars: int
) -> Iterator[str]:
    """OpenAI's speech SSE: `speech.audio.delta` events with base64 audio, then `speech.audio.done`."""
    total = 0
    for data in _encoded(first, rest, fmt, rate):
        total += len(data)
        event = {"type": "speech.audio.delta", "audio": base64.b64encode(data).decode("ascii")}
        yield f"data: {json.dumps(event)}\n\n"
    usage = {"input_tokens": input_chars, "output_tokens": 0, "total_tokens": input_chars}
    yield f"data: {json.dumps({'type': 'speech.audio.done', 'usage': usage})}\n\n"
