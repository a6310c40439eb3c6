"""Callbacks against a real receiver on 127.0.0.1: retries until 2xx with one webhook-id, 410 stops,
Retry-After is honoured, signatures verify with the standardwebhooks package, and refused targets
are a 400 at submission."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from mynah.config import JobsSettings
from mynah.jobs.callbacks import Sender, next_attempt
from tests.fixtures.webhook_receiver import Receiver
from tests.jobs.conftest import MODEL, SECRET, wait_finished
from tests.support import LiveServer


def _submit(http: httpx.Client, audio: bytes, **fields: str) -> str:
    response = http.post(
        "/v1/mynah/jobs/transcriptions", data={"model": MODEL, **fields}, files={"file": ("a.wav", audio)}
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def _delivered(http: httpx.Client, job_id: str, attempts: int) -> dict[str, object]:
    """The job once its callback log has `attempts` entries and is no longer pending."""
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job: dict[str, object] = http.get(f"/v1/mynah/jobs/{job_id}").json()
        callback = job["callback"]
        assert isinstance(callback, dict)
        if len(callback["deliveries"]) >= attempts and callback["status"] != "pending":
            return job
        time.sleep(0.05)
    raise AssertionError(f"the callback of {job_id} did not settle: {job}")


def test_500_500_200_delivers_on_the_third_attempt_with_one_webhook_id(
    http: httpx.Client, receiver: Receiver, speech_dir: Path
) -> None:
    url = receiver.at("/flaky", [500, 500])
    job_id = _submit(http, (speech_dir / "goforward.wav").read_bytes(), callback_url=url)
    deliveries = receiver.wait_for("/flaky", 3)
    job = _delivered(http, job_id, 3)
    assert [d.status for d in deliveries] == [500, 500, 200]
    ids = {d.headers["webhook-id"] for d in deliveries}
    assert len(ids) == 1 and ids == {job["callback"]["webhook_id"]}  # type: ignore[index]
    assert all(d.verified for d in deliveries)
    payload = deliveries[-1].payload
    assert payload["type"] == "transcription.succeeded" and payload["data"]["id"] == job_id
    assert payload["data"]["result"]["text"] == http.get(f"/v1/mynah/jobs/{job_id}/result").json()["text"]
    log = job["callback"]["deliveries"]  # type: ignore[index]
    assert [entry["status_code"] for entry in log] == [500, 500, 200]
    assert job["callback"]["status"] == "delivered"  # type: ignore[index]
    assert len(receiver.for_path("/flaky")) == 3


def test_410_gone_stops_the_deliveries(http: httpx.Client, receiver: Receiver, speech_dir: Path) -> None:
    url = receiver.at("/gone", [410, 200, 200])
    job_id = _submit(http, (speech_dir / "goforward.wav").read_bytes(), callback_url=url)
    job = _delivered(http, job_id, 1)
    callback = job["callback"]
    assert isinstance(callback, dict)
    assert callback["status"] == "gone" and callback["next_attempt_at"] is None
    assert [d.status for d in receiver.for_path("/gone")] == [410]


def test_retry_after_is_honoured_and_custom_auth_header_is_echoed(
    http: httpx.Client, receiver: Receiver, speech_dir: Path
) -> None:
    url = receiver.at("/later", [503])
    receiver.retry_after["/later"] = "3600"
    job_id = _submit(
        http,
        (speech_dir / "goforward.wav").read_bytes(),
        callback_url=url,
        callback_auth_header_name="X-Receiver-Token",
        callback_auth_header_value="s3cret",
    )
    [first] = receiver.wait_for("/later", 1)
    assert first.headers["x-receiver-token"] == "s3cret"
    import time

    deadline = time.monotonic() + 30
    while True:
        callback = http.get(f"/v1/mynah/jobs/{job_id}").json()["callback"]
        # attempts and next_attempt_at are one row; the deliveries list is read apart from it
        if callback["attempts"] or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert callback["status"] == "pending"
    due = datetime.fromisoformat(callback["next_attempt_at"].replace("Z", "+00:00"))
    assert due > datetime.now(UTC) + timedelta(minutes=55), callback
    http.delete(f"/v1/mynah/jobs/{job_id}")


def test_a_failed_job_is_delivered_with_its_error(http: httpx.Client, receiver: Receiver) -> None:
    job_id = _submit(http, b"not audio at all", callback_url=receiver.at("/failed"))
    [delivery] = receiver.wait_for("/failed", 1)
    assert delivery.verified
    assert delivery.payload["type"] == "transcription.failed"
    assert delivery.payload["data"]["error"]["error"]["code"] == "invalid_audio"
    assert wait_finished(http, job_id)["status"] == "failed"


def test_the_signature_is_standard_webhooks_and_a_wrong_secret_fails(receiver: Receiver) -> None:
    sender = Sender(JobsSettings(allow_private_callbacks=True), SECRET)
    attempt = sender.send(receiver.at("/signed"), "msg_abc", {"hello": "world"}, {})
    assert attempt.delivered
    [delivery] = receiver.for_path("/signed")
    assert delivery.verified and delivery.payload == {"hello": "world"}
    assert delivery.headers["webhook-signature"].startswith("v1,")
    other = Webhook("whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=")
    with pytest.raises(WebhookVerificationError):
        other.verify(delivery.body, delivery.headers)
    tampered = delivery.body.replace(b"world", b"there")
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(tampered, delivery.headers)


def test_delivery_checks_the_address_again(receiver: Receiver) -> None:
    strict = Sender(JobsSettings(), SECRET)
    attempt = strict.send(receiver.at("/private"), "msg_x", {}, {})
    assert attempt.status_code is None and attempt.error is not None and "loopback" in attempt.error
    assert receiver.for_path("/private") == []


def test_the_retry_schedule_grows_and_ends_after_the_window() -> None:
    settings = JobsSettings(callback_retry_base_seconds=5.0, callback_retry_hours=24.0)
    start = datetime.now(UTC)
    for attempt in range(1, 12):
        before = datetime.now(UTC)
        due = next_attempt(attempt, start, settings, None)
        assert due is not None
        grown = min(5.0 * 2 ** (attempt - 1), 6 * 3600.0)  # doubling from 5 s, at most six hours
        assert before + timedelta(seconds=grown) <= due <= datetime.now(UTC) + timedelta(seconds=grown + 5.0)
    assert next_attempt(3, start - timedelta(hours=24), settings, None) is None
    assert next_attempt(1, start, settings, retry_after=120.0) >= datetime.now(UTC) + timedelta(seconds=119)  # type: ignore[operator]


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:8080/hook",
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://2130706433/hook",
    ],
)
def test_private_callback_targets_are_refused_at_submission(
    strict_server: LiveServer, speech_dir: Path, target: str
) -> None:
    audio = (speech_dir / "goforward.wav").read_bytes()
    with httpx.Client(base_url=strict_server.url) as http:
        before = len(http.get("/v1/mynah/jobs", params={"limit": 1000}).json()["data"])
        native = http.post(
            "/v1/mynah/jobs/transcriptions", data={"callback_url": target}, files={"file": ("a.wav", audio)}
        )
        whisperapi = http.post("/whisperapi", data={"callbackURL": target}, files={"file": ("a.wav", audio)})
        pulse = http.post(
            "/api/v1/pulse/get_text",
            params={"webhook_url": target},
            content=audio,
            headers={"content-type": "audio/wav"},
        )
        speech = http.post(
            "/v1/mynah/jobs/speech",
            json={"input": "hi", "voice": "espeak:en-us", "model": "espeak", "callback_url": target},
        )
        for response, param in [
            (native, "callback_url"),
            (whisperapi, "callbackURL"),
            (pulse, "webhook_url"),
            (speech, "callback_url"),
        ]:
            assert response.status_code == 400, response.text
            error = response.json()["error"]
            assert error["code"] == "url_refused" and error["param"] == param
            assert "refusing to send callbacks to" in error["message"]
        assert len(http.get("/v1/mynah/jobs", params={"limit": 1000}).json()["data"]) == before
    assert json.dumps(native.json()).count("address") >= 1
