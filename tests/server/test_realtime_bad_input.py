"""Bad input on every socket gets a clear error event and a close code; the server stays healthy.
A refused OpenAI `session.update` is the one exception: an error event, and the socket stays open.

A server of its own (a short idle timeout, a small message limit), the embedded engines, the real
`websockets` client."""

from __future__ import annotations

import asyncio
import io
import json
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from mynah.config import ModelSettings, RealtimeSettings, Settings
from tests.support import LiveServer, start_live_server

SPEECH = "/v1/mynah/speech/stream"
TRANSCRIPTION = "/v1/mynah/transcriptions/stream"
WAVES = "/waves/v1/tts/stream"
REALTIME = "/v1/realtime?intent=transcription"
SOCKETS = [SPEECH, TRANSCRIPTION, WAVES, REALTIME]
FIRST = {
    SPEECH: {"voice": "espeak:en-us", "format": "pcm"},
    TRANSCRIPTION: {"model": "pocketsphinx:en-us", "sample_rate": 16000},
    WAVES: {"voice_id": "espeak:en-us", "text": "", "continue": True},
    REALTIME: {"type": "session.update", "session": {"input_audio_format": "pcm16"}},
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("mynah-rt-bad"),
        models=ModelSettings(offline=True),
        realtime=RealtimeSettings(idle_timeout=3.0, max_message_bytes=64 * 1024),
    )
    with start_live_server(settings) as live:
        yield live


def ws_url(server: LiveServer, path: str) -> str:
    return server.url.replace("http://", "ws://") + path


async def closing(ws: ClientConnection) -> tuple[list[Any], int | None]:
    """Every message until the server closes, and its close code."""
    messages: list[Any] = []
    try:
        async with asyncio.timeout(30):
            async for message in ws:
                messages.append(json.loads(message) if isinstance(message, str) else message)
    except ConnectionClosed:
        pass
    return messages, ws.close_code


def error_of(messages: list[Any]) -> dict[str, Any]:
    events = [
        m
        for m in messages
        if isinstance(m, dict) and (m.get("type") == "error" or m.get("status") == "error")
    ]
    assert events, f"no error event in {messages!r}"
    event = events[-1]
    found: dict[str, Any] = event.get("error", event)
    return found


async def ends_with(server: LiveServer, path: str, *send: str | bytes) -> tuple[dict[str, Any], int | None]:
    async with connect(ws_url(server, path), max_size=None) as ws:
        for message in send:
            await ws.send(message)
        messages, code = await closing(ws)
    return error_of(messages), code


def healthy(server: LiveServer) -> None:
    assert httpx.get(server.url + "/health", timeout=30).status_code == 200
    stats = httpx.get(server.v1 + "/mynah/realtime", params={"drain": 10}, timeout=30).json()
    assert stats["streams"] == 0 and stats["queued_units"] == 0 and stats["running_units"] == 0


@pytest.mark.parametrize("path", SOCKETS)
def test_non_json_is_an_error_event_and_4400(server: LiveServer, path: str) -> None:
    first = [] if path == REALTIME else [json.dumps(FIRST[path])]
    error, code = asyncio.run(ends_with(server, path, *first, "{not json"))
    assert code == 4400
    assert "JSON" in error["message"]
    healthy(server)


@pytest.mark.parametrize("path", SOCKETS)
def test_an_oversized_frame_is_4413(server: LiveServer, path: str) -> None:
    error, code = asyncio.run(ends_with(server, path, b"\0" * (128 * 1024)))
    assert code == 4413
    assert "limit" in error["message"]
    healthy(server)


@pytest.mark.parametrize("path", SOCKETS)
def test_a_10_mb_text_message_is_4413(server: LiveServer, path: str) -> None:
    huge = json.dumps({"text": "a" * (10 * 1024 * 1024)})
    error, code = asyncio.run(ends_with(server, path, huge))
    assert code == 4413
    assert error["code"] == "payload_too_large"
    healthy(server)


