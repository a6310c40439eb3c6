"""Slow clients and long work: a body trickled in is cut off with 408 and its connection closed; a
transcription or synthesis over its time budget is stopped (mynah.cancel) with a clear error."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from http.client import HTTPResponse
from pathlib import Path

import httpx
import numpy as np
import pytest

from mynah.audio.decode import decode_audio
from mynah.audio.encode import encode_audio
from mynah.audio.formats import AudioFormat
from tests.hostile.server import AUTH, Server, assert_error, start_server

BODY_TIMEOUT = 2.0
WORK_SECONDS = 2.0
SPEECH_WORK_SECONDS = 0.25
"""espeak-ng renders LONG_TEXT (15 minutes of audio) in about 1.4 s on an idle machine: well past this,
however fast the machine; one sentence (the suite's health check) is done long before it."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """This module's own server (the suite's `healthy_afterwards` checks it after every test)."""
    with start_server(
        tmp_path_factory.mktemp("slow"),
        MYNAH_SERVER__BODY_TIMEOUT_SECONDS=str(BODY_TIMEOUT),
        MYNAH_STT__MAX_WORK_SECONDS=str(WORK_SECONDS),
        MYNAH_TTS__MAX_WORK_SECONDS=str(SPEECH_WORK_SECONDS),
        MYNAH_STT__CACHE="false",
    ) as started:
        with started.client() as http:  # the first synthesis loads the engine: not inside a budget
            warm = {"model": "tts-1", "input": "Warm.", "voice": "espeak:en-us", "response_format": "wav"}
            for _ in range(3):
                with contextlib.suppress(httpx.TransportError):
                    if http.post("/v1/audio/speech", json=warm).status_code == 200:
                        break
        yield started


def _trickle(
    server: Server, path: str, headers: dict[str, str], body: bytes, *, every: float | None
) -> tuple[HTTPResponse, socket.socket, int]:
    """Send the headers and the first bytes of `body`, then one more byte each `every` seconds (or
    nothing more, when None) until the server answers. The parsed answer, the socket, bytes sent."""
    head = [f"POST {path} HTTP/1.1", f"host: 127.0.0.1:{server.port}", f"content-length: {len(body)}"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body[:10])
    sent = [10]
    answered = threading.Event()

    def drip() -> None:
        while every is not None and sent[0] < len(body) - 1 and not answered.wait(every):
            try:
                sock.sendall(body[sent[0] : sent[0] + 1])
            except OSError:
                return
            sent[0] += 1

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    response = HTTPResponse(sock)
    response.begin()
    answered.set()
    dripper.join(timeout=10)
    return response, sock, sent[0]


def _closed_by_server(sock: socket.socket) -> bool:
    """The server closed the connection: reading gives end-of-file (or a reset), not a hang."""
    sock.settimeout(30)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    finally:
        sock.close()


def test_a_trickled_json_body_is_408_and_its_connection_closed(server: Server) -> None:
    text = "A request whose body arrives one byte at a time. " * 40
    body = json.dumps({"model": "tts-1", "input": text, "voice": "espeak:en-us"}).encode()
    response, sock, sent = _trickle(
        server, "/v1/audio/speech", {**AUTH, "content-type": "application/json"}, body, every=0.2
    )
    answer = json.loads(response.read())
    assert_error(response.status, answer, 408, "MYNAH_SERVER__BODY_TIMEOUT_SECONDS")
    assert response.getheader("connection", "").lower() == "close"
    assert sent < len(body), "cut off before the body was complete"
    assert _closed_by_server(sock)


def test_a_stalled_upload_is_408_and_its_connection_closed(server: Server, speech_dir: Path) -> None:
    audio = (speech_dir / "goforward.wav").read_bytes()
    boundary = "mynahboundary"
    body = (
        (
            f'--{boundary}\r\ncontent-disposition: form-data; name="model"\r\n\r\npocketsphinx\r\n'
            f'--{boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.wav"\r\n'
            "content-type: audio/wav\r\n\r\n"
        ).encode()
        + audio
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {**AUTH, "content-type": f"multipart/form-data; boundary={boundary}"}
    response, sock, sent = _trickle(server, "/v1/audio/transcriptions", headers, body, every=None)
    assert_error(response.status, json.loads(response.read()), 408, "body")
    assert sent == 10
    assert _closed_by_server(sock)


def test_a_body_sent_in_time_is_served_on_a_kept_alive_connection(server: Server) -> None:
    with server.client() as http:
        for _ in range(2):
            answer = http.post(
                "/v1/audio/speech",
                json={
                    "model": "tts-1",
                    "input": "In time.",
                    "voice": "espeak:en-us",
                    "response_format": "wav",
                },
            )
            assert answer.status_code == 200, answer.text


# ------------------------------------------------------------------------------------ time budgets

LONG_TEXT = "The committee met on Tuesday to review the budget for the coming year. " * 250


def _long_recording(speech_dir: Path) -> bytes:
    """The eight LJSpeech clips, each followed by a second of silence (about a minute of audio)."""
    pause = np.zeros(16000, dtype=np.float32)
    parts = []
    for i in range(1, 9):
        clip = decode_audio((speech_dir / "ljspeech" / f"LJ001-000{i}.flac").read_bytes(), 16000)
        parts += [np.asarray(clip, dtype=np.float32), pause]
    return encode_audio(np.concatenate(parts), 16000, AudioFormat.wav)


def test_a_transcription_over_its_time_budget_is_stopped_with_413(server: Server, speech_dir: Path) -> None:
    with server.client() as http:
        answer = http.post(
            "/v1/audio/transcriptions",
            files={"file": ("long.wav", _long_recording(speech_dir), "audio/wav")},
            data={"model": "pocketsphinx"},
        )
    error = assert_error(answer.status_code, answer.json(), 413, "MYNAH_STT__MAX_WORK_SECONDS", "job")
    assert error["code"] == "time_budget_exceeded"
    assert "MYNAH_STT__MAX_WORK_SECONDS" in server.wait_for_log("cancelled work stopped")


def test_a_synthesis_over_its_time_budget_is_413_before_its_response(server: Server) -> None:
    with server.client() as http:
        answer = http.post(
            "/v1/mynah/speech", json={"input": LONG_TEXT, "voice": "espeak:en-us", "response_format": "mp3"}
        )
    error = assert_error(answer.status_code, answer.json(), 413, "MYNAH_TTS__MAX_WORK_SECONDS")
    assert error["code"] == "time_budget_exceeded"


def test_a_stream_over_its_time_budget_is_cut_off_or_ends_in_an_error_event(server: Server) -> None:
    body = {"model": "tts-1", "input": LONG_TEXT, "voice": "espeak:en-us", "response_format": "pcm"}
    with server.client() as http:
        with (
            pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"),
            http.stream("POST", "/v1/audio/speech", json=body) as stream,
        ):
            assert stream.status_code == 200
            for _ in stream.iter_bytes():
                pass
        events = http.post("/v1/audio/speech", json={**body, "stream_format": "sse"})
    assert events.status_code == 200
    last = json.loads(events.text.strip().splitlines()[-1].removeprefix("data: "))
    assert last["type"] == "error" and last["error"]["code"] == "time_budget_exceeded"
    assert "MYNAH_TTS__MAX_WORK_SECONDS" in last["error"]["message"]


def test_a_live_speech_socket_over_its_time_budget_gets_an_error_event_and_a_close_code(
    server: Server,
) -> None:
    """The speech socket is bound by the same budget, per utterance: its synthesis stops, the client
    gets an error event naming the setting, and the socket closes with 4413."""
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    url = server.url.replace("http://", "ws://") + "/v1/mynah/speech/stream"
    with connect(url, additional_headers=AUTH, open_timeout=30, max_size=None) as ws:
        ws.send(json.dumps({"voice": "espeak:en-us", "format": "pcm"}))
        assert json.loads(ws.recv(timeout=30))["type"] == "ready"
        ws.send(json.dumps({"text": LONG_TEXT}))
        ws.send(json.dumps({"text": ""}))
        events: list[dict[str, object]] = []
        audio = 0
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                message = ws.recv(timeout=60)
                if isinstance(message, bytes):
                    audio += len(message)
                else:
                    events.append(json.loads(message))
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4413
    assert audio > 0, "what was made within the budget was sent"
    assert [e["type"] for e in events if e["type"] in ("error", "done")] == ["error"]
    error = next(e for e in events if e["type"] == "error")["error"]
    assert isinstance(error, dict) and error["code"] == "time_budget_exceeded"
    assert "MYNAH_TTS__MAX_WORK_SECONDS" in str(error["message"])
