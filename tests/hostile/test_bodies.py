"""Class 1: bodies are never read before the key and the limit. Chunked or not, a request without a
valid key is refused before its body is read, and a body over its route's budget is refused as soon
as it passes it, without the server buffering it in memory or spooling it to disk."""

from __future__ import annotations

import json
import socket
from http.client import HTTPResponse

import pytest

from tests.hostile.conftest import MB
from tests.hostile.server import AUTH, Server, assert_error, raw_request, zeros

SPEECH = "/v1/audio/speech"
UPLOADS = ["/v1/audio/transcriptions", "/api/v1/pulse/get_text", "/whisperapi"]


@pytest.mark.parametrize("path", [SPEECH, "/v1/mynah/speech", "/v1/text/normalize", *UPLOADS])
def test_a_chunked_body_without_a_key_is_refused_before_it_is_read(bounded: Server, path: str) -> None:
    response = raw_request(
        bounded, "POST", path, zeros(300 * MB), headers={"content-type": "application/json"}
    )
    assert_error(response.status, response.json(), 401, "api key")
    assert response.headers["www-authenticate"].lower().startswith("bearer")
    assert response.sent < 64 * MB


@pytest.mark.parametrize("path", ["/v1/text/normalize", "/whisperapi"])
def test_a_client_that_sends_its_whole_body_before_reading_gets_the_401(server: Server, path: str) -> None:
    """As `requests` does (schemathesis, many SDKs): the body is written in full, then the answer is
    read. The server answers first; had it closed with the body unread, the kernel would reset the
    connection and drop the answer still in flight."""
    body = b"x" * (12 * MB)  # more than the socket buffers hold: unread when the answer goes out
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
            head = f"POST {path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
            sock.sendall(head.encode() + body)
            response = HTTPResponse(sock)
            response.begin()
            answer = response.read()
        assert response.status == 401, answer
        assert_error(response.status, json.loads(answer), 401, "api key")


@pytest.mark.parametrize("key", ["Bearer wrong", "Basic aG9zdGlsZTp0ZXN0", "Bearer", "hostile-test-key"])
def test_a_wrong_key_is_refused_the_same_way(bounded: Server, key: str) -> None:
    response = raw_request(bounded, "POST", SPEECH, zeros(50 * MB), headers={"authorization": key})
    assert_error(response.status, response.json(), 401, "api key")


def test_a_chunked_speech_body_over_the_limit_is_413_without_being_buffered(bounded: Server) -> None:
    response = raw_request(
        bounded, "POST", SPEECH, zeros(300 * MB), headers={**AUTH, "content-type": "application/json"}
    )
    assert_error(response.status, response.json(), 413, "body", "MYNAH_SERVER__MAX_BODY_BYTES")
    assert response.sent < 64 * MB


def test_a_chunked_multipart_upload_over_the_limit_is_413_without_being_spooled(bounded: Server) -> None:
    boundary = "hostile"
    head = (
        f'--{boundary}\r\ncontent-disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n'
        f'--{boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.wav"\r\n'
        "content-type: audio/wav\r\n\r\n"
    ).encode()

    def body() -> object:
        yield head
        yield from zeros(3 * 1024 * MB)

    response = raw_request(
        bounded,
        "POST",
        "/v1/audio/transcriptions",
        body(),  # type: ignore[arg-type]
        headers={**AUTH, "content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert_error(response.status, response.json(), 413, "body", "MYNAH_STT__MAX_UPLOAD_BYTES")
    assert response.sent < 128 * MB


@pytest.mark.parametrize("path", UPLOADS)
def test_a_declared_length_over_the_limit_is_413_before_reading(bounded: Server, path: str) -> None:
    response = raw_request(
        bounded,
        "POST",
        path,
        zeros(2 * 1024 * MB),
        headers={**AUTH, "content-type": "audio/wav"},
        content_length=2 * 1024 * MB,
    )
    assert_error(response.status, response.json(), 413, "2,147,483,648")
    assert response.sent < 64 * MB


def test_a_body_longer_than_its_declared_length_cannot_smuggle_more(bounded: Server) -> None:
    """A Content-Length under the limit with more bytes behind it: the extra bytes are a second
    (malformed) request on the connection, never part of this body."""
    response = raw_request(
        bounded,
        "POST",
        "/api/v1/pulse/get_text",
        zeros(40 * MB),
        headers={**AUTH, "content-type": "audio/wav"},
        content_length=1024,
    )
    assert response.status == 400, response.body
    if response.headers["content-type"].startswith("text/plain"):
        # the server parsed the extra bytes as the next request before this one's answer went out:
        # uvicorn refuses that one and closes the connection (the 1,024 bytes were the whole body)
        assert response.body == b"Invalid HTTP request received."
    else:
        assert_error(response.status, response.json(), 400, "audio")


def test_a_lexicon_streamed_past_its_limit_is_413(bounded: Server) -> None:
    response = raw_request(
        bounded,
        "PUT",
        "/v1/lexicons/streamed",
        zeros(200 * MB),
        headers={**AUTH, "content-type": "application/pls+xml"},
    )
    assert_error(response.status, response.json(), 413, "body", "lexicon")


def test_health_docs_and_the_playground_need_no_key(server: Server) -> None:
    with server.client(auth=False) as http:
        assert http.get("/health").status_code == 200
        assert http.get("/openapi.json").status_code == 200
        assert http.get("/").headers["content-type"].startswith("text/html")  # it asks for the key
        assert http.get("/web/app.css").status_code == 200
        refused = http.get("/v1/models")
        assert refused.status_code == 401 and "www-authenticate" in refused.headers
