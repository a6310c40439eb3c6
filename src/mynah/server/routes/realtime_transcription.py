"""Live transcription sockets.

WS /v1/mynah/transcriptions/stream   native. First message: the configuration (`TranscriptionConfig`:
                                     model, language, encoding pcm_s16le, sample_rate, partials,
                                     final_silence, word_timestamps; format, redact, review as
                                     for files). Then binary frames of audio,
                                     and `{"type": "finalize"}` / `{"type": "close_stream"}`. Out:
                                     `{"type": "ready"}`, `partial` / `final` results (`text` and
                                     Pulse's `transcript`, `is_final`, `is_last`; finals carry words
                                     with times and confidence), `{"type": "error"}`.
WS /v1/realtime?intent=transcription OpenAI Realtime transcription events: `session.update` or
                                     `transcription_session.update`, `input_audio_buffer.append`
                                     (base64 pcm16, 24 kHz unless the session says otherwise) /
                                     `commit` / `clear`; out `...created` / `...updated`,
                                     `input_audio_buffer.committed`,
                                     `conversation.item.input_audio_transcription.delta` (words as
                                     they are agreed) and `.completed` per utterance. The session's
                                     transcription object (`input_audio_transcription`, GA
                                     `audio.input.transcription`) also takes mynah's `format`,
                                     `redact`, `redact_policy` and `review`, as the native
                                     configuration does; `.completed` then carries `redactions` /
                                     `review` as a native final does. An update that cannot hold
                                     (an unknown entity type too) is refused whole with an `error`
                                     event, before any audio, and the session goes on as it was.

The stream itself is `mynah.realtime.TranscriptionStream`; these translate messages.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import itertools
import logging
from typing import Any

from fastapi import APIRouter, WebSocket

from mynah.errors import EngineFailed, InvalidRequest, MynahError
from mynah.platform.hooks import key_id
from mynah.realtime.transcribe import LiveResult, TranscriptionConfig, TranscriptionStream
from mynah.server.routes.realtime_speech import _validated
from mynah.server.sockets import ClientGone, Socket, parse_json, run_both

log = logging.getLogger(__name__)
router = APIRouter()


# ---------------------------------------------------------------------------------------- native


@router.websocket("/v1/mynah/transcriptions/stream")
async def transcription_stream(websocket: WebSocket) -> None:
    sock = Socket(websocket)
    if not await sock.accept():
        return
    stream: TranscriptionStream | None = None
    try:
        first = await sock.receive()
        if isinstance(first, bytes):
            raise InvalidRequest(
                "audio before the configuration message: send the JSON configuration first", param="message"
            )
        body = parse_json(first)
        if body.get("type") == "config":
            body.pop("type")
        stream = await TranscriptionStream.open(
            sock.hub, _validated(TranscriptionConfig, body), owner=key_id(websocket)
        )
        await sock.send_json(
            {"type": "ready", "model": stream.model.id, "sample_rate": stream.config.sample_rate}
        )
        opened = stream
        await run_both(lambda: _read_native(sock, opened), lambda: _write_native(sock, opened))
        await sock.close(1000, "stream closed")
    except ClientGone:
        pass
    except MynahError as exc:
        await sock.fail(exc)
    except Exception as exc:
        log.exception("transcription socket failed")
        await sock.fail(EngineFailed(f"transcription stream failed: {type(exc).__name__}"))
    finally:
        if stream is not None:
            await stream.wait_closed()


async def _read_native(sock: Socket, stream: TranscriptionStream) -> None:
    while True:
        data = await sock.receive()
        if isinstance(data, bytes):
            stream.push(data)
            continue
        kind = parse_json(data).get("type")
        if kind == "finalize":
            stream.finalize()
        elif kind == "close_stream":
            stream.close_input()
            return await _forever()
        else:
            raise InvalidRequest(f"unknown message type {kind!r}; use finalize or close_stream", param="type")


async def _forever() -> None:
    """After close_stream the reading side has nothing to do; the writing side ends the socket."""
    await asyncio.Event().wait()


async def _write_native(sock: Socket, stream: TranscriptionStream) -> None:
    while (result := await stream.next()) is not None:
        await sock.send_json(result.as_json())


# ---------------------------------------------------------------------------------------- OpenAI


def _openai_error(exc: MynahError) -> dict[str, Any]:
    return {
        "type": "error",
        "error": {"type": exc.type, "code": exc.code, "message": exc.message, "param": exc.param},
    }


_GA_KEYS = {"input_audio_transcription": "transcription", "turn_detection": "turn_detection"}
"""Where the GA Realtime API's `session.audio.input` keeps what the beta put at the session's top."""

_SESSION_KEYS = ("input_audio_transcription", "turn_detection", "input_audio_format")
"""What a session (beta shape, or GA translated to it) may change."""

_FINISHING = ("format", "redact", "redact_policy", "redact_audio", "review")
"""mynah's options a session's transcription object may carry besides OpenAI's model, language and
prompt: what is done to each result before it is sent (`TranscriptionConfig`)."""


def _config(session: dict[str, Any], rate: int) -> TranscriptionConfig:
    """The stream's configuration as `session` says (InvalidRequest if it cannot be one)."""
    transcription = session.get("input_audio_transcription") or {}
    if not isinstance(transcription, dict):
        raise InvalidRequest(
            "the transcription settings must be an object", param="input_audio_transcription"
        )
    turn = session.get("turn_detection") or {}
    silence = turn.get("silence_duration_ms") if isinstance(turn, dict) else None
    body = {
        "model": transcription.get("model") or None,
        "language": transcription.get("language") or None,
        "sample_rate": rate,
        "final_silence": (silence / 1000.0) if isinstance(silence, int | float) and silence else None,
        **{key: transcription[key] for key in _FINISHING if transcription.get(key) is not None},
    }
    config: TranscriptionConfig = _validated(TranscriptionConfig, body)
    return config


