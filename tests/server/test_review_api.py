"""The review queue: low-confidence spans of a request or a job listed with their audio offsets, and a
correction that changes the stored transcript (a job's result too) and records who made it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

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
