"""Crash safety: a `mynah worker` process SIGKILLed in the middle of a transcription loses nothing.
Its lease runs out, another worker runs the job again, and the result is the one a synchronous
request gives; the killed attempt stored nothing. On SQLite and, when a server is there, PostgreSQL."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from mynah.runtime import Runtime
from tests.jobs.conftest import MODEL, job_settings
from tests.support import LiveServer, start_live_server


def _until(check: Callable[[], bool], what: str, timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def api(database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    """The API alone (no workers): jobs run only in the worker processes."""
    settings = job_settings(tmp_path / "data", workers=0, lease_seconds=6.0)
    settings.database_url = database_url
    with Runtime.start(settings) as runtime, start_live_server(settings, runtime) as server:
        yield server


def _worker(server: LiveServer, log: Path) -> subprocess.Popen[bytes]:
    settings = server.runtime.settings
    env = {k: v for k, v in os.environ.items() if not k.startswith("MYNAH_")}
    env |= {
        "MYNAH_DATA_DIR": str(settings.data_dir),
        "MYNAH_DATABASE_URL": settings.database_url or "",
        "MYNAH_ENGINES": '["pocketsphinx"]',
        "MYNAH_MODELS__OFFLINE": "true",
        "MYNAH_STT__CACHE": "false",
        "MYNAH_JOBS__LEASE_SECONDS": "6",
        "MYNAH_JOBS__POLL_SECONDS": "0.1",
        "MYNAH_JOBS__WEBHOOK_SECRET": settings.jobs.webhook_secret.get_secret_value(),  # type: ignore[union-attr]
    }
    with log.open("ab") as handle:  # the child has its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "mynah", "-v", "worker", "--threads", "1"],
            env=env,
            stdout=handle,
            stderr=handle,
        )


def test_a_sigkilled_worker_loses_nothing(
    api: LiveServer, long_recording: bytes, speech_dir: Path, tmp_path: Path
) -> None:
    with httpx.Client(base_url=api.url, timeout=900) as http:
        _crash_and_recover(api, http, long_recording, speech_dir, tmp_path)


def _crash_and_recover(
    api: LiveServer, http: httpx.Client, long_recording: bytes, speech_dir: Path, tmp_path: Path
) -> None:
    inputs = {"long.wav": long_recording, "jfk.flac": (speech_dir / "jfk.flac").read_bytes()}
    ids = {}
    for name, audio in inputs.items():
        response = http.post(
            "/v1/mynah/jobs/transcriptions", data={"model": MODEL}, files={"file": (name, audio)}
        )
        assert response.status_code == 202
        ids[name] = response.json()["id"]
    log = tmp_path / "workers.log"
    victim = _worker(api, log)
    try:

        def victim_is_midway() -> bool:
            job = http.get(f"/v1/mynah/jobs/{ids['long.wav']}").json()
            return (
                job["status"] == "running"
                and f":{victim.pid}:" in (job["worker"] or "")
                and 0 < job["progress"] < 1
            )

        _until(victim_is_midway, "the worker to be midway through the long job")
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        assert (
            http.get(f"/v1/mynah/jobs/{ids['long.wav']}").json()["status"] == "running"
        )  # until the lease ends
        survivor = _worker(api, log)
        try:
            _until(
                lambda: all(
                    http.get(f"/v1/mynah/jobs/{i}").json()["status"] == "succeeded" for i in ids.values()
                ),
                "every job to succeed",
            )
        finally:
            survivor.send_signal(signal.SIGTERM)
            assert survivor.wait(timeout=60) == 0  # a clean stop on SIGTERM
    finally:
        if victim.poll() is None:
            victim.kill()
    long_job = http.get(f"/v1/mynah/jobs/{ids['long.wav']}").json()
    assert long_job["attempts"] == 2 and f":{victim.pid}:" not in long_job["worker"]
    for name, job_id in ids.items():
        sync = http.post(
            "/v1/audio/transcriptions", data={"model": MODEL}, files={"file": (name, inputs[name])}
        )
        assert http.get(f"/v1/mynah/jobs/{job_id}/result").json()["text"] == sync.json()["text"]
    successes = re.findall(r"job (job_[0-9a-f]+) succeeded", log.read_text())
    assert sorted(successes) == sorted(ids.values())  # each result stored once