class _OpenAiSession:
    """One OpenAI Realtime transcription session: the event names and item ids around a stream."""

    def __init__(self, sock: Socket, owner: str | None = None) -> None:
        self.sock = sock
        self.owner = owner
        """The calling key's id: the owner of the transcripts kept for review."""
        self.stream: TranscriptionStream | None = None
        self.opened = asyncio.Event()
        self.session: dict[str, Any] = {
            "object": "realtime.transcription_session",
            "input_audio_format": "pcm16",
            "input_audio_transcription": {"model": "whisper-1", "language": None, "prompt": ""},
            "turn_detection": {"type": "server_vad", "silence_duration_ms": 500},
        }
        self.rate = 24000
        self._ids = itertools.count()
        self.item = self._new_item()
        self._previous: str | None = None
        self._sent_words = 0
        self._events = itertools.count()

    def _new_item(self) -> str:
        return f"item_{next(self._ids):04d}"

    async def send(self, body: dict[str, Any]) -> None:
        await self.sock.send_json({"event_id": f"event_{next(self._events):05d}", **body})

    async def update(self, kind: str, session: Any) -> None:
        """Apply a `session.update`, or refuse it with an error event and leave the session as it
        was (as OpenAI's Realtime API does: the socket stays open for a corrected update)."""
        try:
            self._apply(session)
        except InvalidRequest as exc:
            await self.send(_openai_error(exc))
            return
        prefix = "transcription_session" if kind.startswith("transcription_session") else "session"
        await self.send({"type": f"{prefix}.updated", "session": self.session})

    def _apply(self, session: Any) -> None:
        """Checks the whole update first (InvalidRequest) and changes nothing unless it all holds."""
        if self.stream is not None:
            raise InvalidRequest("the session is already streaming audio; update it before the first append")
        if not isinstance(session, dict):
            raise InvalidRequest('"session" must be an object', param="session")
        audio_input = (session.get("audio") or {}).get("input") or {}  # the GA shape nests it here
        if audio_input:
            fmt = audio_input.get("format") or {}
            if fmt.get("type", "audio/pcm") != "audio/pcm":
                raise InvalidRequest(
                    f"audio format {fmt.get('type')!r} is not supported; use audio/pcm",
                    param="audio.input.format",
                )
            session = {
                "input_audio_format": "pcm16",
                "input_audio_sample_rate": fmt.get("rate"),
                **{k: audio_input[v] for k, v in _GA_KEYS.items() if v in audio_input},
            }
        audio_format = session.get("input_audio_format", "pcm16")
        if audio_format != "pcm16":
            raise InvalidRequest(
                f"input_audio_format {audio_format!r} is not supported; use pcm16", param="input_audio_format"
            )
        updated = {**self.session, **{key: session[key] for key in _SESSION_KEYS if key in session}}
        rate = session.get("input_audio_sample_rate")
        if rate is not None and (not isinstance(rate, int) or not 8000 <= rate <= 48000):
            raise InvalidRequest(f"sample rate must be 8000 to 48000 Hz, got {rate!r}", param="rate")
        rate = self.rate if rate is None else rate
        _config(updated, rate).redaction()  # a bad option is refused now, not at the first audio
        self.session, self.rate = updated, rate

    async def open(self) -> TranscriptionStream:
        if self.stream is None:
            self.stream = await TranscriptionStream.open(
                self.sock.hub, _config(self.session, self.rate), owner=self.owner
            )
            self.opened.set()
        return self.stream

    async def result(self, result: LiveResult) -> None:
        if result.is_last:
            return
        if not result.is_final:
            words = list(result.words[: result.committed])
            fresh = words[self._sent_words :]
            if fresh:
                self._sent_words = len(words)
                delta = "".join(("" if w.joins_previous else " ") + w.text for w in fresh)
                if self._sent_words == len(fresh):
                    delta = delta.lstrip()
                await self.send(
                    {
                        "type": "conversation.item.input_audio_transcription.delta",
                        "item_id": self.item,
                        "content_index": 0,
                        "delta": delta,
                    }
                )
            return
        await self.send(
            {"type": "input_audio_buffer.committed", "item_id": self.item, "previous_item_id": self._previous}
        )
        final = result.as_json()
        completed: dict[str, Any] = {
            "type": "conversation.item.input_audio_transcription.completed",
            "item_id": self.item,
            "content_index": 0,
            "transcript": result.text,
            "words": final.get("words", []),
            **{key: final[key] for key in ("redactions", "review") if key in final},
        }
        await self.send(completed)
        self._previous, self.item, self._sent_words = self.item, self._new_item(), 0


