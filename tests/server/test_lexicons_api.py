"""/v1/lexicons through a live server: upload (raw and multipart), list, show, raw, delete, and errors."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from mynah.text.lexicon import MAX_LEXICON_BYTES
from tests.support import LiveServer

PLS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<lexicon version="1.0" alphabet="ipa" xml:lang="en-US"'
    ' xmlns="http://www.w3.org/2005/01/pronunciation-lexicon">\n'
    "  <lexeme><grapheme>tomato</grapheme><phoneme>təˈmɑːtoʊ</phoneme></lexeme>\n"
    "  <lexeme><grapheme>SQL</grapheme><grapheme>Sql</grapheme><alias>sequel</alias></lexeme>\n"
    "</lexicon>\n"
).encode()
JSON = b'{"nginx": "engine x", "data": {"x-sampa": "\\"deIt@"}}'


@pytest.fixture(scope="module")
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        yield client


@pytest.fixture
def name() -> str:
    """The server's database is shared by every test: each one works on its own lexicon."""
    return f"test-{uuid.uuid4().hex[:12]}"


def _error(response: httpx.Response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    message = response.json()["error"]["message"].lower()
    for word in words:
        assert word.lower() in message, message


def test_put_show_list_and_delete(http: httpx.Client, name: str) -> None:
    created = http.put(f"/v1/lexicons/{name}", content=PLS, headers={"content-type": "application/pls+xml"})
    assert created.status_code == 201, created.text
    summary = created.json()
    assert summary["name"] == name and summary["format"] == "pls" and summary["language"] == "en-US"
    assert summary["entry_count"] == 2 and summary["size"] == len(PLS)

    shown = http.get(f"/v1/lexicons/{name}")
    assert shown.status_code == 200
    body = shown.json()
    assert body["entries"] == [
        {"graphemes": ["tomato"], "ipa": "təˈmɑːtoʊ"},
        {"graphemes": ["SQL", "Sql"], "alias": "sequel"},
    ]
    assert {k: v for k, v in body.items() if k != "entries"} == summary

    listed = http.get("/v1/lexicons").json()
    assert listed["object"] == "list"
    assert summary in listed["data"]

    deleted = http.delete(f"/v1/lexicons/{name}")
    assert deleted.status_code == 200 and deleted.json()["deleted"] is True
    _error(http.get(f"/v1/lexicons/{name}"), 404, name)
    assert name not in [item["name"] for item in http.get("/v1/lexicons").json()["data"]]


def test_raw_returns_the_document_as_uploaded(http: httpx.Client, name: str) -> None:
    http.put(f"/v1/lexicons/{name}", content=PLS, headers={"content-type": "text/xml"}).raise_for_status()
    raw = http.get(f"/v1/lexicons/{name}", params={"raw": "1"})
    assert raw.status_code == 200
    assert raw.content == PLS
    assert raw.headers["content-type"] == "text/xml"


def test_replacing_answers_200_and_updates(http: httpx.Client, name: str) -> None:
    first = http.put(f"/v1/lexicons/{name}", content=PLS, headers={"content-type": "application/xml"})
    assert first.status_code == 201
    second = http.put(f"/v1/lexicons/{name}", content=JSON, headers={"content-type": "application/json"})
    assert second.status_code == 200, second.text
    assert second.json()["created_at"] == first.json()["created_at"]
    assert second.json()["updated_at"] > first.json()["updated_at"]
    entries = http.get(f"/v1/lexicons/{name}").json()["entries"]
    assert entries == [
        {"graphemes": ["nginx"], "alias": "engine x"},
        {"graphemes": ["data"], "ipa": "ˈdeɪtə"},
    ]


def test_body_without_content_type_is_sniffed(http: httpx.Client, name: str) -> None:
    response = http.put(f"/v1/lexicons/{name}", content=JSON)
    assert response.status_code == 201, response.text
    assert response.json()["format"] == "json"


def test_multipart_upload(http: httpx.Client, name: str) -> None:
    response = http.post(
        "/v1/lexicons", files={"file": ("whatever.pls", PLS, "application/pls+xml")}, data={"name": name}
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == name
    assert http.get(f"/v1/lexicons/{name}", params={"raw": "true"}).content == PLS


def test_multipart_upload_named_after_the_file(http: httpx.Client, name: str) -> None:
    response = http.post("/v1/lexicons", files={"file": (f"{name}.json", JSON, "application/octet-stream")})
    assert response.status_code == 201, response.text
    assert response.json()["name"] == name and response.json()["format"] == "json"


@pytest.mark.parametrize(
    ("content", "content_type", "status", "words"),
    [
        (b"<lexicon><lexeme>", "application/pls+xml", 400, ["line 1", "column"]),
        (b'{"a": }', "application/json", 400, ["line 1", "column", "json"]),
        (b'{"a": {"ipa": "x", "alias": "y"}}', "application/json", 400, ["'a'", "exactly one"]),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><lexicon/>', "application/xml", 400, ["doctype"]),
        (PLS, "image/png", 415, ["image/png", "application/pls+xml"]),
        (b"tomato: tomahto", None, 400, ["pls", "json"]),
        (b"", "application/json", 400, ["json"]),
    ],
)
def test_bad_documents_are_400(
    http: httpx.Client, name: str, content: bytes, content_type: str | None, status: int, words: list[str]
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    _error(http.put(f"/v1/lexicons/{name}", content=content, headers=headers), status, *words)
    _error(http.get(f"/v1/lexicons/{name}"), 404, name)


def test_bad_names_are_400(http: httpx.Client) -> None:
    _error(http.put("/v1/lexicons/" + "x" * 65, content=JSON), 400, "name")
    _error(http.put("/v1/lexicons/caf%C3%A9", content=JSON), 400, "name")
    response = http.post("/v1/lexicons", files={"file": ("bad name!.json", JSON, "application/json")})
    _error(response, 400, "name")


def test_unknown_lexicons_are_404(http: httpx.Client, name: str) -> None:
    _error(http.get(f"/v1/lexicons/{name}"), 404, name)
    _error(http.get(f"/v1/lexicons/{name}", params={"raw": 1}), 404, name)
    _error(http.delete(f"/v1/lexicons/{name}"), 404, name)


def test_too_large_is_413(http: httpx.Client, name: str) -> None:
    big = b'{"a": "' + b"b" * MAX_LEXICON_BYTES + b'"}'
    _error(
        http.put(f"/v1/lexicons/{name}", content=big, headers={"content-type": "application/json"}),
        413,
        "limit",
    )
    _error(http.post("/v1/lexicons", files={"file": ("big.json", big)}, data={"name": name}), 413, "limit")
    _error(http.get(f"/v1/lexicons/{name}"), 404)


def test_a_streamed_body_over_the_limit_is_413(http: httpx.Client, name: str) -> None:
    def chunks() -> Iterator[bytes]:  # no content-length: the server counts as it reads
        for _ in range(6):
            yield b" " * (1024 * 1024)

    response = http.put(
        f"/v1/lexicons/{name}", content=chunks(), headers={"content-type": "application/json"}
    )
    _error(response, 413, "limit")


def test_multipart_without_file_is_400(http: httpx.Client, name: str) -> None:
    _error(http.post("/v1/lexicons", data={"name": name}), 400, "file")
