"""Servers for the jobs tests: real uvicorn on a free port, the embedded engines (pocketsphinx,
espeak-ng), jobs on SQLite in a temporary data directory; and PostgreSQL databases per session.

`jobs_server` allows loopback callback receivers (`jobs.allow_private_callbacks`, explicitly, because
the receiver runs on 127.0.0.1) and retries quickly; `strict_server` keeps the default address checks
and runs no workers, so its jobs stay queued."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from pydantic import SecretStr

from mynah.audio.decode import decode_audio
from mynah.audio.encode import encode_audio
from mynah.audio.formats import AudioFormat
from mynah.config import JobsSettings, ModelSettings, Settings, SttSettings
from mynah.runtime import Runtime
from tests.fixtures.webhook_receiver import Receiver, webhook_receiver
from tests.store.conftest import database_url, postgres_url  # noqa: F401 - fixtures, shared
from tests.support import LiveServer, start_live_server

SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
MODEL = "pocketsphinx:en-us"


def job_settings(data_dir: Path, **jobs: object) -> Settings:
    options: dict[str, object] = {
        "allow_private_callbacks": True,
        "poll_seconds": 0.05,
        "lease_seconds": 3.0,
        "retry_base_seconds": 0.05,
        "callback_retry_base_seconds": 0.05,
        "webhook_secret": SecretStr(SECRET),
        **jobs,
    }
    return Settings(
        data_dir=data_dir,
        engines=["pocketsphinx", "espeak"],
        models=ModelSettings(offline=True),
        stt=SttSettings(cache=False, default_model=[MODEL]),
        jobs=JobsSettings(**options),  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def jobs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = job_settings(tmp_path_factory.mktemp("jobs"))
    with Runtime.start(settings) as runtime, start_live_server(settings, runtime) as server:
        yield server


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = job_settings(tmp_path_factory.mktemp("strict"), allow_private_callbacks=False, workers=0)
    with Runtime.start(settings) as runtime, start_live_server(settings, runtime) as server:
        yield server


@pytest.fixture
def http(jobs_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=jobs_server.url, timeout=60) as client:
        yield client


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with webhook_receiver(SECRET) as record:
        yield record


def wait_finished(http: httpx.Client, job_id: str, timeout: float = 120.0) -> dict[str, object]:
    """Follow the job's server-sent events until the `done` event; the job as it finished."""
    import json

    with http.stream("GET", f"/v1/mynah/jobs/{job_id}/events", timeout=timeout) as events:
        kind = None
        for line in events.iter_lines():
            if line.startswith("event: "):
                kind = line.removeprefix("event: ")
            elif line.startswith("data: ") and kind == "done":
                job: dict[str, object] = json.loads(line.removeprefix("data: "))
                return job
    raise AssertionError(f"the events of {job_id} ended without a done event")


@pytest.fixture
def long_recording(speech_dir: Path, tmp_path: Path) -> bytes:
    """Five LJSpeech clips with a second of silence after each (about 36 s): long enough to be
    killed in the middle of. The clips are trimmed tight, so without the pauses pocketsphinx gets
    30 s windows, reports progress twice, and holds the GIL for each whole window: a test thread
    that saw the job midway could not act on it before it finished."""
    pause = np.zeros(16000, dtype=np.float32)
    parts = []
    for i in range(1, 6):
        clip = decode_audio((speech_dir / "ljspeech" / f"LJ001-000{i}.flac").read_bytes(), 16000)
        parts += [clip.samples if hasattr(clip, "samples") else clip, pause]
    samples = np.concatenate(parts).astype(np.float32)
    return encode_audio(samples, 16000, AudioFormat.wav)