@router.websocket("/v1/realtime")
async def openai_realtime(websocket: WebSocket, intent: str | None = None) -> None:
    sock = Socket(websocket, _openai_error)
    if not await sock.accept():
        return
    session = _OpenAiSession(sock, owner=key_id(websocket))
    try:
        if intent != "transcription":
            raise InvalidRequest(
                "only transcription sessions are served here: connect with ?intent=transcription",
                param="intent",
            )
        await session.send({"type": "transcription_session.created", "session": session.session})
        await run_both(lambda: _read_openai(session), lambda: _write_openai(session))
    except ClientGone:
        pass
    except MynahError as exc:
        await sock.fail(exc)
    except Exception as exc:
        log.exception("realtime socket failed")
        await sock.fail(EngineFailed(f"realtime session failed: {type(exc).__name__}"))
    finally:
        if session.stream is not None:
            await session.stream.wait_closed()


async def _read_openai(session: _OpenAiSession) -> None:
    while True:
        event = await session.sock.receive_json()
        kind = str(event.get("type", ""))
        if kind in ("session.update", "transcription_session.update"):
            await session.update(kind, event.get("session"))
        elif kind == "input_audio_buffer.append":
            try:
                audio = base64.b64decode(str(event.get("audio", "")), validate=True)
            except (binascii.Error, ValueError):
                raise InvalidRequest("audio must be base64 pcm16", param="audio") from None
            (await session.open()).push(audio)
        elif kind == "input_audio_buffer.commit":
            (await session.open()).finalize()
        elif kind == "input_audio_buffer.clear":
            pass  # audio already heard stays heard; nothing is buffered apart from the open utterance
        else:
            raise InvalidRequest(f"unknown or unsupported event type {kind!r}", param="type")


async def _write_openai(session: _OpenAiSession) -> None:
    await session.opened.wait()  # results start once the first audio opened the stream
    assert session.stream is not None
    while (result := await session.stream.next()) is not None:
        await session.result(result)
