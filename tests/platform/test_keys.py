"""API keys over real HTTP: 401 for no, malformed, unknown, revoked and expired keys, 403 without the
scope, the settings key as an admin key, keys refused before the body, and no key in the clear."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr

from mynah.config import ServerSettings
from mynah.errors import Unauthorized
from mynah.platform.auth import required_scope
from mynah.platform.keys import hash_token, looks_like_key
from tests.platform.conftest import ServerFactory, bearer, keys_of, speak


def _assert_401(response: httpx.Response, code: str) -> None:
    assert response.status_code == 401, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["request_id"] == response.headers["x-request-id"]
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_keys_are_checked_on_every_route_once_one_exists(make_server: ServerFactory) -> None:
    with make_server() as server, httpx.Client(base_url=server.url, timeout=60) as client:
        assert speak(client).status_code == 200, "no key exists yet: the server is open"
        store = keys_of(server)
        speech = store.create("app", scopes=["speech"])
        stt_only = store.create("stt", scopes=["transcription"])
        revoked = store.create("old", scopes=["speech"])
        store.revoke(revoked.key.id)
        expired = store.create("gone", scopes=["speech"], expires_at=datetime.now(UTC) - timedelta(seconds=1))

        _assert_401(speak(client), "missing_api_key")
        client.headers.update(bearer("not-a-mynah-key"))
        _assert_401(speak(client), "malformed_api_key")
        client.headers.update(bearer("mynah_" + "x" * 43))
        _assert_401(speak(client), "invalid_api_key")
        client.headers.update(bearer(revoked.token))
        _assert_401(speak(client), "revoked_api_key")
        client.headers.update(bearer(expired.token))
        _assert_401(speak(client), "expired_api_key")
        client.headers.update(bearer(stt_only.token))
        forbidden = speak(client)
        assert forbidden.status_code == 403
        assert forbidden.json()["error"]["code"] == "insufficient_scope"
        client.headers.update(bearer(speech.token))
        assert speak(client).status_code == 200
        assert client.get("/v1/models").status_code == 200, "any valid key lists models"
        assert client.get("/v1/mynah/keys").status_code == 403, "managing keys needs admin"
        del client.headers["Authorization"]
        assert client.get("/health").status_code == 200, "liveness stays open"
        _assert_401(client.get("/v1/models"), "missing_api_key")
        assert client.get("/openapi.json").status_code == 200, "docs are public by default"


def test_docs_follow_the_setting(make_server: ServerFactory) -> None:
    from mynah.config import PlatformSettings

    with (
        make_server(platform=PlatformSettings(docs="off")) as server,
        httpx.Client(base_url=server.url, timeout=60) as c,
    ):
        assert c.get("/openapi.json").status_code == 404
        assert c.get("/docs").status_code == 404
    with (
        make_server(platform=PlatformSettings(docs="keys")) as server,
        httpx.Client(base_url=server.url, timeout=60) as c,
    ):
        key = keys_of(server).create("app", scopes=["speech"])
        assert c.get("/openapi.json").status_code == 401
        assert c.get("/openapi.json", headers={"x-api-key": key.token}).status_code == 200
        assert c.get("/v1/models").status_code == 401


def test_the_settings_key_is_an_admin_key(make_server: ServerFactory) -> None:
    secret = "a-long-operator-secret"
    with (
        make_server(server=ServerSettings(api_key=SecretStr(secret))) as server,
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        _assert_401(speak(client), "missing_api_key")
        client.headers.update(bearer(secret))
        assert speak(client).status_code == 200
        made = client.post("/v1/mynah/keys", json={"name": "ivr", "scopes": ["speech"]})
        assert made.status_code == 201, made.text
        token = made.json()["key"]
        assert looks_like_key(token)
        listed = client.get("/v1/mynah/keys").json()["data"]
        assert [k["name"] for k in listed] == ["ivr"]
        assert token not in str(listed)
        client.headers.update(bearer(token))
        assert speak(client).status_code == 200
        client.headers.update(bearer(secret))
        assert client.delete(f"/v1/mynah/keys/{made.json()['id']}").json()["state"] == "revoked"
        client.headers.update(bearer(token))
        _assert_401(speak(client), "revoked_api_key")


def test_an_open_server_does_not_let_anyone_make_keys(make_server: ServerFactory) -> None:
    with make_server() as server, httpx.Client(base_url=server.url, timeout=60) as client:
        refused = client.post("/v1/mynah/keys", json={"name": "me", "scopes": ["admin"]})
        assert refused.status_code == 403
        assert keys_of(server).list() == []


def test_a_key_is_refused_before_the_body_is_read(make_server: ServerFactory) -> None:
    """A client announces 50 MB and sends none of it: the 401 comes back anyway, at once."""
    with make_server() as server:
        keys_of(server).create("app", scopes=["transcription"])
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            sock.sendall(
                b"POST /v1/audio/transcriptions HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 50000000\r\n\r\n"
            )
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 401"), head
        assert b"missing_api_key" in body
        assert b"connection: close" in head.lower()


def test_keys_never_appear_in_logs_or_in_the_store(
    make_server: ServerFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with make_server() as server, httpx.Client(base_url=server.url, timeout=60) as client:
        admin = keys_of(server).create("root", scopes=["admin"])
        client.headers.update(bearer(admin.token))
        made = client.post("/v1/mynah/keys", json={"name": "app", "scopes": ["speech"]}).json()["key"]
        client.headers.update(bearer(made))
        assert speak(client).status_code == 200
        client.headers.update(bearer(made[:-1] + ("A" if made[-1] != "A" else "B")))
        assert speak(client).status_code == 401
        database = server.runtime.settings.data_dir / "mynah.db"
        server.runtime.store.engine.dispose()
        stored = b"".join(p.read_bytes() for p in database.parent.glob("mynah.db*"))
    logged = "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records)
    for token in (admin.token, made):
        assert token not in logged
        assert token.encode() not in stored
        assert hash_token(token).encode() in stored, "the hash is what is kept"


def test_websocket_handshakes_are_checked_too(make_server: ServerFactory) -> None:
    websockets = pytest.importorskip("websockets", reason="the websockets client is not installed")
    from websockets.asyncio.client import connect

    with make_server() as server:
        store = keys_of(server)
        stt = store.create("stt", scopes=["transcription"])
        speech = store.create("app", scopes=["speech"])
        revoked = store.create("old", scopes=["speech"])
        store.revoke(revoked.key.id)
        expired = store.create("gone", scopes=["speech"], expires_at=datetime.now(UTC) - timedelta(seconds=1))
        url = server.url.replace("http://", "ws://") + "/v1/mynah/speech/stream"

        async def handshake(headers: dict[str, str]) -> tuple[int, str | None]:
            """The handshake's status, and the error code of its JSON body when refused."""
            try:
                async with connect(url, additional_headers=headers, open_timeout=20):
                    return 101, None
            except websockets.exceptions.InvalidStatus as exc:
                body = json.loads(exc.response.body or b"{}")
                return int(exc.response.status_code), body.get("error", {}).get("code")

        assert asyncio.run(handshake({})) == (401, "missing_api_key")
        assert asyncio.run(handshake(bearer("not-a-mynah-key"))) == (401, "malformed_api_key")
        assert asyncio.run(handshake(bearer("mynah_" + "y" * 43))) == (401, "invalid_api_key")
        assert asyncio.run(handshake(bearer(revoked.token))) == (401, "revoked_api_key")
        assert asyncio.run(handshake(bearer(expired.token))) == (401, "expired_api_key")
        assert asyncio.run(handshake(bearer(stt.token))) == (403, "insufficient_scope")
        assert asyncio.run(handshake(bearer(speech.token))) == (101, None)


