"""Live speech: text in as it is written, audio out as it is spoken.

WS   /v1/mynah/speech/stream     native. First message: the configuration (`SpeechConfig`: voice,
                                 model, format, sample_rate, speed, lexicons, normalize, timings).
                                 Then `{"text": "...", "flush": false}` as text arrives,
                                 `{"type": "flush"}`, `{"type": "cancel"}` (barge-in), and
                                 `{"text": ""}` to end the utterance. Out: `{"type": "ready"}`, binary
                                 audio frames, word / sentence events (with timings), `{"type":
                                 "done"}` per utterance, `{"type": "cancelled"}`, `{"type": "error"}`.
POST /waves/v1/tts               Lightning-style: JSON text, voice_id, sample_rate, speed, language,
                                 output_format (pcm|mp3|wav|ulaw|alaw), pronunciation_dicts -> audio.
POST /waves/v1/tts/stream        the same as SSE: `event: audio` / `data: {"audio": base64}`, then
                                 `data: {"done": true}`.
WS   /waves/v1/tts/stream        Lightning-style socket: `{voice_id, text, continue, flush}` in;
                                 `{status: "chunk", data: {audio}}`, `{status: "complete"}`,
                                 `{status: "error", message}` out.

Everything here translates messages; the stream itself is `mynah.realtime.SpeechStream`, and the
HTTP shapes render through `mynah.tts.render` like the OpenAI route. A cloned voice is checked for the
caller like on every speaking route (`VoiceGate`, `authorise_cloned_voice`): 404 / close code 4404
for a key that may not use it; its disclosure is the headers over HTTP, `cloned_voice` and
`consent_record` in the `ready` event (native) or every message (Waves) on a socket, and the audio's
own tags; each use (a socket: each utterance) is one audit entry.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import threading
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, Request, WebSocket
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from mynah.audio.formats import AudioFormat, media_type, parse_format, validate_sample_rate
from mynah.cloning.disclosure import ClonedSpeech
from mynah.errors import EngineFailed, InvalidRequest, MynahError
from mynah.realtime.speech import Audio, SpeechConfig, SpeechStream
from mynah.runtime import Runtime
from mynah.server.admission import Admissions, Ticket
from mynah.server.deps import get_admissions, get_runtime, require_api_key
from mynah.server.errors import describe_validation_errors
from mynah.server.routes.speech import AudioStreamResponse, _holding, audio_bytes, synthesis_budget
from mynah.server.routes.voices import VoiceGate, authorise_cloned_voice
from mynah.server.sockets import ClientGone, Socket, hub, realtime_lifespan, run_both
from mynah.tts.render import Render
from mynah.tts.service import PreparedSpeech

log = logging.getLogger(__name__)
router = APIRouter(lifespan=realtime_lifespan)
http = APIRouter(dependencies=[Depends(require_api_key)])


def _validated(model: type[BaseModel], body: dict[str, Any]) -> Any:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        message, param = describe_validation_errors(exc.errors())
        raise InvalidRequest(message, param=param) from None


# ---------------------------------------------------------------------------------------- native


@router.websocket("/v1/mynah/speech/stream")
async def speech_stream(websocket: WebSocket) -> None:
    sock = Socket(websocket)
    if not await sock.accept():
        return
    stream: SpeechStream | None = None
    gate = VoiceGate(websocket)
    try:
        first = await sock.receive_json()
        if first.get("type") == "config":
            first.pop("type")
        stream = await SpeechStream.open(sock.hub, _validated(SpeechConfig, first), gate.check)
        await sock.send_json(
            {
                "type": "ready",
                "voice": stream.voice,
                "format": stream.format.value,
                "sample_rate": stream.sample_rate,
                **gate.event,  # a cloned voice: which, and its consent record
            }
        )
        await run_both(lambda: _read_native(sock, stream), lambda: _write_native(sock, stream, gate))
    except ClientGone:
        pass
    except MynahError as exc:
        await sock.fail(exc)
    except Exception as exc:
        log.exception("speech socket failed")
        await sock.fail(EngineFailed(f"speech stream failed: {type(exc).__name__}"))
    finally:
        if stream is not None:
            stream.close()
            await gate.close(stream.offset)


async def _read_native(sock: Socket, stream: SpeechStream) -> None:
    while True:
        message = await sock.receive_json(busy=lambda: stream.busy)
        kind = message.get("type")
        if kind == "cancel":
            stream.cancel()
        elif kind == "flush":
            stream.flush()
        elif kind in (None, "text"):
            text = message.get("text")
            if not isinstance(text, str):
                raise InvalidRequest('a text message needs "text" (a string)', param="text")
            if text == "":
                stream.end()
            else:
                stream.add(text, flush=bool(message.get("flush", False)))
        else:
            raise InvalidRequest(
                f"unknown message type {kind!r}; send text, flush or cancel messages", param="type"
            )


async def _write_native(sock: Socket, stream: SpeechStream, gate: VoiceGate) -> None:
    while True:
        out = await stream.next()
        if isinstance(out, Audio):
            if out.data:
                gate.audio(out.data)
                await sock.send_bytes(out.data)
        else:
            await gate.saw(out.body)  # an utterance in a cloned voice is audited before its "done"
            await sock.send_json(out.body)


# ---------------------------------------------------------------------------------------- Lightning


class WavesRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: str
    voice_id: str | None = None
    """None: the server's MYNAH_TTS__DEFAULT_VOICE."""
    sample_rate: int | None = None
    speed: float = 1.0
    language: str | None = None
    output_format: str = "wav"
    pronunciation_dicts: list[str] = Field(default_factory=list)


