"""Jobs are metered exactly once with what they used (billable characters, audio seconds), like the
synchronous requests they stand for; /metrics shows the admission queues, the job queue by state and
callback deliveries by outcome."""

from __future__ import annotations

import base64
import io
import secrets
import threading
import time
from pathlib import Path
from typing import Any

import av
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from mynah.platform.tables import UsageRow
from tests.fixtures.webhook_receiver import webhook_receiver
from tests.jobs.conftest import wait_finished
from tests.platform.conftest import PlatformServer, ServerFactory, bearer, keys_of

SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
JOBS = {
    "allow_private_callbacks": True,
    "poll_seconds": 0.05,
    "retry_base_seconds": 0.05,
    "callback_retry_base_seconds": 0.05,
    "webhook_secret": SECRET,
}
SSML = '<speak>Your <emphasis>order</emphasis> has shipped.<break time="300ms"/> Thank you.</speak>'


def _rows(server: PlatformServer, request_id: str) -> list[UsageRow]:
    server.platform.meter.flush()
    with server.runtime.store.session() as session:
        return list(session.scalars(select(UsageRow).where(UsageRow.request_id == request_id)))


def _seconds(audio: bytes) -> float:
    with av.open(io.BytesIO(audio)) as container:
        stream = container.streams.audio[0]
        frames = sum(frame.samples for frame in container.decode(audio=0))
        return frames / float(stream.rate)