@pytest.mark.parametrize(
    ("path", "method", "need"),
    [
        ("/health", "GET", "open"),
        ("/v1/audio/speech", "POST", "speech"),
        ("/v1/mynah/speech/stream", "GET", "speech"),
        ("/v1/audio/transcriptions", "POST", "transcription"),
        ("/v1/mynah/transcriptions/stream", "GET", "transcription"),
        ("/api/v1/pulse/get_text", "POST", "transcription"),
        ("/v1/mynah/jobs/abc", "GET", "jobs"),
        ("/v1/mynah/voices", "POST", "voices"),
        ("/v1/mynah/keys", "GET", "admin"),
        ("/v1/mynah/models/piper:x/pull", "POST", "admin"),
        ("/v1/mynah/models", "GET", "any"),
        ("/v1/models", "GET", "any"),
        ("/v1/audio/speechless", "POST", "any"),
        ("/metrics", "GET", "admin"),
    ],
)
def test_each_route_needs_its_scope(path: str, method: str, need: str) -> None:
    assert required_scope(path, method) == need


def test_the_store_refuses_what_is_not_a_live_key(tmp_path: object) -> None:
    from mynah.store import Store

    store = Store.open("sqlite://")
    try:
        from mynah.platform.keys import KeyStore

        keys = KeyStore(store)
        assert not keys.any_keys()
        created = keys.create("a", scopes=["speech"], limits={"requests_per_minute": 5})
        assert keys.any_keys()
        assert keys.verify(created.token).limits.requests_per_minute == 5
        keys.revoke(created.key.id)
        with pytest.raises(Unauthorized) as info:
            keys.verify(created.token)
        assert info.value.code == "revoked_api_key"
        assert keys.any_keys(), "a revoked last key still locks the server"
    finally:
        store.close()


def test_a_keys_defaults_fill_what_the_request_leaves_out(make_server: ServerFactory) -> None:
    with make_server() as server, httpx.Client(base_url=server.url, timeout=60) as client:
        key = keys_of(server).create(
            "ivr",
            scopes=["speech"],
            defaults={"voice": "espeak:en", "response_format": "pcm", "sample_rate": 8000},
        )
        client.headers.update(bearer(key.token))
        native = client.post("/v1/mynah/speech", json={"input": "Press one."})
        assert native.status_code == 200, native.text
        assert native.json()["voice"] == "espeak:en"
        assert native.json()["format"] == "pcm" and native.json()["sample_rate"] == 8000
        asked = client.post("/v1/mynah/speech", json={"input": "Press one.", "voice": "espeak:en-us"})
        assert asked.json()["voice"] == "espeak:en-us", "what the request says wins"


def test_a_job_belongs_to_the_key_that_submitted_it(make_server: ServerFactory) -> None:
    with make_server() as server, httpx.Client(base_url=server.url, timeout=60) as client:
        key = keys_of(server).create("batch", scopes=["jobs"])
        client.headers.update(bearer(key.token))
        made = client.post("/v1/mynah/jobs/speech", json={"input": "Hello.", "voice": "espeak:en-us"})
        assert made.status_code in (200, 201, 202), made.text
        job = server.app.state.jobs.get(made.json()["id"])
        assert job.owner == key.key.id
        assert speak(client).status_code == 403, "a jobs key cannot call the speech route itself"