_WAVES_FORMATS = {"ulaw": "mulaw", "mulaw": "mulaw", "alaw": "alaw", "pcm": "pcm", "mp3": "mp3", "wav": "wav"}


def _waves_format(name: str) -> AudioFormat:
    value = _WAVES_FORMATS.get(name.strip().lower())
    if value is None:
        raise InvalidRequest(
            f"output_format must be one of pcm, mp3, wav, ulaw, alaw; got {name!r}", param="output_format"
        )
    return parse_format(value, param="output_format")


async def _waves_render(
    request: Request, runtime: Runtime, body: WavesRequest
) -> tuple[Render, ClonedSpeech | None]:
    fmt = _waves_format(body.output_format)
    if body.sample_rate is not None:
        validate_sample_rate(fmt, body.sample_rate, param="sample_rate")

    def prepare() -> PreparedSpeech:
        prepared = runtime.speech.prepare(
            body.text,
            voice=body.voice_id or runtime.settings.tts.default_voice,
            speed=body.speed,
            sample_rate=body.sample_rate,
            lexicons=body.pronunciation_dicts,
            ssml=False,
        )
        validate_sample_rate(fmt, prepared.sample_rate, param="sample_rate")
        return prepared

    def start(prepared: PreparedSpeech, metadata: dict[str, str] | None) -> Render:
        render = Render.open(
            runtime.speech, prepared, fmt, timings=False, metadata=metadata
        )  # audio only: clause first
        render.start()
        return render

    prepared = await run_in_threadpool(prepare)
    cloned = await authorise_cloned_voice(request, prepared.resolved)
    render = await run_in_threadpool(start, prepared, cloned.metadata if cloned is not None else None)
    return render, cloned


async def _admitted(
    request: Request, admissions: Admissions, runtime: Runtime, body: WavesRequest
) -> tuple[Render, ClonedSpeech | None, Ticket]:
    """A speech admission ticket (as the OpenAI route takes), then the render started (in a cloned
    voice only for a caller who may use it)."""
    ticket = await admissions.speech.enter()
    try:
        render, cloned = await _waves_render(request, runtime, body)
    except BaseException:
        ticket.leave()
        raise
    return render, cloned, ticket


@http.post("/waves/v1/tts", response_class=StreamingResponse)
async def waves_tts(
    body: WavesRequest,
    request: Request,
    runtime: Runtime = Depends(get_runtime),
    admissions: Admissions = Depends(get_admissions),
) -> StreamingResponse:
    render, cloned, ticket = await _admitted(request, admissions, runtime, body)
    headers = {
        "x-mynah-sample-rate": str(render.encoded_rate),
        "x-mynah-voice": render.prepared.resolved.voice.id,  # what voice_id (or the default) meant
        **(cloned.headers if cloned is not None else {}),
    }
    pieces = audio_bytes(render, synthesis_budget(runtime))
    if cloned is not None:
        pieces = cloned.audited(pieces, len(render.prepared.text))
    chunks = _holding(pieces, ticket)
    return AudioStreamResponse(chunks, media_type=media_type(render_format(render)), headers=headers)


def render_format(render: Render) -> AudioFormat:
    return render.encoder.format if render.encoder is not None else AudioFormat.wav


@http.post("/waves/v1/tts/stream", response_class=StreamingResponse)
async def waves_tts_sse(
    body: WavesRequest,
    request: Request,
    runtime: Runtime = Depends(get_runtime),
    admissions: Admissions = Depends(get_admissions),
) -> StreamingResponse:
    render, cloned, ticket = await _admitted(request, admissions, runtime, body)

    def events() -> Iterator[str]:
        try:
            for piece in render:
                if piece.data:
                    audio = base64.b64encode(piece.data).decode("ascii")
                    yield f"event: audio\ndata: {json.dumps({'audio': audio})}\n\n"
        except Exception as exc:
            error = exc if isinstance(exc, MynahError) else EngineFailed(f"synthesis failed: {exc}")
            yield f"event: error\ndata: {json.dumps({'error': error.message, 'code': error.code})}\n\n"
            return
        finally:
            if not render.complete:
                render.close()
        yield f"data: {json.dumps({'done': True})}\n\n"

    headers = {"x-mynah-sample-rate": str(render.encoded_rate), **(cloned.headers if cloned else {})}
    stream = events() if cloned is None else cloned.audited(events(), len(render.prepared.text))
    return StreamingResponse(_holding(stream, ticket), media_type="text/event-stream", headers=headers)


