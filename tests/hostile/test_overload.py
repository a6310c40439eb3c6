"""Classes 4 and 5: work nobody waits for is stopped, and overload is refused rather than absorbed.
A server with one slot and no queue for each kind of work shows it deterministically: a second
request of a kind that is busy gets 503 + Retry-After at once, the other kind is still served, and
/health answers throughout."""

from __future__ import annotations

import io
import select
import socket
import time
import uuid
import wave
from collections.abc import Iterator

import httpx
import pytest

from tests.hostile.conftest import data_file
from tests.hostile.server import API_KEY, Server, assert_error, start_server


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with start_server(
        tmp_path_factory.mktemp("tight"),
        MYNAH_SERVER__ADMISSION__SPEECH_SLOTS="1",
        MYNAH_SERVER__ADMISSION__SPEECH_QUEUE="0",
        MYNAH_SERVER__ADMISSION__TRANSCRIPTION_SLOTS="1",
        MYNAH_SERVER__ADMISSION__TRANSCRIPTION_QUEUE="0",
        MYNAH_STT__CACHE="false",
    ) as server:
        yield server


def _long_wav(seconds: float) -> bytes:
    """A real recording (16 kHz mono) repeated to `seconds`."""
    with wave.open(str(data_file("goforward.wav"))) as source:
        rate, frames = source.getframerate(), source.readframes(source.getnframes())
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(rate)
        repeats = int(seconds * rate * 2 / len(frames)) + 1
        target.writeframes(frames * repeats)
    return out.getvalue()


def _speech(text: str) -> dict[str, str]:
    return {"model": "tts-1", "voice": "espeak:en-us", "response_format": "wav", "input": text}


def _until(check: object, what: str, deadline: float = 120.0) -> None:
    """Poll `check()` (no sleeping for state: each try is a request) until it is true."""
    end = time.monotonic() + deadline
    while not check():  # type: ignore[operator]
        if time.monotonic() > end:
            raise AssertionError(f"never: {what}")
        time.sleep(0.2)


def test_a_busy_kind_answers_503_with_retry_after_and_the_other_kind_is_served(tight: Server) -> None:
    long_text = "Keep talking while nobody reads the stream. " * 400
    with tight.client() as http, http.stream("POST", "/v1/audio/speech", json=_speech(long_text)) as held:
        assert held.status_code == 200  # holds the one speech slot: its body is not read
        refused = http.post("/v1/audio/speech", json=_speech("Me too."))
        error = assert_error(refused.status_code, refused.json(), 503, "busy", "speech", "ADMISSION")
        assert int(refused.headers["retry-after"]) >= 1 and error["code"] == "overloaded"
        native = http.post("/v1/mynah/speech", json=_speech("Me too."))
        assert native.status_code == 503 and "retry-after" in native.headers
        assert http.get("/health").status_code == 200
        files = {"file": ("go.wav", data_file("goforward.wav").read_bytes(), "audio/wav")}
        heard = http.post("/v1/audio/transcriptions", data={"model": "whisper-1"}, files=files)
        assert heard.status_code == 200, heard.text  # speech being full never starves transcription
        assert "forward" in heard.json()["text"].lower()

    def speech_again() -> bool:
        with tight.client() as http:
            return http.post("/v1/audio/speech", json=_speech("Free again.")).status_code == 200

    _until(speech_again, "the held slot came back after its client left")


def test_a_transcription_whose_client_leaves_is_cancelled(tight: Server) -> None:
    audio = _long_wav(600)
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\ncontent-disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n'
            f'--{boundary}\r\ncontent-disposition: form-data; name="file"; filename="long.wav"\r\n'
            "content-type: audio/wav\r\n\r\n"
        ).encode()
        + audio
        + f"\r\n--{boundary}--\r\n".encode()
    )
    head = (
        f"POST /v1/audio/transcriptions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer {API_KEY}\r\n"
        f"content-type: multipart/form-data; boundary={boundary}\r\ncontent-length: {len(body)}\r\n\r\n"
    ).encode()
    before = tight.log().count("cancelled work stopped")

    def probe() -> int:  # a short transcription: 503 while the one slot is taken
        with tight.client() as http:
            files = {"file": ("go.wav", data_file("goforward.wav").read_bytes(), "audio/wav")}
            return http.post("/v1/audio/transcriptions", data={"model": "whisper-1"}, files=files).status_code

    # On a busy machine a probe can take the slot while the server still parses the long upload;
    # the long one is then refused (its socket has an answer) and is sent again.
    end = time.monotonic() + 120
    while True:
        sock = socket.create_connection(("127.0.0.1", tight.port), timeout=60)
        sock.sendall(head + body)
        while (running := probe() == 503) is False and not select.select([sock], [], [], 0)[0]:
            assert time.monotonic() < end, "never: the long transcription started"
            time.sleep(0.2)
        sock.close()  # the client is gone (or was refused: then send it again)
        if running:
            break
        assert time.monotonic() < end, "never: the long transcription started"
    # the client is gone: the work stops at its next block or window, and the slot is free again
    _until(lambda: tight.log().count("cancelled work stopped") > before, "the transcription was cancelled")
    with tight.client() as http:
        files = {"file": ("go.wav", data_file("goforward.wav").read_bytes(), "audio/wav")}
        response = http.post("/v1/audio/transcriptions", data={"model": "whisper-1"}, files=files)
        assert response.status_code == 200, response.text


def test_health_needs_no_slot(tight: Server) -> None:
    with httpx.Client(base_url=tight.url, timeout=30) as http:
        assert http.get("/health").json()["status"] == "ok"