def _samples(client: httpx.Client, **headers: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = client.get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def test_a_job_is_metered_once_with_its_characters_and_audio_seconds(
    make_server: ServerFactory, speech_dir: Path
) -> None:
    with make_server(jobs=JOBS) as server, httpx.Client(base_url=server.url, timeout=120) as client:
        made = keys_of(server).create("batch", scopes=["jobs"])
        client.headers.update(bearer(made.token))
        spoken = client.post(
            "/v1/mynah/jobs/speech",
            json={"input": SSML, "voice": "espeak:en-us", "response_format": "wav"},
        )
        assert spoken.status_code == 202, spoken.text
        audio = (speech_dir / "goforward.wav").read_bytes()
        heard = client.post(
            "/v1/mynah/jobs/transcriptions",
            data={"model": "pocketsphinx:en-us"},
            files={"file": ("g.wav", audio)},
        )
        assert heard.status_code == 202, heard.text
        broken = client.post(
            "/v1/mynah/jobs/transcriptions",
            data={"model": "pocketsphinx:en-us"},
            files={"file": ("noise.wav", b"RIFF not really a wave file at all" * 10)},
        )
        assert broken.status_code == 202, broken.text
        speech_job = wait_finished(client, spoken.json()["id"])
        transcription_job = wait_finished(client, heard.json()["id"])
        failed_job = wait_finished(client, broken.json()["id"])
        assert (speech_job["status"], transcription_job["status"], failed_job["status"]) == (
            "succeeded",
            "succeeded",
            "failed",
        )

        [speech] = _rows(server, spoken.json()["id"])
        assert speech.kind == "speech" and speech.status == 200 and speech.key_id == made.key.id
        assert speech.chars == len("Your order has shipped. Thank you.")  # the markup is not billed
        produced = _seconds(client.get(f"/v1/mynah/jobs/{spoken.json()['id']}/result").content)
        assert abs(speech.audio_seconds - produced) < 0.05
        assert (speech.engine, speech.voice) == ("espeak", "espeak:en-us")

        [transcription] = _rows(server, heard.json()["id"])
        assert transcription.kind == "transcription" and transcription.status == 200
        assert transcription.model == "pocketsphinx:en-us" and transcription.chars == 0
        assert abs(transcription.audio_seconds - _seconds(audio)) < 0.05

        [failure] = _rows(server, broken.json()["id"])
        assert failure.status == 400 and failure.chars == 0 and failure.audio_seconds == 0.0

        usage = client.get("/v1/mynah/usage", params={"group_by": "key"}, headers=bearer(made.token))
        assert usage.status_code == 403 or usage.json()["total"]["chars"] == speech.chars
        admin = keys_of(server).create("ops", scopes=["admin"])
        report = client.get("/v1/mynah/usage", params={"group_by": "key"}, headers=bearer(admin.token)).json()
        [mine] = [g for g in report["data"] if g["group"] == made.key.id]
        with server.runtime.store.session() as session:
            jobs = session.scalars(
                select(UsageRow).where(UsageRow.key_id == made.key.id, UsageRow.route == "(job)")
            )
            assert sorted(row.request_id for row in jobs) == sorted(
                r.json()["id"] for r in (spoken, heard, broken)
            )
        # every other request of this key (submissions, events, the result) is metered once, no characters
        assert mine["requests"] == 3 + 8
        assert mine["chars"] == speech.chars
        assert (
            abs(mine["audio_seconds"] - round(speech.audio_seconds + transcription.audio_seconds, 3)) < 0.01
        )


def test_metrics_show_queues_jobs_by_state_and_callbacks_by_outcome(
    make_server: ServerFactory, speech_dir: Path
) -> None:
    admission = {"speech_slots": 1, "speech_queue": 4, "speech_wait": 120}
    with (
        webhook_receiver(SECRET) as receiver,
        make_server(
            jobs=JOBS, server={"admission": admission}, engines=["espeak", "pocketsphinx", "piper"]
        ) as server,
        httpx.Client(base_url=server.url, timeout=120) as client,
    ):
        before = _samples(client)
        for name in ("speech", "transcription"):
            assert ("mynah_queue_depth", (("queue", name),)) in before
            assert ("mynah_admission_running", (("kind", name),)) in before
        assert before[("mynah_jobs", (("kind", "speech"), ("state", "queued")))] == 0

        audio = (speech_dir / "goforward.wav").read_bytes()
        ids = []
        for path in ("/ok", "/gone"):
            response = client.post(
                "/v1/mynah/jobs/transcriptions",
                data={
                    "model": "pocketsphinx:en-us",
                    "callback_url": receiver.at(path, [410] if path == "/gone" else []),
                },
                files={"file": ("g.wav", audio)},
            )
            assert response.status_code == 202, response.text
            ids.append(response.json()["id"])
        for job_id in ids:
            wait_finished(client, job_id)
        receiver.wait_for("/ok", 1)
        receiver.wait_for("/gone", 1)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            after = _samples(client)
            outcomes = {
                o: _value(after, "mynah_callback_deliveries_total", outcome=o) for o in ("delivered", "gone")
            }
            if all(outcomes.values()):
                break
            time.sleep(0.05)
        assert outcomes == {"delivered": 1.0, "gone": 1.0}
        assert _value(after, "mynah_jobs", kind="transcription", state="succeeded") == 2

        fallbacks = _value(after, "mynah_fallbacks_total", kind="speech")
        body = {"model": "tts-1", "input": "Hello.", "voice": "nova", "response_format": "wav"}
        assert "x-mynah-fallback" in client.post("/v1/audio/speech", json=body).headers
        assert _value(_samples(client), "mynah_fallbacks_total", kind="speech") == fallbacks + 1
        for family in ("mynah_model_loads_total", "mynah_model_unloads_total", "mynah_models_loaded"):
            assert (family, ()) in after

        # one speech slot: a stream that holds it puts the next request in the queue
        held = _hold_a_stream(server.url)
        waiter = threading.Thread(target=_speak_once, args=(server.url,), daemon=True)
        try:
            _until(client, lambda s: _value(s, "mynah_admission_running", kind="speech") == 1)
            assert _value(_samples(client), "mynah_active_streams") >= 1
            waiter.start()
            _until(client, lambda s: _value(s, "mynah_queue_depth", queue="speech") == 1)
        finally:
            held.close()
        waiter.join(timeout=120)
        _until(client, lambda s: _value(s, "mynah_queue_depth", queue="speech") == 0)


def _value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def _until(client: httpx.Client, condition: Any, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition(_samples(client)):
            return
        time.sleep(0.05)
    raise AssertionError("the metrics never showed it")


class _Held:
    """A long speech stream whose first bytes were read and the rest left waiting (its slot held)."""

    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=120)
        body = {
            "model": "tts-1",
            "input": "A long story. " * 400,
            "voice": "espeak:en-us",
            "response_format": "pcm",
        }
        self.response = self.client.send(
            self.client.build_request("POST", "/v1/audio/speech", json=body), stream=True
        )
        assert self.response.status_code == 200
        self.chunks = self.response.iter_raw(1024)  # kept: a dropped iterator closes the response
        next(self.chunks)

    def close(self) -> None:
        self.response.close()
        self.client.close()


def _hold_a_stream(url: str) -> _Held:
    return _Held(url)


def _speak_once(url: str) -> None:
    body = {"model": "tts-1", "input": "Waiting my turn.", "voice": "espeak:en-us", "response_format": "wav"}
    with httpx.Client(base_url=url, timeout=120) as client:
        client.post("/v1/audio/speech", json=body)


def test_model_metrics_move_when_a_voice_loads(make_server: ServerFactory) -> None:
    """Real weights (Piper joe-medium): the first request loads the voice, and /metrics says so."""
    from tests.fixtures.real_weights import RealWeightsUnavailable, real_model_cache

    try:
        cache = real_model_cache()
    except RealWeightsUnavailable as exc:
        pytest.skip(f"real weights: {exc}")
    voice = "piper:en_US-joe-medium"
    models = {"offline": True, "cache_dir": str(cache)}
    with (
        make_server(models=models, engines=["espeak", "piper"]) as server,
        httpx.Client(base_url=server.url, timeout=300) as client,
    ):
        before = _samples(client)
        body = {"model": "tts-1", "input": "Loading a voice.", "voice": voice, "response_format": "wav"}
        spoken = client.post("/v1/audio/speech", json=body)
        assert spoken.status_code == 200 and spoken.headers["x-mynah-voice"] == voice
        after = _samples(client)
        assert _value(after, "mynah_model_loads_total") == _value(before, "mynah_model_loads_total") + 1
        assert _value(after, "mynah_models_loaded") >= 1
        assert _value(after, "mynah_model_resident_memory_bytes", model=voice) > 0
