"""Classes 6 and 7: the SSRF check covers every IPv6 form that carries an IPv4 address, and what the
README and the OpenAPI document promise is what the server does."""

from __future__ import annotations

import json

import pytest

from tests.hostile.server import Server, assert_error

EMBEDDED = [
    "64:ff9b:1::a9fe:a9fe",  # local-use NAT64 of 169.254.169.254
    "64:ff9b:1::a00:1",  # local-use NAT64 of 10.0.0.1
    "::ffff:0:a9fe:a9fe",  # SIIT of 169.254.169.254
    "::ffff:0:7f00:1",  # SIIT of 127.0.0.1
    "64:ff9b::7f00:1",  # well-known NAT64 of 127.0.0.1
    "::ffff:169.254.169.254",  # IPv4-mapped
    "::10.0.0.1",  # IPv4-compatible
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2001:0:4136:e378:8000:63bf:5ff5:fffe",  # Teredo, client 160.10.0.1? server 65.54.227.120: checked
    "fe80::5efe:a00:1",  # ISATAP of 10.0.0.1
    "64:ff9b:1:a9fe:a9:fe00::",  # local-use NAT64 /48 position
]


@pytest.mark.parametrize("address", [a for a in EMBEDDED if not a.startswith("2001:0:4136")])
def test_urls_to_ipv6_forms_of_private_addresses_are_refused(server: Server, address: str) -> None:
    with server.client() as http:
        response = http.post("/api/v1/pulse/get_text", json={"url": f"http://[{address}]/latest/meta-data"})
        assert_error(response.status_code, response.json(), 400, "url", "refused")
        form = http.post("/whisperapi", data={"url": f"http://[{address}]:8080/a.wav"})
        assert_error(form.status_code, form.json(), 400, "refused")


def test_a_refused_audio_src_is_reported_and_its_fallback_spoken(server: Server) -> None:
    ssml = '<speak>Before. <audio src="http://[::ffff:0:a9fe:a9fe]/a.wav">the fallback</audio> After.</speak>'
    body = {"model": "tts-1", "voice": "espeak:en-us", "response_format": "wav", "input": ssml}
    with server.client() as http:
        native = http.post("/v1/mynah/speech", json=body)
        assert native.status_code == 200, native.text
        warnings = native.json()["warnings"]
        assert len(warnings) == 1 and "not inserted" in warnings[0] and "169.254.169.254" in warnings[0]
        assert "fallback" in [w["value"] for w in native.json()["words"]]
        events = http.post("/v1/audio/speech", json={**body, "stream_format": "sse"})
        assert events.status_code == 200
        kinds = [json.loads(line[6:]) for line in events.text.splitlines() if line.startswith("data: ")]
        warned = [e for e in kinds if e["type"] == "speech.warning"]
        assert len(warned) == 1 and "169.254.169.254" in warned[0]["message"]
        assert kinds[-1]["type"] == "speech.audio.done"
        first = {**body, "input": ssml.replace("Before. ", "")}  # refused before the first audio:
        streamed = http.post("/v1/audio/speech", json=first)  # the plain stream's headers say so
        assert streamed.status_code == 200
        assert "not inserted" in streamed.headers["x-mynah-warning"]


@pytest.mark.parametrize(
    ("document", "word"),
    [
        ('<!DOCTYPE speak [<!ENTITY x SYSTEM "file:///etc/passwd">]><speak>&x;</speak>', "doctype"),
        ("  <!doctype speak><speak>hello</speak>", "ssml"),  # not even XML: a syntax error
        ('<?xml version="1.0"?><!DOCTYPE speak [<!ENTITY a "aaaa">]><speak>&a;&a;</speak>', "doctype"),
        ("<speak><!DOCTYPE x>hello</speak>", "ssml"),
    ],
)
@pytest.mark.parametrize("route", ["/v1/audio/speech", "/v1/mynah/speech"])
def test_a_doctype_is_400_not_read_aloud(server: Server, document: str, word: str, route: str) -> None:
    body = {"model": "tts-1", "voice": "espeak:en-us", "response_format": "wav", "input": document}
    with server.client() as http:
        response = http.post(route, json=body)
    assert_error(response.status_code, response.json(), 400, word)


def test_deleting_a_missing_model_leaves_no_lock_file(server: Server) -> None:
    locks = server.data_dir / "models" / ".locks"
    before = sorted(locks.iterdir()) if locks.is_dir() else []
    with server.client() as http:
        for index in range(5):
            response = http.delete(f"/v1/mynah/models/piper:en_US-nobody{index}-medium")
            assert_error(response.status_code, response.json(), 404, "not installed")
    after = sorted(locks.iterdir()) if locks.is_dir() else []
    assert after == before


def test_the_openapi_document_says_what_the_server_answers(server: Server) -> None:
    with server.client(auth=False) as http:
        document = http.get("/openapi.json").json()
    assert '"422"' not in json.dumps(document)
    paths = document["paths"]
    assert "404" in paths["/v1/lexicons/{name}"]["get"]["responses"]
    assert "404" in paths["/v1/mynah/models/{model_id}"]["delete"]["responses"]
    for route in ("/v1/audio/speech", "/v1/audio/transcriptions"):
        responses = paths[route]["post"]["responses"]
        assert {"400", "401", "404", "413", "503"} <= set(responses), route
        assert "Retry-After" in responses["503"]["headers"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            if path not in ("/health",):
                assert "401" in operation["responses"], (method, path)
    with server.client() as http:  # and the server does answer 400 where a 422 used to be listed
        response = http.post("/v1/audio/speech", json={"model": "tts-1"})
        assert_error(response.status_code, response.json(), 400, "input")