def _waves_error(exc: MynahError) -> dict[str, Any]:
    return {"status": "error", "message": exc.message, "code": exc.code}


@router.websocket("/waves/v1/tts/stream")
async def waves_socket(websocket: WebSocket) -> None:
    """Lightning's socket: the first message's voice_id (and sample_rate, speed, output_format,
    pronunciation_dicts) configure the stream; every message may carry text."""
    sock = Socket(websocket, _waves_error)
    if not await sock.accept():
        return
    stream: SpeechStream | None = None
    gate = VoiceGate(websocket)
    try:
        first = await sock.receive_json()
        config = SpeechConfig(
            voice=str(first["voice_id"]) if first.get("voice_id") else None,
            format=_waves_format(str(first.get("output_format", "pcm"))).value,
            sample_rate=first.get("sample_rate"),
            speed=float(first.get("speed", 1.0)),
            lexicons=list(first.get("pronunciation_dicts") or []),
        )
        stream = await SpeechStream.open(sock.hub, config, gate.check)
        opened = stream
        await run_both(lambda: _read_waves(sock, opened, first), lambda: _write_waves(sock, opened, gate))
    except ClientGone:
        pass
    except (MynahError, ValueError, TypeError) as exc:
        error = exc if isinstance(exc, MynahError) else InvalidRequest(str(exc))
        await sock.fail(error)
    finally:
        if stream is not None:
            stream.close()
            await gate.close(stream.offset)


async def _read_waves(sock: Socket, stream: SpeechStream, first: dict[str, Any]) -> None:
    message: dict[str, Any] | None = first
    while True:
        if message is None:
            message = await sock.receive_json(busy=lambda: stream.busy)
        if message.get("type") == "cancel":
            stream.cancel()
        else:
            text = message.get("text", "")
            if not isinstance(text, str):
                raise InvalidRequest('"text" must be a string', param="text")
            if text:
                stream.add(text, flush=bool(message.get("flush", False)))
            elif message.get("flush"):
                stream.flush()
            if not message.get("continue", False):
                stream.end()
        message = None


async def _write_waves(sock: Socket, stream: SpeechStream, gate: VoiceGate) -> None:
    """Lightning's messages; in a cloned voice each also names it and its consent record."""
    while True:
        out = await stream.next()
        if isinstance(out, Audio):
            if out.data:
                gate.audio(out.data)
                await sock.send_json(
                    {"status": "chunk", "data": {"audio": base64.b64encode(out.data).decode()}, **gate.event}
                )
            continue
        await gate.saw(out.body)
        if out.body.get("type") == "done":
            await sock.send_json({"status": "complete", "done": True, **gate.event})
        elif out.body.get("type") == "error":
            await sock.send_json({"status": "error", **out.body["error"]})


@http.get("/v1/mynah/realtime")
async def realtime_stats(request: Request, drain: float = 0.0) -> dict[str, Any]:
    """What the live streams hold now: open streams, queued and running synthesis units, worker
    threads, loaded models with their leases, and the event loop's tasks (for operators and tests:
    all of them return to their idle values when the streams are gone). With `drain=SECONDS`, it
    first waits up to that long for every stream to end and every unit to finish (before a restart)."""
    deadline = asyncio.get_running_loop().time() + min(max(drain, 0.0), 60.0)
    while True:
        stats = hub(request.app).stats()
        busy = stats.streams or stats.scheduler.queued or stats.scheduler.running or stats.decoding
        if not busy or asyncio.get_running_loop().time() >= deadline:
            break
        await asyncio.sleep(0.05)
    runtime = hub(request.app).runtime
    leases = {m.id: m.refs for m in runtime.models.loaded()} if runtime.models is not None else {}
    return {
        "streams": stats.streams,
        "queued_units": stats.scheduler.queued,
        "running_units": stats.scheduler.running,
        "decoding": stats.decoding,
        "decodes": stats.decodes,
        "lanes": stats.scheduler.lanes,
        "synthesis_workers": stats.scheduler.workers,
        "model_leases": leases,
        "threads": threading.active_count(),
        "thread_names": sorted(thread.name for thread in threading.enumerate()),
        "tasks": len(asyncio.all_tasks()),
    }
