"""The job routes over real HTTP: submit, follow, result in every format, bad input, hosted shapes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import av
import httpx
import pytest

from tests.fixtures.webhook_receiver import Receiver
from tests.jobs.conftest import MODEL, wait_finished
from tests.support import LiveServer


def submit(http: httpx.Client, audio: bytes, name: str = "a.wav", **fields: str) -> dict[str, object]:
    response = http.post(
        "/v1/mynah/jobs/transcriptions", data={"model": MODEL, **fields}, files={"file": (name, audio)}
    )
    assert response.status_code == 202, response.text
    job: dict[str, object] = response.json()
    assert response.headers["location"] == f"/v1/mynah/jobs/{job['id']}"
    assert job["status"] == "queued"
    return job


def test_a_job_gives_the_transcript_a_synchronous_request_gives(http: httpx.Client, speech_dir: Path) -> None:
    audio = (speech_dir / "jfk.flac").read_bytes()
    job = submit(http, audio, "jfk.flac")
    done = wait_finished(http, str(job["id"]))
    assert done["status"] == "succeeded" and done["attempts"] == 1 and done["progress"] == 1.0
    sync = http.post(
        "/v1/audio/transcriptions",
        data={"model": MODEL, "response_format": "verbose_json"},
        files={"file": ("jfk.flac", audio)},
    ).json()
    result = http.get(f"/v1/mynah/jobs/{job['id']}/result", params={"format": "verbose_json"}).json()
    assert result["text"] == sync["text"] and result["text"]
    assert [s["text"] for s in result["segments"]] == [s["text"] for s in sync["segments"]]
    assert http.get(f"/v1/mynah/jobs/{job['id']}/result").json() == {"text": sync["text"], "model": MODEL}
    srt = http.get(f"/v1/mynah/jobs/{job['id']}/result", params={"format": "srt"})
    assert srt.headers["content-type"].startswith("application/x-subrip") or "-->" in srt.text
    assert "-->" in srt.text
    text = http.get(f"/v1/mynah/jobs/{job['id']}/result", params={"format": "text"}).text
    assert text.strip() == sync["text"]
    shown = http.get(f"/v1/mynah/jobs/{job['id']}").json()
    assert shown["input"]["name"] == "jfk.flac" and shown["seconds_total"] == pytest.approx(11.0, abs=0.1)


def test_corrupt_audio_fails_the_job_with_the_synchronous_error_body(http: httpx.Client) -> None:
    corrupt = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 300
    sync = http.post("/v1/audio/transcriptions", data={"model": MODEL}, files={"file": ("bad.wav", corrupt)})
    assert sync.status_code == 400
    job = submit(http, corrupt, "bad.wav")
    done = wait_finished(http, str(job["id"]))
    assert done["status"] == "failed"
    assert done["attempts"] == 1  # bad audio is permanent: no retry
    # the same body, less the synchronous request's own id (a job's error outlives its request)
    expected = {k: v for k, v in sync.json()["error"].items() if k != "request_id"}
    assert done["error"] == {"status": 400, "error": expected}
    result = http.get(f"/v1/mynah/jobs/{job['id']}/result")
    assert result.status_code == 409
    assert "failed" in result.json()["error"]["message"]


def test_an_unknown_job_is_404(http: httpx.Client) -> None:
    for method, path in [("GET", ""), ("GET", "/result"), ("GET", "/events"), ("DELETE", "")]:
        response = http.request(method, f"/v1/mynah/jobs/job_nope{path}")
        assert response.status_code == 404, (method, path)
        assert response.json()["error"]["code"] == "not_found"
        assert "job_nope" in response.json()["error"]["message"]


def test_the_result_of_an_unfinished_job_is_409_naming_its_state(
    strict_server: LiveServer, speech_dir: Path
) -> None:
    with httpx.Client(base_url=strict_server.url) as http:
        job = submit(http, (speech_dir / "goforward.wav").read_bytes())
        response = http.get(f"/v1/mynah/jobs/{job['id']}/result")
        assert response.status_code == 409
        error = response.json()["error"]
        assert error["code"] == "job_not_finished" and "is queued" in error["message"]
        cancelled = http.delete(f"/v1/mynah/jobs/{job['id']}").json()
        assert cancelled["status"] == "cancelled" and cancelled["deleted"] is False
        again = http.get(f"/v1/mynah/jobs/{job['id']}/result")
        assert again.status_code == 409 and "is cancelled" in again.json()["error"]["message"]


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ({"model": "nope:model"}, "model"),
        ({"response_format": "docx"}, "response_format"),
        ({"language": "tlh"}, "language"),
        ({"num_speakers": "many"}, "num_speakers"),
        ({"callback_url": "ftp://example.com/hook"}, "callback_url"),
        ({"callback_url": "file:///etc/passwd"}, "callback_url"),
        ({"callback_url": "not a url"}, "callback_url"),
        ({"webhook_extra": "novalue"}, "webhook_extra"),
    ],
)
def test_bad_submissions_are_refused_at_once(
    http: httpx.Client, speech_dir: Path, fields: dict[str, str], param: str
) -> None:
    before = http.get("/v1/mynah/jobs", params={"limit": 1000}).json()["data"]
    response = http.post(
        "/v1/mynah/jobs/transcriptions",
        data={"model": MODEL, **fields},
        files={"file": ("a.wav", (speech_dir / "goforward.wav").read_bytes())},
    )
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["error"]["param"] == param
    assert http.get("/v1/mynah/jobs", params={"limit": 1000}).json()["data"] == before  # nothing queued


def test_listing_pages_are_stable_and_filtered(http: httpx.Client, speech_dir: Path) -> None:
    audio = (speech_dir / "cards" / "001.wav").read_bytes()
    ids = [str(submit(http, audio)["id"]) for _ in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2, "kind": "transcription"}
        if cursor:
            params["cursor"] = cursor
        page = http.get("/v1/mynah/jobs", params=params).json()
        seen += [job["id"] for job in page["data"]]
        if len(page["data"]) == 2 and len(seen) == 2:
            submit(http, audio)  # a new job while paging does not shift the later pages
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen))
    assert [i for i in seen if i in ids] == list(reversed(ids))
    for job_id in ids:
        wait_finished(http, job_id)
    succeeded = http.get("/v1/mynah/jobs", params={"state": "succeeded", "limit": 1000}).json()["data"]
    assert set(ids) <= {j["id"] for j in succeeded}
    assert http.get("/v1/mynah/jobs", params={"state": "dancing"}).json()["error"]["param"] == "state"


def test_deleting_a_finished_job_removes_it_and_its_files(
    http: httpx.Client, jobs_server: LiveServer, speech_dir: Path
) -> None:
    import os
    import time

    audio = (speech_dir / "forever.wav").read_bytes() + b"\0" * 7  # unique bytes: a blob of its own
    job = submit(http, audio)
    done = wait_finished(http, str(job["id"]))
    blobs = jobs_server.runtime.settings.data_dir / "jobs" / "blobs"
    files = [blobs / ref[:2] / ref for ref in (done["input"]["sha256"], done["result"]["sha256"])]  # type: ignore[index]
    assert all(f.is_file() for f in files)
    for file in files:  # as if it finished a while ago (a just-touched blob is left to the cleanup)
        os.utime(file, (time.time() - 60, time.time() - 60))
    deleted = http.delete(f"/v1/mynah/jobs/{job['id']}").json()
    assert deleted["deleted"] is True
    assert http.get(f"/v1/mynah/jobs/{job['id']}").status_code == 404
    assert not any(f.exists() for f in files)


def test_a_speech_job_renders_a_markdown_document_to_one_file(http: httpx.Client) -> None:
    document = (
        "# One\n\nThe first chapter is *short*.\n\n## Two\n\nSo is the [second](https://example.com).\n"
    )
    response = http.post(
        "/v1/mynah/jobs/speech",
        json={
            "input": document,
            "input_type": "markdown",
            "voice": "espeak:en-us",
            "model": "espeak",
            "response_format": "flac",
            "loudness": -20,
        },
    )
    assert response.status_code == 202, response.text
    done = wait_finished(http, response.json()["id"])
    assert done["status"] == "succeeded", done
    audio = http.get(f"/v1/mynah/jobs/{done['id']}/result")
    assert audio.headers["content-type"] == "audio/flac"
    with av.open(io.BytesIO(audio.content)) as container:
        seconds = sum(f.samples for f in container.decode(audio=0)) / container.streams.audio[0].rate
    assert seconds > 3.0  # two headings, two sentences and the chapter pauses


def test_a_speech_job_with_a_bad_voice_is_refused_at_submission(http: httpx.Client) -> None:
    response = http.post("/v1/mynah/jobs/speech", json={"input": "hello", "voice": "nobody:here"})
    assert response.status_code == 400 and response.json()["error"]["param"] == "voice"


def test_whisperapi_style_form_with_callback_url(
    http: httpx.Client, receiver: Receiver, speech_dir: Path
) -> None:
    # What a WhisperAPI user's code sends, host aside: a form with empty fields meaning "not given".
    audio = (speech_dir / "jfk.flac").read_bytes()
    form = {
        "fileType": "flac",
        "diarization": "false",
        "numSpeakers": "",
        "initialPrompt": "",
        "language": "",
        "task": "transcribe",
        "callbackURL": receiver.at("/whisper"),
    }
    response = http.post("/whisperapi", data=form, files={"file": ("jfk.flac", audio)})
    assert response.status_code == 202, response.text
    body = response.json()
    [delivery] = receiver.wait_for("/whisper", 1)
    assert delivery.verified and delivery.headers["webhook-id"]
    payload = json.loads(delivery.body)
    assert payload["id"] == body["id"] and payload["status"] == "succeeded"
    sync = http.post(
        "/whisperapi", data={**form, "callbackURL": ""}, files={"file": ("jfk.flac", audio)}
    ).json()
    assert payload["text"] == sync["text"]
    assert payload["segments"] == sync["segments"]
    words = payload["segments"][0]["whole_word_timestamps"]
    assert words and set(words[0]) == {"word", "start", "end", "timestamp", "probability"}


def test_pulse_style_webhook_url_with_extra(http: httpx.Client, receiver: Receiver, speech_dir: Path) -> None:
    audio = (speech_dir / "goforward.wav").read_bytes()
    params = {
        "language": "en",
        "word_timestamps": "true",
        "webhook_url": receiver.at("/pulse"),
        "webhook_extra": "order:42,customer:abc",
    }
    response = http.post(
        "/waves/v1/pulse/get_text", params=params, content=audio, headers={"content-type": "audio/wav"}
    )
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "processing"
    [delivery] = receiver.wait_for("/pulse", 1)
    payload = json.loads(delivery.body)
    assert payload["request_id"] == response.json()["request_id"]
    assert payload["webhook_extra"] == {"order": "42", "customer": "abc"}
    sync = http.post(
        "/api/v1/pulse/get_text",
        params={"language": "en", "word_timestamps": "true"},
        content=audio,
        headers={"content-type": "audio/wav"},
    ).json()
    assert payload["transcription"] == sync["transcription"] and payload["words"] == sync["words"]
    assert payload["status"] == "success"


def test_a_priority_is_stored_and_shown(strict_server: LiveServer, speech_dir: Path) -> None:
    with httpx.Client(base_url=strict_server.url) as http:
        job = submit(http, (speech_dir / "goforward.wav").read_bytes(), priority="7")
        assert job["priority"] == 7
        assert http.get(f"/v1/mynah/jobs/{job['id']}").json()["priority"] == 7
        plain = submit(http, (speech_dir / "goforward.wav").read_bytes())
        assert plain["priority"] == 0  # the default
        speech = http.post(
            "/v1/mynah/jobs/speech", json={"input": "hello", "voice": "espeak:en-us", "priority": -3}
        )
        assert speech.status_code == 202, speech.text
        assert http.get(f"/v1/mynah/jobs/{speech.json()['id']}").json()["priority"] == -3


@pytest.mark.parametrize("priority", ["11", "-11", "99999999999999999999", "high", "2.5"])
def test_an_absurd_priority_is_a_400_naming_it(
    strict_server: LiveServer, speech_dir: Path, priority: str
) -> None:
    with httpx.Client(base_url=strict_server.url) as http:
        response = http.post(
            "/v1/mynah/jobs/transcriptions",
            data={"model": MODEL, "priority": priority},
            files={"file": ("a.wav", (speech_dir / "goforward.wav").read_bytes())},
        )
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert error["param"] == "priority" and "priority" in error["message"]


@pytest.mark.parametrize("priority", [1000, -1000, 2.5, "high", True])
def test_an_absurd_speech_job_priority_is_a_400(strict_server: LiveServer, priority: object) -> None:
    with httpx.Client(base_url=strict_server.url) as http:
        response = http.post(
            "/v1/mynah/jobs/speech", json={"input": "hello", "voice": "espeak:en-us", "priority": priority}
        )
        assert response.status_code == 400, response.text
        assert "priority" in json.dumps(response.json()["error"])
