"""Class 2: a small request must not buy a large amount of work. Spoken characters are counted after
normalisation, SSML and lexicon expansion; pauses have a total; audio has a length and, when it is
held in memory, a size; lexicons are compiled once each, whatever list names them."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.hostile.server import Server, assert_error


def _speech(path: str = "/v1/mynah/speech", **fields: Any) -> tuple[str, dict[str, Any]]:
    body = {"model": "tts-1", "voice": "espeak:en-us", "response_format": "wav", **fields}
    return path, body


def _put_lexicon(http: httpx.Client, name: str, entries: dict[str, str]) -> httpx.Response:
    return http.put(
        f"/v1/lexicons/{name}", content=json.dumps(entries), headers={"content-type": "application/json"}
    )


def test_an_alias_of_half_a_million_words_is_refused_at_upload(bounded: Server) -> None:
    with bounded.client() as http:
        response = _put_lexicon(http, "huge-alias", {"boom": "word " * 500_000})
        assert_error(response.status_code, response.json(), 413, "alias", "1,000")
        pls = (
            '<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" '
            'alphabet="ipa" xml:lang="en-US"><lexeme><grapheme>boom</grapheme>'
            f"<alias>{'word ' * 200_000}</alias></lexeme></lexicon>"
        )
        response = http.put(
            "/v1/lexicons/huge-pls", content=pls, headers={"content-type": "application/pls+xml"}
        )
        assert_error(response.status_code, response.json(), 413, "alias")


@pytest.mark.parametrize("route", ["/v1/mynah/speech", "/v1/audio/speech"])
def test_aliases_that_multiply_the_text_are_413_before_synthesis(bounded: Server, route: str) -> None:
    with bounded.client() as http:
        assert _put_lexicon(http, "multiplier", {"boom": "long " * 199}).status_code in (200, 201)
        path, body = _speech(route, input="boom " * 3000, lexicons=["multiplier"])
        response = http.post(path, json=body)
        assert_error(response.status_code, response.json(), 413, "spoken characters", "MAX_SPOKEN_CHARS")


def test_ssml_lexicon_references_count_too(bounded: Server) -> None:
    with bounded.client() as http:
        assert _put_lexicon(http, "multiplier", {"boom": "long " * 199}).status_code in (200, 201)
        ssml = '<speak><lexicon uri="multiplier"/>' + "boom " * 3000 + "</speak>"
        path, body = _speech(input=ssml)
        response = http.post(path, json=body)
        assert_error(response.status_code, response.json(), 413, "spoken characters")


def test_numbers_that_expand_are_counted_after_normalisation(bounded: Server) -> None:
    with bounded.client() as http:
        path, body = _speech(input="123456789012 " * 1500)  # 19.5 k characters, ~120 k spoken
        response = http.post(path, json=body)
        assert_error(response.status_code, response.json(), 413, "spoken characters")


def test_every_list_of_lexicons_shares_one_compiled_copy_of_each(bounded: Server) -> None:
    entries = {f"term{i}": f"alias {i}" for i in range(20_000)}
    with bounded.client() as http:
        for index in range(6):
            assert _put_lexicon(http, f"big{index}", entries).status_code in (200, 201)
        names = [f"big{i}" for i in range(6)]
        for shift in range(64):  # 64 distinct orders and subsets
            chosen = names[shift % 6 :] + names[: shift % 6]
            chosen = chosen[: 1 + shift % 6]
            path, body = _speech(input="Say term7 and term19999.", lexicons=chosen)
            response = http.post(path, json=body)
            assert response.status_code == 200, response.text
            assert [w["value"] for w in response.json()["words"]][:2] == ["Say", "term7"]


@pytest.mark.parametrize(
    ("breaks", "time", "words"),
    [
        (40, "60s", ["silence", "MAX_PAUSE_SECONDS"]),
        (300, "60s", ["silence", "MAX_PAUSE_SECONDS"]),
        (600, "999ms", ["silence", "MAX_PAUSE_SECONDS"]),
        # markup counts toward the SSML limit, not the text limit (issue 19): the pauses refuse it
        (5000, "60s", ["silence", "MAX_PAUSE_SECONDS"]),
    ],
)
@pytest.mark.parametrize("route", ["/v1/mynah/speech", "/v1/audio/speech"])
def test_breaks_have_a_total(bounded: Server, breaks: int, time: str, words: list[str], route: str) -> None:
    ssml = "<speak>Hi." + f'<break time="{time}"/>' * breaks + "Bye.</speak>"
    with bounded.client() as http:
        path, body = _speech(route, input=ssml, sample_rate=48000)
        response = http.post(path, json=body)
    assert_error(response.status_code, response.json(), 413, *words)


def test_breaks_inside_an_audio_fallback_count_too(bounded: Server) -> None:
    fallback = '<break time="60s"/>' * 10
    ssml = f'<speak>Hi.<audio src="data:audio/wav;base64,AAAA">{fallback}</audio>Bye.</speak>'
    with bounded.client() as http:
        path, body = _speech(input=ssml)
        response = http.post(path, json=body)
    assert_error(response.status_code, response.json(), 413, "silence")


def test_audio_held_in_memory_has_a_size_limit(bounded: Server) -> None:
    ssml = "<speak>Hi." + '<break time="20s"/>' * 3 + "Bye.</speak>"  # 60 s at 48 kHz: 5.8 MB of WAV
    with bounded.client() as http:
        path, body = _speech(input=ssml, sample_rate=48000)
        response = http.post(path, json=body)
    assert_error(response.status_code, response.json(), 413, "MAX_BUFFERED_BYTES", "/v1/audio/speech")


@pytest.mark.parametrize(
    ("path", "field", "voice_field"),
    [("/v1/audio/speech", "input", "voice"), ("/waves/v1/tts", "text", "voice_id")],
)
def test_a_stream_stops_at_the_output_length_limit(
    bounded: Server, path: str, field: str, voice_field: str
) -> None:
    """200 s is this server's limit. Text that cannot be spoken in less is refused before any audio
    (read at twice any voice's pace, 5,000 characters could be: 167 s); what runs past it in the
    stream is cut off there (an aborted transfer, never a complete-looking file), and the server says
    why in one line, without a traceback."""
    text = "This sentence is long enough to take a few seconds to speak aloud. " * 300
    body = {field: text[:5_000], voice_field: "espeak:en-us"}
    if path == "/v1/audio/speech":
        body |= {"model": "tts-1", "response_format": "wav"}
    logged_before = len(bounded.log())
    with bounded.client() as http:
        with pytest.raises(httpx.RemoteProtocolError), http.stream("POST", path, json=body) as response:
            assert response.status_code == 200
            received = sum(len(chunk) for chunk in response.iter_bytes())
            raise AssertionError(f"the stream ended cleanly after {received} bytes")
        bounded.wait_for_log("speech stream cut off: the audio would be longer than 200 s")
        refused = http.post(path, json={**body, field: text[:19_000]})
    assert_error(refused.status_code, refused.json(), 413, "at least", "MAX_OUTPUT_SECONDS")
    assert "Traceback" not in bounded.log()[logged_before:]


def test_pauses_past_the_output_limit_are_refused_before_any_audio(bounded: Server) -> None:
    ssml = "<speak>Hi." + '<break time="60s"/>' * 4 + "</speak>"  # 240 s > this server's 200 s
    with bounded.client() as http:
        path, body = _speech("/v1/audio/speech", input=ssml)
        response = http.post(path, json=body)
    assert_error(response.status_code, response.json(), 413, "silence")
