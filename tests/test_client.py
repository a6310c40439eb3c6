"""mynah.client against the live server; retry behaviour against a flaky transport."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from mynah.client import AsyncClient, Client, MynahClientError
from tests.support import LiveServer, decoded_seconds


def test_sync_client_round_trip(live_server: LiveServer, speech_dir: Path) -> None:
    with Client(live_server.url) as client:
        assert client.health()["status"] == "ok"
        assert any(v["id"] == "espeak:en-us" for v in client.voices())
        assert any(m["id"] == "whisper-1" for m in client.models())
        audio = client.speech("Testing the client.", voice="espeak:en-us", response_format="wav")
        assert decoded_seconds(audio) > 0.5
        streamed = b"".join(
            client.stream_speech("Testing the stream.", voice="espeak:en-us", response_format="mp3")
        )
        assert decoded_seconds(streamed) > 0.5
        result = client.transcribe(
            speech_dir / "goforward.wav", response_format="verbose_json", timestamp_granularities=["word"]
        )
        assert "forward" in result["text"]
        assert result["words"]
        srt = client.transcribe((speech_dir / "goforward.wav").read_bytes(), response_format="srt")
        assert "-->" in srt


def test_sync_client_raises_the_servers_error(live_server: LiveServer) -> None:
    with Client(live_server.url) as client, pytest.raises(MynahClientError) as info:
        client.speech("hi", voice="nobody-here")
    assert info.value.status == 400
    assert info.value.code == "unknown_voice"
    assert "nobody-here" in info.value.message


def test_async_client_round_trip(live_server: LiveServer, speech_dir: Path) -> None:
    async def scenario() -> None:
        async with AsyncClient(live_server.url) as client:
            audio = await client.speech("Async hello.", voice="espeak:en-us", response_format="flac")
            assert decoded_seconds(audio) > 0.5
            chunks = [
                c
                async for c in client.stream_speech(
                    "Async stream.", voice="espeak:en-us", response_format="wav"
                )
            ]
            assert decoded_seconds(b"".join(chunks)) > 0.5
            text = await client.transcribe(speech_dir / "goforward.wav", response_format="text")
            assert "forward" in text
            with pytest.raises(MynahClientError):
                await client.speech("", voice="espeak:en-us")

    asyncio.run(scenario())


def _flaky(failures: int) -> tuple[list[int], httpx.MockTransport]:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) <= failures:
            return httpx.Response(503, json={"error": {"message": "busy", "code": "engine_unavailable"}})
        return httpx.Response(200, json={"status": "ok"})

    return calls, httpx.MockTransport(handler)


def test_transient_failures_are_retried() -> None:
    calls, transport = _flaky(2)
    with Client("http://mynah.test", transport=transport, retries=3) as client:
        assert client.health() == {"status": "ok"}
    assert len(calls) == 3


def test_retries_give_up_with_the_last_error() -> None:
    calls, transport = _flaky(10)
    with (
        Client("http://mynah.test", transport=transport, retries=2) as client,
        pytest.raises(MynahClientError) as info,
    ):
        client.health()
    assert len(calls) == 3
    assert info.value.status == 503


def test_async_retries() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(502 if len(calls) == 1 else 200, json={"status": "ok"})

    async def scenario() -> None:
        async with AsyncClient("http://mynah.test", transport=httpx.MockTransport(handler)) as client:
            assert (await client.health())["status"] == "ok"

    asyncio.run(scenario())
    assert len(calls) == 2
