"""A streamed speech response delivers every byte, or ends in an error the client sees.

Many concurrent streams on a busy machine are each checked byte for byte against what the server says
it rendered for them; a deliberately failing engine shows what the client sees when synthesis breaks:
before any audio, a clean error response; after the 200, an aborted chunked transfer (the client
raises) or an SSE `error` event, never a clean end."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from mynah.config import ModelSettings, Settings
from mynah.runtime import Runtime
from tests.support import LiveServer, start_live_server
from tests.tts.streams import (
    FAIL_WORD,
    RENDER_EVERY_STREAM,
    ROOM_FOR_EVERY_STREAM,
    FailingEngine,
    busy_machine,
    stream_many,
    stream_speech,
)

TEXT = (
    "The quick brown fox jumps over the lazy dog. Then it runs into the forest, far from the farm. "
    "Nobody sees it again until the spring, when the snow melts and the rivers run high."
)
FAILING = f"The first sentence is fine. So is the second one. The third one goes {FAIL_WORD} here. A fourth."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of this module's own (its render log is this module's alone), with a failing engine
    registered beside espeak-ng the way a plug-in would be."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("streams"),
        engines=["espeak", "flite", "pocketsphinx"],
        models=ModelSettings(offline=True),
        server=ROOM_FOR_EVERY_STREAM,
        platform=RENDER_EVERY_STREAM,
    )
    runtime = Runtime.start(settings)
    runtime.registry.tts_engines["failing"] = FailingEngine(runtime.registry.tts_engines["espeak"])
    with start_live_server(settings, runtime) as live:
        yield live


def _rendered(caplog: pytest.LogCaptureFixture) -> list[int]:
    return [
        r.speech_bytes for r in caplog.records if r.name == "mynah.tts.render" and hasattr(r, "speech_bytes")
    ]


def test_many_concurrent_streams_on_a_busy_machine_deliver_every_byte(
    server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mynah.tts.render")
    voices = ["espeak:en-us", "espeak:en-gb", "espeak:en-us+f3"]
    with busy_machine():
        streams = stream_many(server.url, voices, TEXT, count=36, concurrency=18)
    assert [s for s in streams if s.error is not None] == []
    for stream in streams:
        assert stream.headers["x-mynah-sample-rate"] == "24000"
        assert len(stream.data) % 2 == 0
        assert len(stream.data) / 2 / 24000 > 7.0, f"stream {stream.index} is short"
    # Every stream the clients got is one the server finished rendering, byte for byte: a stream cut
    # short anywhere (a lost tail, a stop between flushes) has a length the server never rendered.
    assert Counter(len(s.data) for s in streams) == Counter(_rendered(caplog))
    # mynah's own errors and the server's (a Ray session an earlier test left in this worker logs
    # from its own threads)
    assert not [
        r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith(("mynah", "uvicorn"))
    ]


def test_a_stream_is_the_same_bytes_as_its_whole_response(server: LiveServer) -> None:
    """flite's output is the same on every run, so a streamed body and a whole one can be compared."""
    if "flite" not in server.runtime.registry.tts_engines:
        pytest.skip("flite is not installed (apt-get install flite): no engine here speaks identically twice")
    whole = httpx.post(
        server.url + "/v1/audio/speech",
        json={"model": "tts-1", "voice": "flite:slt", "input": TEXT, "response_format": "pcm"},
        timeout=120,
    ).content
    with busy_machine():
        streams = stream_many(server.url, ["flite:slt"], TEXT, count=12, concurrency=12)
    assert [s.error for s in streams if s.error is not None] == []
    assert all(s.data == whole for s in streams)


def test_an_engine_failing_before_any_audio_is_a_clean_error_even_after_a_leading_break(
    server: LiveServer,
) -> None:
    """SSML that opens with <break> makes silence first; the route still synthesises up to the first
    audio an engine makes before it answers, so the failure is an error response, not a 200."""
    ssml = f'<speak><break time="500ms"/>This goes {FAIL_WORD} at once.</speak>'
    for fmt in ("pcm", "wav", "mp3"):
        response = httpx.post(
            server.url + "/v1/audio/speech",
            json={"model": "tts-1", "voice": "failing:en-us", "input": ssml, "response_format": fmt},
            timeout=60,
        )
        assert response.status_code == 500, response.text
        error = response.json()["error"]
        assert error["code"] == "engine_failed"
        assert "broke on purpose" in error["message"]


@pytest.mark.parametrize("index", [0, 1], ids=["openai", "httpx"])
def test_an_engine_failing_mid_stream_aborts_the_transfer(server: LiveServer, index: int) -> None:
    stream = stream_speech(server.url, index, "failing:en-us", FAILING)
    assert stream.headers["x-mynah-engine"] == "failing"
    assert len(stream.data) > 24000, "the first sentences were delivered"
    # httpx's (or, for the openai client, its own httpx fork's) error for a body cut short
    assert type(stream.error).__name__ == "RemoteProtocolError", repr(stream.error)
    assert "incomplete chunked read" in str(stream.error)


def test_an_engine_failing_mid_stream_ends_an_sse_stream_with_an_error_event(server: LiveServer) -> None:
    body = {
        "model": "tts-1",
        "voice": "failing:en-us",
        "input": FAILING,
        "response_format": "pcm",
        "stream_format": "sse",
        "timings": True,
    }
    with httpx.stream("POST", server.url + "/v1/audio/speech", json=body, timeout=60) as response:
        assert response.status_code == 200
        events = [json.loads(line[6:]) for line in response.iter_lines() if line.startswith("data: ")]
    types = [e["type"] for e in events]
    assert "speech.audio.delta" in types and "speech.word" in types
    assert types[-1] == "error" and "speech.audio.done" not in types
    assert events[-1]["error"]["code"] == "engine_failed"
    assert "broke on purpose" in events[-1]["error"]["message"]


def test_the_native_route_reports_a_failure_as_an_error_response(server: LiveServer) -> None:
    response = httpx.post(
        server.url + "/v1/mynah/speech", json={"voice": "failing:en-us", "input": FAILING}, timeout=60
    )
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "engine_failed"


def test_a_render_that_fails_never_looks_complete(server: LiveServer) -> None:
    from mynah.audio.formats import AudioFormat
    from mynah.errors import EngineFailed
    from mynah.tts.render import Render

    speech = server.runtime.speech
    prepared = speech.prepare(FAILING, voice="failing:en-us")
    render = Render.open(speech, prepared, AudioFormat.wav)
    with pytest.raises(EngineFailed, match="broke on purpose"):
        for _ in render:
            pass
    assert not render.complete
