"""Class 3: input no layer can handle is refused at the edge with a 400 naming the field, never a 500
(or an SSE stream that dies after its 200), and nothing stored can make a later read fail."""

from __future__ import annotations

import json

import pytest

from tests.hostile.server import AUTH, Server, assert_error, raw_request

SURROGATE = '"a \\ud800 b"'
SPEECH = '{"model": "tts-1", "voice": "espeak:en-us", "response_format": "wav", "input": %s}'


def _post(
    server: Server, path: str, body: str | bytes, content_type: str = "application/json"
) -> tuple[int, object]:
    with server.client() as http:
        response = http.post(path, content=body, headers={"content-type": content_type})
        return response.status_code, response.json()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/mynah/speech", SPEECH % SURROGATE),
        ("/v1/audio/speech", SPEECH % SURROGATE),
        ("/v1/audio/speech", (SPEECH % SURROGATE)[:-1] + ', "stream_format": "sse", "timings": true}'),
        ("/v1/text/normalize", '{"input": ' + SURROGATE + "}"),
        ("/v1/mynah/speech", SPEECH % '"\\udfff alone"'),
        ("/v1/mynah/speech", SPEECH % '"pair reversed \\udc00\\ud800"'),
        ("/v1/mynah/speech", (SPEECH % '"fine"').replace('"voice"', '"\\ud800voice"')),
    ],
)
def test_a_lone_surrogate_is_400(bounded: Server, path: str, body: str) -> None:
    status, answer = _post(bounded, path, body)
    assert_error(status, answer, 400, "surrogate")


def test_a_proper_surrogate_pair_is_text(server: Server) -> None:
    status, _ = _post(server, "/v1/text/normalize", '{"input": "smile \\ud83d\\ude00"}')
    assert status == 200


@pytest.mark.parametrize("text", ['"nul \\u0000 here"', '"\\u0000"'])
def test_nul_is_400(bounded: Server, text: str) -> None:
    status, answer = _post(bounded, "/v1/mynah/speech", SPEECH % text)
    assert_error(status, answer, 400, "NUL", "input")


def test_raw_surrogate_bytes_are_not_utf8(bounded: Server) -> None:
    status, answer = _post(bounded, "/v1/text/normalize", b'{"input": "\xed\xa0\x80"}')
    assert_error(status, answer, 400, "utf-8")


@pytest.mark.parametrize("depth", [33, 1_000, 100_000])
def test_deep_json_is_400(bounded: Server, depth: int) -> None:
    body = '{"url": ' + "[" * depth + "]" * depth + "}"
    with bounded.client() as http:
        response = http.post(
            "/api/v1/pulse/get_text", content=body, headers={"content-type": "application/json"}
        )
    assert_error(response.status_code, response.json(), 400, "nested", "32")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/mynah/speech", (SPEECH % '"hi"')[:-1] + ', "sample_rate": ' + "9" * 5000 + "}"),
        ("/v1/audio/speech", (SPEECH % '"hi"')[:-1] + ', "speed": -' + "1" * 101 + "}"),
        ("/v1/text/normalize", '{"input": "x", "categories": [' + "7" * 4301 + "]}"),
    ],
)
def test_huge_integers_are_400(bounded: Server, path: str, body: str) -> None:
    status, answer = _post(bounded, path, body)
    assert_error(status, answer, 400, "digit", "integer")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_json_constants_are_400(bounded: Server, constant: str) -> None:
    status, answer = _post(bounded, "/v1/audio/speech", (SPEECH % '"hi"')[:-1] + f', "speed": {constant}}}')
    assert_error(status, answer, 400, constant)


@pytest.mark.parametrize(
    "document",
    [
        '{"to\\ud800mato": "tomahto"}',
        '{"tomato": "to\\udbffmahto"}',
        '{"tomato": {"ipa": "t\\ud800"}}',
        '{"tomato": "nul\\u0000"}',
        '{"language": "en", "entries": {"a": "b"}, "n": ' + "5" * 5000 + "}",
        '{"entries": [' + "9" * 5000 + "]}",
    ],
)
@pytest.mark.parametrize("how", ["put", "multipart"])
def test_a_lexicon_no_read_could_serve_is_never_stored(bounded: Server, document: str, how: str) -> None:
    name = f"bad-{how}"
    with bounded.client() as http:
        if how == "put":
            response = http.put(
                f"/v1/lexicons/{name}", content=document, headers={"content-type": "application/json"}
            )
        else:
            response = http.post(
                "/v1/lexicons", files={"file": ("x.json", document.encode())}, data={"name": name}
            )
        assert response.status_code == 400, response.text
        assert_error(response.status_code, response.json(), 400)
        assert http.get(f"/v1/lexicons/{name}").status_code == 404
        listed = http.get("/v1/lexicons")
        assert listed.status_code == 200 and name not in json.dumps(listed.json())


def test_a_surrogate_in_a_path_or_query_is_a_clean_4xx(server: Server) -> None:
    for path in ("/v1/lexicons/%ED%A0%80", "/v1/lexicons/a?raw=%ED%A0%80", "/v1/models/%ED%A0%80x"):
        response = raw_request(server, "GET", path, [], headers=AUTH, content_length=0)
        assert 400 <= response.status < 500, response.body
        assert response.json()["error"]["message"]
