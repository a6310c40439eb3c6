"""Bad input gets a 4xx with a JSON body that names the problem, and the server stays up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import LiveServer


@pytest.fixture(scope="module")
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        yield client


def _speech(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": "tts-1",
        "input": "Hello.",
        "voice": "espeak:en-us",
        "response_format": "wav",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def _assert_error(response: httpx.Response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    message = error["message"].lower()
    for word in words:
        assert word.lower() in message, message
    assert "traceback" not in response.text.lower()


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (_speech(input=""), 400, ["input", "empty"]),
        (_speech(input="   \n "), 400, ["input", "empty"]),
        (_speech(voice="no-such-voice"), 400, ["voice", "no-such-voice"]),
        (_speech(voice="espeak:xx-nonexistent"), 400, ["xx-nonexistent"]),
        (_speech(response_format="mp4"), 400, ["mp4", "format"]),
        (_speech(speed=0), 400, ["speed"]),
        (_speech(speed=100), 400, ["speed"]),
        (_speech(speed="fast"), 400, ["speed"]),
        (_speech(sample_rate=12345), 400, ["12345"]),
        (_speech(sample_rate=-1), 400, ["sample"]),
        (_speech(model="no-such-model"), 404, ["no-such-model"]),
        (_speech(input=None), 400, ["input", "required"]),
        (_speech(voice=None), 400, ["voice", "required"]),
        (_speech(stream_format="carrier-pigeon"), 400, ["stream_format"]),
    ],
)
def test_bad_speech_requests(http: httpx.Client, body: dict[str, Any], status: int, words: list[str]) -> None:
    _assert_error(http.post("/v1/audio/speech", json=body), status, *words)


def test_ten_megabytes_of_text_is_refused_with_413(http: httpx.Client) -> None:
    response = http.post("/v1/audio/speech", json=_speech(input="word " * (2 * 1024 * 1024)))
    _assert_error(response, 413, "body", "limit", "MYNAH_SERVER__MAX_BODY_BYTES")


@pytest.mark.parametrize("stream_format", ["audio", "sse"])
@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            _speech(input='<speak><break time="1s"/>Hi <voice name="espeak:xx-nobody">there</voice></speak>'),
            ["xx-nobody"],
        ),
        (_speech(input="<speak><break/>unclosed"), ["ssml"]),
        (_speech(response_format="pcm", sample_rate=44101), ["44101"]),
        (_speech(input='<speak><break time="2s"/></speak>'), ["nothing to speak"]),
    ],
)
def test_bad_speech_fails_before_the_stream_starts(
    http: httpx.Client, body: dict[str, Any], words: list[str], stream_format: str
) -> None:
    _assert_error(http.post("/v1/audio/speech", json={**body, "stream_format": stream_format}), 400, *words)


@pytest.mark.parametrize(
    ("ssml", "line", "column"),
    [
        ("<speak>\n  Hi <bogus>x</bogus></speak>", 2, 6),  # checked by mynah: the element's start
        ("<speak>\n\u00e9t\u00e9 <break time='x'/></speak>", 2, 22),  # characters, not bytes
        ("<speak>\n<p>unclosed</s></speak>", 2, 14),  # malformed XML: where expat stopped
    ],
)
def test_malformed_ssml_error_carries_line_and_column(
    http: httpx.Client, ssml: str, line: int, column: int
) -> None:
    response = http.post("/v1/mynah/speech", json=_speech(input=ssml))
    _assert_error(response, 400, f"line {line}, column {column}")
    error = response.json()["error"]
    assert (error["line"], error["column"], error["param"]) == (line, column, "input")


def test_speech_body_that_is_not_json(http: httpx.Client) -> None:
    response = http.post("/v1/audio/speech", content=b"input=hello", headers={"content-type": "text/plain"})
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


def test_malformed_json(http: httpx.Client) -> None:
    response = http.post(
        "/v1/audio/speech", content=b'{"input": "hi", ', headers={"content-type": "application/json"}
    )
    _assert_error(response, 400, "json")


def _transcribe(http: httpx.Client, name: str, data: bytes, **form: str) -> httpx.Response:
    fields = {"model": "whisper-1", **form}
    return http.post("/v1/audio/transcriptions", data=fields, files={"file": (name, data)})


def test_empty_upload(http: httpx.Client) -> None:
    _assert_error(_transcribe(http, "empty.wav", b""), 400, "empty")


def test_truncated_mp3(http: httpx.Client, live_server: LiveServer) -> None:
    from mynah.audio.encode import encode_audio
    from mynah.audio.formats import AudioFormat

    chunks = live_server.runtime.speech.stream(live_server.runtime.speech.prepare("Truncated audio test."))
    chunk = next(iter(chunks))
    mp3 = encode_audio(chunk.samples, chunk.sample_rate, AudioFormat.mp3)
    _assert_error(_transcribe(http, "cut.mp3", mp3[:200]), 400, "audio")


def test_text_file_uploaded_as_audio(http: httpx.Client) -> None:
    _assert_error(
        _transcribe(http, "notes.txt", b"Dear diary, today I wrote a text file.\n" * 20), 400, "audio"
    )


def test_missing_file_field(http: httpx.Client) -> None:
    response = http.post("/v1/audio/transcriptions", data={"model": "whisper-1"})
    _assert_error(response, 400, "file", "required")


def test_missing_model_field(http: httpx.Client, speech_dir: Path) -> None:
    data = (speech_dir / "goforward.wav").read_bytes()
    response = http.post("/v1/audio/transcriptions", files={"file": ("a.wav", data)})
    _assert_error(response, 400, "model", "required")


def test_unknown_transcription_model_and_format(http: httpx.Client, speech_dir: Path) -> None:
    data = (speech_dir / "goforward.wav").read_bytes()
    _assert_error(_transcribe(http, "a.wav", data, model="nope-1"), 404, "nope-1")
    _assert_error(_transcribe(http, "a.wav", data, response_format="docx"), 400, "docx")
    _assert_error(_transcribe(http, "a.wav", data, language="xx"), 400, "language")


def test_file_sent_as_a_plain_form_field(http: httpx.Client) -> None:
    response = http.post("/v1/audio/transcriptions", data={"model": "whisper-1", "file": "not a file"})
    _assert_error(response, 400, "file")


def test_unknown_route_and_wrong_method_are_json(http: httpx.Client) -> None:
    _assert_error(http.get("/v1/nothing-here"), 404, "not found")
    _assert_error(http.get("/v1/audio/speech"), 405, "method")


def test_server_is_still_up_after_all_that(http: httpx.Client) -> None:
    for _ in range(3):
        _transcribe(http, "x.txt", b"garbage")
        http.post("/v1/audio/speech", json=_speech(voice="nope"))
    health = http.get("/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