@pytest.mark.parametrize("path", SOCKETS)
def test_silence_past_the_idle_timeout_is_4408(server: LiveServer, path: str) -> None:
    error, code = asyncio.run(ends_with(server, path))
    assert code == 4408
    assert error["code"] == "idle_timeout"
    healthy(server)


@pytest.mark.parametrize(
    ("path", "first"),
    [(SPEECH, {"voice": "espeak:no-such-voice"}), (WAVES, {"voice_id": "nobody", "text": "hi"})],
)
def test_an_unknown_voice_in_the_first_message_is_4400(
    server: LiveServer, path: str, first: dict[str, Any]
) -> None:
    error, code = asyncio.run(ends_with(server, path, json.dumps(first)))
    assert code == 4400
    assert error["code"] == "unknown_voice"
    healthy(server)


def test_an_unknown_model_is_4404(server: LiveServer) -> None:
    error, code = asyncio.run(ends_with(server, TRANSCRIPTION, json.dumps({"model": "whisper:no-such"})))
    assert code == 4404
    assert error["code"] == "model_not_found"
    healthy(server)


def test_audio_before_the_configuration_is_4400(server: LiveServer) -> None:
    error, code = asyncio.run(ends_with(server, TRANSCRIPTION, b"\0\0" * 1600))
    assert code == 4400
    assert "configuration" in error["message"]
    healthy(server)


