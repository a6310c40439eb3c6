"""Jobs on the real weights: a whisper:tiny.en job gives the synchronous transcript, and a Markdown
document becomes one Piper recording with chapters, loudness-normalised."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import av
import httpx
import numpy as np
import pytest

from mynah.audio.loudness import measure_lufs
from mynah.config import ModelSettings, Settings, SttSettings
from mynah.runtime import Runtime
from tests.fixtures.real_weights import JOE, TINY_EN
from tests.support import LiveServer, start_live_server


@pytest.fixture(scope="module")
def server(real_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("jobs-real"),
        models=ModelSettings(cache_dir=real_cache, offline=True),
        stt=SttSettings(default_model=[TINY_EN], cache=False),
    )
    with Runtime.start(settings) as runtime, start_live_server(settings, runtime) as live:
        yield live


def _finished(http: httpx.Client, job_id: str) -> dict[str, object]:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        job: dict[str, object] = http.get(f"/v1/mynah/jobs/{job_id}").json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"{job_id} did not finish")


def test_a_whisper_job_matches_the_synchronous_transcript(server: LiveServer, speech_dir: Path) -> None:
    audio = (speech_dir / "jfk.flac").read_bytes()
    with httpx.Client(base_url=server.url, timeout=600) as http:
        sync = http.post(
            "/v1/audio/transcriptions",
            data={"model": TINY_EN, "response_format": "verbose_json"},
            files={"file": ("jfk.flac", audio)},
        ).json()
        job = http.post(
            "/v1/mynah/jobs/transcriptions", data={"model": TINY_EN}, files={"file": ("jfk.flac", audio)}
        ).json()
        assert _finished(http, job["id"])["status"] == "succeeded"
        result = http.get(f"/v1/mynah/jobs/{job['id']}/result", params={"format": "verbose_json"}).json()
    assert result["text"] == sync["text"]
    assert "ask not what your country can do for you" in result["text"].lower()
    assert [(s["start"], s["end"], s["text"]) for s in result["segments"]] == [
        (s["start"], s["end"], s["text"]) for s in sync["segments"]
    ]
    assert result["words"] and all(w["word"] for w in result["words"])  # a job keeps word timings too


def test_a_markdown_document_becomes_one_normalised_piper_recording(server: LiveServer) -> None:
    document = "# Chapter one\n\nThe quick brown fox jumps over the lazy dog.\n\n# Chapter two\n\nIt was not amused.\n"
    with httpx.Client(base_url=server.url, timeout=600) as http:
        job = http.post(
            "/v1/mynah/jobs/speech",
            json={
                "input": document,
                "input_type": "markdown",
                "voice": JOE,
                "response_format": "wav",
                "loudness": -16,
            },
        ).json()
        done = _finished(http, job["id"])
        assert done["status"] == "succeeded", done
        audio = http.get(f"/v1/mynah/jobs/{job['id']}/result").content
    with av.open(io.BytesIO(audio)) as container:
        rate = container.streams.audio[0].rate
        samples = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
    pcm = samples.astype(np.float32) / (32768.0 if samples.dtype == np.int16 else 1.0)
    assert len(pcm) / rate > 4.0
    assert measure_lufs(pcm, rate) == pytest.approx(-16.0, abs=1.0)
