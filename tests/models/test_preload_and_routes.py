"""The preload list, and pulling through the HTTP routes (NDJSON progress) from a fake hub."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mynah.config import ModelSettings, Settings
from mynah.engines.base import EngineConfig
from mynah.engines.piper import PiperEngine
from mynah.engines.registry import EngineRegistry
from mynah.engines.whisper import WhisperEngine
from mynah.models import ModelManager
from tests.fixtures.fake_hub import FakeHub
from tests.fixtures.neural import PIPER, WHISPER, install_tiny

pytest.importorskip("piper")
pytest.importorskip("faster_whisper")

VOICE = "en_US-lessac-medium"
FOLDER = "en/en_US/lessac/medium"
ONNX = os.urandom(1024 * 1024)


def test_preload_loads_and_pins_what_it_can(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    manager = ModelManager(ModelSettings(offline=True, idle_unload_seconds=1), cache_dir=tmp_path / "models")
    install_tiny(manager, PIPER, WHISPER)
    config = EngineConfig(cache_dir=tmp_path, models=manager)
    registry = EngineRegistry(tts={"piper": PiperEngine(config)}, stt={"whisper": WhisperEngine(config)})
    loaded = registry.preload([PIPER, WHISPER, "piper:en_US-lessac-medium", "kokoro:v1.0"])
    assert loaded == [PIPER, WHISPER]
    assert [(m.id, m.pinned, m.refs) for m in manager.loaded()] == [(PIPER, True, 0), (WHISPER, True, 0)]
    assert "cannot preload piper:en_US-lessac-medium: not downloaded" in caplog.text
    assert "cannot preload kokoro:v1.0: no loaded engine 'kokoro'" in caplog.text
    manager.close()


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    files = {f"{FOLDER}/{VOICE}.onnx": ONNX, f"{FOLDER}/{VOICE}.onnx.json": b'{"num_speakers": 1}'}
    with FakeHub({"rhasspy/piper-voices": files}).running() as running:
        yield running


@pytest.fixture
def client(tmp_path: Path, hub: FakeHub) -> Iterator[TestClient]:
    from mynah.runtime import Runtime
    from mynah.server.app import create_app

    settings = Settings(
        data_dir=tmp_path,
        engines=["piper"],
        models=ModelSettings(hub_endpoint=hub.url, download_retries=0),
    )
    with TestClient(create_app(runtime=Runtime.start(settings))) as test_client:
        yield test_client


def _events(response_text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in response_text.splitlines() if line.strip()]


def test_pull_streams_progress_then_the_model(client: TestClient, hub: FakeHub) -> None:
    response = client.post(f"/v1/mynah/models/piper:{VOICE}/pull", json={"stream": True})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    events = _events(response.text)
    progress = [e for e in events if e["status"] == "downloading"]
    assert progress and progress[-1]["done"] == progress[-1]["total"] == len(ONNX) + 19
    done = events[-1]
    assert done["status"] == "done"
    assert done["model"]["installed"] and done["model"]["id"] == f"piper:{VOICE}"  # type: ignore[index]
    voices = client.get("/v1/audio/voices").json()["voices"]
    assert any(v["id"] == f"piper:{VOICE}" for v in voices)


def test_a_streamed_pull_that_breaks_says_so_and_installs_nothing(client: TestClient, hub: FakeHub) -> None:
    hub.cut[f"{FOLDER}/{VOICE}.onnx"] = 1000
    events = _events(client.post(f"/v1/mynah/models/piper:{VOICE}/pull", json={"stream": True}).text)
    assert events[-1]["status"] == "error"
    assert "pull again to resume" in events[-1]["error"]["message"]  # type: ignore[index]
    assert client.get(f"/v1/mynah/models/piper:{VOICE}").json()["installed"] is False
    listed = client.get("/v1/mynah/models").json()
    assert listed["data"] == [] and listed["partial"] == [{"id": f"piper:{VOICE}", "bytes": 1000}]
    pulled = client.post(f"/v1/mynah/models/piper:{VOICE}/pull")
    assert pulled.status_code == 200 and pulled.json()["installed"]
    assert hub.downloads(f"{VOICE}.onnx")[-1] == "bytes=1000-"


def test_pull_errors_before_streaming(client: TestClient) -> None:
    unknown = client.post("/v1/mynah/models/whisper:huge/pull", json={"stream": True})
    assert unknown.status_code == 404 and "does not know where to fetch" in unknown.json()["error"]["message"]
    bad = client.post("/v1/mynah/models/nonsense/pull")
    assert bad.status_code == 404 and "engine:name" in bad.json()["error"]["message"]
    extra = client.post(f"/v1/mynah/models/piper:{VOICE}/pull", json={"stream": True, "colour": "red"})
    assert extra.status_code == 400
