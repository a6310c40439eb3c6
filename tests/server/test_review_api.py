"""The review queue: low-confidence spans of a request or a job listed with their audio offsets, and a
correction that changes the stored transcript (a job's result too) and records who made it."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from mynah.audio.decode import decode_audio
from tests.jobs.conftest import wait_finished
from tests.support import LiveServer

MODEL = "pocketsphinx:en-us"


@pytest.fixture(scope="module")
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=300) as client:
        yield client


@pytest.fixture(scope="module")
def jfk(speech_dir: Path) -> bytes:
    return (speech_dir / "jfk.flac").read_bytes()  # pocketsphinx is unsure of several of its words


def test_a_request_queues_its_low_confidence_spans_and_a_correction_is_recorded(
    http: httpx.Client, jfk: bytes
) -> None:
    body = http.post(
        "/v1/audio/transcriptions",
        data={"model": MODEL, "review": "true", "format": "raw", "response_format": "verbose_json"},
        files={"file": ("jfk.flac", jfk)},
    ).json()
    queued = body["review"]
    assert queued["items"], body
    threshold = http.get("/v1/mynah/review").json()["threshold"]
    listed = {i["id"]: i for i in http.get("/v1/mynah/review", params={"limit": 1000}).json()["items"]}
    first = queued["items"][0]
    assert first["id"] in listed and listed[first["id"]]["status"] == "open"
    assert 0 <= first["start"] < first["end"] <= body["duration"] and first["probability"] < threshold
    fixed = http.post(f"/v1/mynah/review/{first['id']}", json={"text": "Americans", "reviewer": "ana"}).json()
    assert fixed["status"] == "corrected" and fixed["corrected_text"] == "Americans"
    assert fixed["history"][0] == {
        "from": first["text"],
        "to": "Americans",
        "by": "ana",
        "at": fixed["history"][0]["at"],
    }
    assert "Americans" in fixed["transcript_text"]
    corrected = http.get("/v1/mynah/review", params={"status": "corrected", "limit": 1000}).json()["items"]
    assert first["id"] in {i["id"] for i in corrected}
    if len(queued["items"]) > 1:  # a later span of the same segment still lands on its own words
        second = queued["items"][1]
        again = http.post(f"/v1/mynah/review/{second['id']}", json={"text": "country"}).json()
        assert again["history"][0]["by"] == "anonymous"
        assert "Americans" in again["transcript_text"] and "country" in again["transcript_text"]


def test_a_job_result_reads_through_its_corrections(http: httpx.Client, jfk: bytes) -> None:
    job = http.post(
        "/v1/mynah/jobs/transcriptions",
        data={"model": MODEL, "review": "true", "format": "raw"},
        files={"file": ("jfk.flac", jfk)},
    ).json()
    assert wait_finished(http, job["id"], timeout=300)["status"] == "succeeded"
    items = http.get("/v1/mynah/review", params={"job_id": job["id"]}).json()["items"]
    assert items and all(i["job_id"] == job["id"] for i in items)
    http.post(f"/v1/mynah/review/{items[0]['id']}", json={"text": "ZEBRA"})
    assert "ZEBRA" in http.get(f"/v1/mynah/jobs/{job['id']}/result").json()["text"]
    assert http.delete(f"/v1/mynah/jobs/{job['id']}").status_code < 300
    left = http.get("/v1/mynah/review", params={"job_id": job["id"], "status": "all"}).json()["items"]
    assert left == []  # the job's review transcript and spans went with it


@pytest.mark.parametrize(
    ("call", "status"),
    [
        (lambda h: h.post("/v1/mynah/review/rv_nope", json={"text": "x"}), 404),
        (lambda h: h.get("/v1/mynah/review", params={"status": "maybe"}), 400),
        (lambda h: h.get("/v1/mynah/review", params={"limit": 0}), 400),
    ],
)
def test_bad_review_requests(http: httpx.Client, call: object, status: int) -> None:
    response = call(http)  # type: ignore[operator]
    assert response.status_code == status and "error" in response.json()


def test_an_empty_correction_is_a_400(http: httpx.Client, jfk: bytes) -> None:
    body = http.post(
        "/v1/audio/transcriptions", data={"model": MODEL, "review": "true"}, files={"file": ("jfk.flac", jfk)}
    ).json()
    item = body["review"]["items"][0]
    assert http.post(f"/v1/mynah/review/{item['id']}", json={"text": "  "}).status_code == 400


def _queued_and_listed(http: httpx.Client, queued: dict[str, Any], duration: float) -> None:
    """What a response says it queued is what the queue lists for its transcript: spans under the
    threshold, inside the audio."""
    threshold = http.get("/v1/mynah/review").json()["threshold"]
    listed = http.get("/v1/mynah/review", params={"transcript_id": queued["transcript_id"]}).json()["items"]
    assert listed and [i["id"] for i in listed] == [i["id"] for i in queued["items"]]
    for item in listed:
        assert item["transcript_id"] == queued["transcript_id"] and item["status"] == "open"
        assert 0 <= item["start"] < item["end"] <= duration + 0.5 and item["probability"] < threshold


def test_the_pulse_route_queues_for_review_as_the_openai_route_does(http: httpx.Client, jfk: bytes) -> None:
    response = http.post(
        "/api/v1/pulse/get_text",
        params={"model": MODEL, "review": "true", "format": "raw", "word_timestamps": "true"},
        content=jfk,
        headers={"content-type": "audio/flac"},
    )
    body = response.json()
    assert response.headers["x-mynah-review"] == body["review"]["transcript_id"]
    _queued_and_listed(http, body["review"], body["metadata"]["duration"])
    item = body["review"]["items"][0]
    fixed = http.post(f"/v1/mynah/review/{item['id']}", json={"text": "ZEBRA", "reviewer": "ana"}).json()
    assert "ZEBRA" in fixed["transcript_text"] and fixed["history"][0]["by"] == "ana"
    plain = http.post(
        "/api/v1/pulse/get_text", params={"model": MODEL}, content=jfk, headers={"content-type": "audio/flac"}
    )
    assert "review" not in plain.json() and "x-mynah-review" not in plain.headers


def test_the_whisperapi_form_queues_for_review(http: httpx.Client, jfk: bytes) -> None:
    response = http.post(
        "/whisperapi", data={"review": "true", "format": "raw"}, files={"file": ("jfk.flac", jfk)}
    )
    body = response.json()
    assert response.status_code == 200, body
    queued = body["review"]
    assert response.headers["x-mynah-review"] == queued["transcript_id"]
    listed = http.get("/v1/mynah/review", params={"transcript_id": queued["transcript_id"]}).json()["items"]
    assert [i["id"] for i in listed] == [i["id"] for i in queued["items"]]  # the default chain may be sure
    assert "review" not in http.post("/whisperapi", files={"file": ("jfk.flac", jfk)}).json()


@pytest.mark.parametrize(
    "call",
    [
        lambda h, a: h.post("/whisperapi", data={"review": "maybe"}, files={"file": ("a.flac", a)}),
        lambda h, a: h.post(
            "/api/v1/pulse/get_text",
            params={"model": MODEL, "review": "maybe"},
            content=a,
            headers={"content-type": "audio/flac"},
        ),
        lambda h, a: h.post(
            "/v1/audio/transcriptions",
            data={"model": MODEL, "review": "maybe"},
            files={"file": ("a.flac", a)},
        ),
    ],
)
def test_a_review_value_that_is_no_yes_or_no_is_a_400(http: httpx.Client, jfk: bytes, call: Any) -> None:
    response = call(http, jfk)
    assert response.status_code == 400, response.text
    assert "review" in json.dumps(response.json()["error"])


async def _stream(server: LiveServer, config: dict[str, Any], pcm: bytes) -> list[dict[str, Any]]:
    url = server.url.replace("http://", "ws://") + "/v1/mynah/transcriptions/stream"
    messages: list[dict[str, Any]] = []
    async with connect(url, max_size=None) as ws:
        await ws.send(json.dumps(config))
        await ws.send(pcm)
        await ws.send(json.dumps({"type": "close_stream"}))
        try:
            async with asyncio.timeout(300):
                async for message in ws:
                    messages.append(json.loads(message))
        except ConnectionClosed:
            pass
    return messages


def test_a_live_stream_queues_each_final_for_review(
    http: httpx.Client, live_server: LiveServer, speech_dir: Path
) -> None:
    pcm = (decode_audio(speech_dir / "jfk.flac", 16000) * 32767).astype("<i2").tobytes()
    config = {"model": MODEL, "review": True, "format": "raw", "partials": False}
    messages = asyncio.run(_stream(live_server, config, pcm))
    finals = [m for m in messages if m.get("type") == "final" and m.get("text")]
    assert finals and all("review" in m for m in finals), messages
    queued = [m["review"] for m in finals if m["review"]["items"]]
    assert queued, finals  # pocketsphinx is unsure of some of jfk's words
    for review, final in zip(queued, [m for m in finals if m["review"]["items"]], strict=True):
        _queued_and_listed(http, review, 11.0)
        sure = {w["word"] for w in final["words"] if w["confidence"] >= 0.5}
        assert all(i["text"] not in sure or " " in i["text"] for i in review["items"])
        assert all(final["start"] - 0.01 <= i["start"] <= final["end"] for i in review["items"])
    plain = asyncio.run(_stream(live_server, {"model": MODEL, "partials": False}, pcm))
    assert not any("review" in m for m in plain)


async def openai_session(
    url: str,
    transcription: dict[str, Any],
    pcm: bytes,
    *,
    duration: float,
    headers: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One OpenAI Realtime transcription session (GA shape, 16 kHz pcm16) over `pcm`: every event up
    to the `.completed` of the utterance that reaches the end of the audio (or an error)."""
    events: list[dict[str, Any]] = []
    ws_url = url.replace("http://", "ws://") + "/v1/realtime?intent=transcription"
    async with connect(ws_url, max_size=None, additional_headers=headers) as ws:
        session = {
            "type": "transcription",
            "audio": {
                "input": {"format": {"type": "audio/pcm", "rate": 16000}, "transcription": transcription}
            },
        }
        await ws.send(json.dumps({"type": "session.update", "session": session}))
        for start in range(0, len(pcm), 32000):
            chunk = base64.b64encode(pcm[start : start + 32000]).decode()
            await ws.send(json.dumps({"type": "input_audio_buffer.append", "audio": chunk}))
        await ws.send(json.dumps({"type": "input_audio_buffer.commit"}))
        try:
            async with asyncio.timeout(300):
                async for message in ws:
                    event = json.loads(message)
                    events.append(event)
                    if event["type"] == "error":
                        break
                    words = event.get("words") or [{"end": 0.0}]
                    if event["type"].endswith(".completed") and words[-1]["end"] >= duration - 2.0:
                        break
        except ConnectionClosed:
            pass
    return events