def _wav(rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\0\0" * rate)
    return buffer.getvalue()


def test_a_declared_rate_the_audio_does_not_have_is_refused(server: LiveServer) -> None:
    config = json.dumps(FIRST[TRANSCRIPTION])
    error, code = asyncio.run(ends_with(server, TRANSCRIPTION, config, _wav(8000)))
    assert code == 4400
    assert "8000" in error["message"] and "16000" in error["message"]
    healthy(server)


def test_odd_length_pcm_is_refused(server: LiveServer) -> None:
    error, code = asyncio.run(ends_with(server, TRANSCRIPTION, json.dumps(FIRST[TRANSCRIPTION]), b"\0\0\0"))
    assert code == 4400
    assert error["code"] == "invalid_audio"


def test_realtime_rejects_bad_base64_and_other_intents(server: LiveServer) -> None:
    error, code = asyncio.run(
        ends_with(server, REALTIME, json.dumps({"type": "input_audio_buffer.append", "audio": "@@@"}))
    )
    assert code == 4400 and error["param"] == "audio"
    error, code = asyncio.run(ends_with(server, "/v1/realtime?intent=conversation"))
    assert code == 4400 and error["param"] == "intent"
    healthy(server)


def test_unknown_message_types_and_a_bad_config_are_4400(server: LiveServer) -> None:
    error, code = asyncio.run(
        ends_with(server, SPEECH, json.dumps({"voice": "espeak:en-us", "colour": "red"}))
    )
    assert code == 4400 and "colour" in error["message"]
    config = json.dumps(FIRST[SPEECH])
    error, code = asyncio.run(ends_with(server, SPEECH, config, json.dumps({"type": "dance"})))
    assert code == 4400 and "dance" in error["message"]


def _update(transcription: dict[str, Any], **session: Any) -> str:
    body = {"input_audio_transcription": transcription, **session}
    return json.dumps({"type": "session.update", "session": body})


async def refused_then_updated(server: LiveServer, transcription: dict[str, Any]) -> list[dict[str, Any]]:
    """A session.update with `transcription` (and a turn detection of its own), then one with a
    valid transcription alone, on one socket: every event the server sent up to the answer to the
    second."""
    async with connect(ws_url(server, REALTIME)) as ws:
        events = [json.loads(await ws.recv())]  # transcription_session.created
        turn = {"type": "server_vad", "silence_duration_ms": 900}
        await ws.send(_update(transcription, turn_detection=turn))
        async with asyncio.timeout(30):
            events.append(json.loads(await ws.recv()))
            await ws.send(_update({"model": "pocketsphinx:en-us"}))
            events.append(json.loads(await ws.recv()))
    return events


@pytest.mark.parametrize(
    ("asked", "param", "said"),
    [
        ({"redact": ["PERSON", "NOPE"]}, "redact", "PHONE_NUMBER"),  # the message lists the known types
        ({"redact": "LOCATION", "redact_policy": "shred"}, "redact_policy", "mask"),
        ({"redact_audio": True}, "redact_audio", "file or a job"),
    ],
)
def test_realtime_refuses_a_bad_redaction_at_session_update_and_stays_open(
    server: LiveServer, asked: dict[str, Any], param: str, said: str
) -> None:
    """Refused before any audio, with the protocol's error event; the socket stays open and the
    session as it was, so a corrected update is taken."""
    created, error, updated = asyncio.run(
        refused_then_updated(server, {"model": "pocketsphinx:en-us", **asked})
    )
    assert created["type"] == "transcription_session.created"
    assert error["type"] == "error", error
    assert error["error"]["param"] == param and said in error["error"]["message"], error
    assert error["error"]["type"] == "invalid_request_error"
    assert updated["type"] == "session.updated"
    assert updated["session"]["input_audio_transcription"] == {"model": "pocketsphinx:en-us"}
    assert updated["session"]["turn_detection"] == created["session"]["turn_detection"]  # none of it kept
    healthy(server)


def test_after_all_that_a_stream_still_works(server: LiveServer) -> None:
    async def speak() -> tuple[int, list[dict[str, Any]]]:
        async with connect(ws_url(server, SPEECH)) as ws:
            await ws.send(json.dumps(FIRST[SPEECH]))
            await ws.send(json.dumps({"text": "Still here."}))
            await ws.send(json.dumps({"text": ""}))
            audio, events = 0, []
            async for message in ws:
                if isinstance(message, bytes):
                    audio += len(message)
                    continue
                events.append(json.loads(message))
                if events[-1]["type"] == "done":
                    return audio, events
        raise AssertionError("no done event")

    audio, events = asyncio.run(speak())
    assert audio > 0 and events[0]["type"] == "ready"
    healthy(server)


def test_a_refused_key_is_refused_on_sockets_too(tmp_path: Path) -> None:
    from mynah.config import ServerSettings

    settings = Settings(
        data_dir=tmp_path, models=ModelSettings(offline=True), server=ServerSettings(api_key="k")
    )

    async def attempt(headers: dict[str, str]) -> int | None:
        try:
            async with connect(ws_url(live, SPEECH), additional_headers=headers) as ws:
                await ws.send(json.dumps(FIRST[SPEECH]))
                return 0 if json.loads(await ws.recv())["type"] == "ready" else -1
        except Exception as exc:  # the handshake is refused with the HTTP status
            response = getattr(exc, "response", None)
            return getattr(response, "status_code", None)

    with start_live_server(settings) as live:
        assert asyncio.run(attempt({})) == 401
        assert asyncio.run(attempt({"Authorization": "Bearer k"})) == 0


def test_the_openai_client_reads_the_refusal_and_its_session_goes_on(server: LiveServer) -> None:
    from openai import AsyncOpenAI

    async def run() -> list[Any]:
        client = AsyncOpenAI(base_url=server.v1, api_key="unused")
        async with client.realtime.connect(extra_query={"intent": "transcription"}) as connection:
            events = [await connection.recv()]
            for redact in (["EMAIL_ADDRESS", "NOPE"], ["EMAIL_ADDRESS"]):
                transcription = {"model": "pocketsphinx:en-us", "redact": redact}
                input_audio = {"format": {"type": "audio/pcm", "rate": 16000}, "transcription": transcription}
                session = {"type": "transcription", "audio": {"input": input_audio}}
                await connection.send({"type": "session.update", "session": session})
                events.append(await connection.recv())
        await client.close()
        return events

    created, error, updated = asyncio.run(run())
    assert created.type == "transcription_session.created"
    assert error.type == "error" and error.error.param == "redact" and "NOPE" in error.error.message
    assert updated.type == "session.updated"
