"""The Python client's jobs API (sync and async) and `mynah jobs` / `mynah worker` against a real server."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path

import pytest

from mynah.client import AsyncClient, Client, MynahClientError
from tests.jobs.conftest import MODEL
from tests.support import LiveServer, run_mynah


def test_client_jobs_submit_wait_result(jobs_server: LiveServer, speech_dir: Path) -> None:
    with Client(jobs_server.url) as mynah:
        job = mynah.jobs.submit(speech_dir / "goforward.wav", model=MODEL)
        assert job["status"] == "queued"
        seen: list[str] = []
        done = mynah.jobs.wait(job["id"], timeout=300, poll=0.1, progress=lambda j: seen.append(j["status"]))
        assert done["status"] == "succeeded" and seen[-1] == "succeeded"
        direct = mynah.transcribe(speech_dir / "goforward.wav", model=MODEL)
        assert mynah.jobs.result(job["id"]) == {"text": direct["text"], "model": MODEL}
        assert "-->" in mynah.jobs.result(job["id"], format="vtt")
        assert job["id"] in [j["id"] for j in mynah.jobs.list(state="succeeded", limit=100)["data"]]
        speech = mynah.jobs.submit(
            text="Hello from a job.", voice="espeak:en-us", model="espeak", response_format="wav"
        )
        assert mynah.jobs.wait(speech["id"], timeout=300, poll=0.1)["status"] == "succeeded"
        audio = mynah.jobs.result(speech["id"])
        assert isinstance(audio, bytes) and audio[:4] == b"RIFF"
        assert mynah.jobs.cancel(speech["id"])["deleted"] is True
        with pytest.raises(MynahClientError) as missing:
            mynah.jobs.get(speech["id"])
        assert missing.value.status == 404


def test_async_client_jobs(jobs_server: LiveServer, speech_dir: Path) -> None:
    async def run() -> tuple[dict[str, object], object]:
        async with AsyncClient(jobs_server.url) as mynah:
            job = await mynah.jobs.submit((speech_dir / "forever.wav").read_bytes(), model=MODEL)
            done = await mynah.jobs.wait(job["id"], timeout=300, poll=0.1)
            return done, await mynah.jobs.result(job["id"], format="text")

    done, text = asyncio.run(run())
    assert done["status"] == "succeeded"
    assert isinstance(text, str) and text.strip()


def test_cli_jobs_submit_wait_list_show(jobs_server: LiveServer, speech_dir: Path, tmp_path: Path) -> None:
    env = {"MYNAH_SERVER_URL": jobs_server.url}
    out = tmp_path / "out.json"
    waited = run_mynah(
        "jobs",
        "submit",
        str(speech_dir / "jfk.flac"),
        "--model",
        MODEL,
        "--format",
        "verbose_json",
        "--wait",
        "-o",
        str(out),
        cwd=tmp_path,
        **env,
    )
    assert waited.returncode == 0, waited.stderr
    transcript = json.loads(out.read_text())
    assert transcript["text"] and transcript["segments"]
    queued = run_mynah(
        "jobs", "submit", str(speech_dir / "goforward.wav"), "--model", MODEL, cwd=tmp_path, **env
    )
    job = json.loads(queued.stdout)
    shown = run_mynah("jobs", "show", job["id"], cwd=tmp_path, **env)
    assert json.loads(shown.stdout)["id"] == job["id"]
    listed = run_mynah("jobs", "list", "--json", "--limit", "100", cwd=tmp_path, **env)
    assert job["id"] in [j["id"] for j in json.loads(listed.stdout)["data"]]
    missing = run_mynah("jobs", "result", "job_nope", cwd=tmp_path, **env)
    assert missing.returncode != 0 and "job_nope" in missing.stderr and "Traceback" not in missing.stderr
    refused = run_mynah(
        "jobs", "submit", str(speech_dir / "jfk.flac"), "--callback", "ftp://x/y", cwd=tmp_path, **env
    )
    assert refused.returncode != 0 and "http" in refused.stderr and "Traceback" not in refused.stderr


def test_cli_worker_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    import os
    import signal
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("MYNAH_")}
    env |= {
        "MYNAH_DATA_DIR": str(tmp_path / "data"),
        "MYNAH_ENGINES": '["pocketsphinx"]',
        "MYNAH_MODELS__OFFLINE": "true",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "mynah", "worker", "--threads", "1"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stderr is not None
    first = worker.stderr.readline()  # it says it runs once the pool is up
    assert "mynah worker" in first and "sqlite" in first
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=60) == 0
    worker.stderr.close()