def test_an_openai_realtime_session_queues_each_completed_transcript_for_review(
    http: httpx.Client, live_server: LiveServer, speech_dir: Path
) -> None:
    samples = decode_audio(speech_dir / "jfk.flac", 16000)
    pcm = (samples * 32767).astype("<i2").tobytes()
    duration = len(samples) / 16000
    asked = {"model": MODEL, "review": True, "format": "raw"}
    events = asyncio.run(openai_session(live_server.url, asked, pcm, duration=duration))
    completed = [e for e in events if e["type"] == "conversation.item.input_audio_transcription.completed"]
    assert completed and all("review" in e for e in completed), events
    queued = [e for e in completed if e["review"]["items"]]
    assert queued, completed  # pocketsphinx is unsure of some of jfk's words
    for event in queued:
        _queued_and_listed(http, event["review"], duration)
        sure = {w["word"] for w in event["words"] if w["confidence"] >= 0.5}
        assert all(i["text"] not in sure or " " in i["text"] for i in event["review"]["items"])
    plain = asyncio.run(openai_session(live_server.url, {"model": MODEL}, pcm, duration=duration))
    assert any(e["type"].endswith(".completed") for e in plain)
    assert not any("review" in e for e in plain)


def test_an_openai_realtime_review_that_is_no_yes_or_no_is_refused(live_server: LiveServer) -> None:
    async def run() -> list[dict[str, Any]]:
        url = live_server.url.replace("http://", "ws://") + "/v1/realtime?intent=transcription"
        transcription = {"model": MODEL, "review": "maybe"}
        session = {"input_audio_format": "pcm16", "input_audio_transcription": transcription}
        async with connect(url) as ws, asyncio.timeout(60):
            events = [json.loads(await ws.recv())]  # transcription_session.created
            await ws.send(json.dumps({"type": "transcription_session.update", "session": session}))
            events.append(json.loads(await ws.recv()))
            session["input_audio_transcription"] = {"model": MODEL, "review": True}
            await ws.send(json.dumps({"type": "transcription_session.update", "session": session}))
            events.append(json.loads(await ws.recv()))
        return events

    created, error, updated = asyncio.run(run())
    assert created["type"] == "transcription_session.created"
    assert error["type"] == "error" and error["error"]["param"] == "review", error
    assert updated["type"] == "transcription_session.updated"  # the socket stayed open for a corrected one
    assert updated["session"]["input_audio_transcription"]["review"] is True
