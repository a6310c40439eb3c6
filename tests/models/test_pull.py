"""Pulling models from a Hugging Face Hub (a local fake one speaking the same protocol): progress,
integrity, resume after a broken download, a clean cache after any failure, offline refusal."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from mynah.config import ModelSettings
from mynah.models import DownloadFailed, ModelManager, Offline, PullProgress
from mynah.models.catalog import MODEL_FILE
from tests.fixtures.fake_hub import FakeHub

VOICE = "en_US-lessac-medium"
FOLDER = "en/en_US/lessac/medium"
ONNX = os.urandom(3 * 1024 * 1024 + 17)  # 3 MB: several blocks, so a cut lands mid-file
CONFIG = json.dumps({"audio": {"sample_rate": 22050}, "num_speakers": 1}).encode()


def _kokoro_repo() -> dict[str, bytes]:
    style = np.arange(510 * 256, dtype="<f4").reshape(510, 1, 256) / 1e5
    return {
        "onnx/model.onnx": b"onnx" * 1000,
        "onnx/model_quantized.onnx": b"int8" * 10,
        "voices/af_bella.bin": style.tobytes(),
        "voices/am_adam.bin": (style * 2).tobytes(),
        "README.md": b"kokoro",
    }


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    repos = {
        "rhasspy/piper-voices": {
            f"{FOLDER}/{VOICE}.onnx": ONNX,
            f"{FOLDER}/{VOICE}.onnx.json": CONFIG,
            f"{FOLDER}/MODEL_CARD": b"card",
            "en/en_US/amy/medium/en_US-amy-medium.onnx": b"other voice",
        },
        "onnx-community/Kokoro-82M-v1.0-ONNX": _kokoro_repo(),
    }
    with FakeHub(repos).running() as running:
        yield running


def _manager(tmp_path: Path, hub: FakeHub, **settings: object) -> ModelManager:
    options: dict[str, object] = {"hub_endpoint": hub.url, "download_retries": 0, **settings}
    return ModelManager(ModelSettings(**options), cache_dir=tmp_path / "models", sleep=lambda _: None)  # type: ignore[arg-type]


def _model_dirs(root: Path) -> list[str]:
    """Model directories (engine/name) in the cache, leaving out .partial and .locks."""
    found = (p.relative_to(root) for p in root.glob("*/*"))
    return sorted(p.as_posix() for p in found if not any(part.startswith(".") for part in p.parts))


def test_pull_fetches_verifies_and_reports_progress(tmp_path: Path, hub: FakeHub) -> None:
    manager = _manager(tmp_path, hub)
    seen: list[PullProgress] = []
    model = manager.pull(f"piper:{VOICE}", seen.append)

    assert model.path == tmp_path / "models" / "piper" / VOICE
    assert sorted(f.name for f in model.files) == [f"{VOICE}.onnx", f"{VOICE}.onnx.json"]  # not the card
    assert (model.path / f"{VOICE}.onnx").read_bytes() == ONNX
    manifest = json.loads((model.path / MODEL_FILE).read_text())
    assert manifest["source"]["repo"] == "rhasspy/piper-voices"
    assert {f["name"]: f["sha256"] for f in manifest["files"]}[f"{VOICE}.onnx"] == hashlib.sha256(
        ONNX
    ).hexdigest()
    total = len(ONNX) + len(CONFIG)
    assert seen and all(p.total == total for p in seen)
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert seen[-1].done == total
    assert manager.verify(f"piper:{VOICE}") == []
    assert [m.id for m in manager.installed()] == [f"piper:{VOICE}"]
    assert manager.partial_downloads() == []
    assert not (tmp_path / "models" / ".partial").exists() or not any(
        (tmp_path / "models" / ".partial").iterdir()
    )


def test_a_download_cut_halfway_leaves_no_model_and_the_next_pull_resumes(
    tmp_path: Path, hub: FakeHub
) -> None:
    manager = _manager(tmp_path, hub)
    cut_at = len(ONNX) // 2
    hub.cut[f"{FOLDER}/{VOICE}.onnx"] = cut_at

    with pytest.raises(DownloadFailed, match="pull again to resume"):
        manager.pull(f"piper:{VOICE}")

    root = tmp_path / "models"
    assert _model_dirs(root) == []  # nothing that looks installed, nothing half-written in place
    assert manager.installed() == [] and manager.get(f"piper:{VOICE}") is None
    [(partial_id, partial_bytes)] = manager.partial_downloads()
    assert partial_id == f"piper:{VOICE}"
    assert partial_bytes == cut_at  # every byte received is kept for the next pull

    seen: list[PullProgress] = []
    model = manager.pull(f"piper:{VOICE}", seen.append)

    ranges = hub.downloads(f"{VOICE}.onnx")
    assert (
        ranges[-1] is not None and ranges[-1] == f"bytes={ranges[-1].removeprefix('bytes=').split('-')[0]}-"
    )
    assert int(ranges[-1].removeprefix("bytes=").rstrip("-")) >= cut_at  # resumed, not started over
    assert (model.path / f"{VOICE}.onnx").read_bytes() == ONNX
    assert seen[-1].done == seen[-1].total
    assert manager.partial_downloads() == []


def test_a_pull_resumes_by_itself_within_its_retries(tmp_path: Path, hub: FakeHub) -> None:
    manager = _manager(tmp_path, hub, download_retries=2)
    hub.cut[f"{FOLDER}/{VOICE}.onnx"] = 1000
    model = manager.pull(f"piper:{VOICE}")
    assert (model.path / f"{VOICE}.onnx").read_bytes() == ONNX
    assert hub.downloads(f"{VOICE}.onnx") == [None, "bytes=1000-"]


def test_corrupt_bytes_are_refused_and_not_kept(tmp_path: Path, hub: FakeHub) -> None:
    manager = _manager(tmp_path, hub)
    hub.corrupt.add(f"{FOLDER}/{VOICE}.onnx")
    with pytest.raises(DownloadFailed, match="corrupt"):
        manager.pull(f"piper:{VOICE}")
    assert _model_dirs(tmp_path / "models") == []
    partial = [(i, size) for i, size in manager.partial_downloads()]
    assert all(size < len(ONNX) for _, size in partial)  # the bad file itself is gone
    hub.corrupt.clear()
    assert manager.pull(f"piper:{VOICE}").files


def test_offline_pull_says_why_and_writes_nothing(
    tmp_path: Path, hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(Offline, match=f"cannot pull piper:{VOICE}: offline mode is on"):
        _manager(tmp_path, hub, offline=True).pull(f"piper:{VOICE}")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(Offline, match="HF_HUB_OFFLINE"):
        _manager(tmp_path, hub).pull(f"piper:{VOICE}")
    assert not (tmp_path / "models").exists()
    assert hub.requests == []


def test_an_unreachable_hub_is_offline(tmp_path: Path) -> None:
    dead = FakeHub({})
    with dead.running():
        url = dead.url
    manager = ModelManager(ModelSettings(hub_endpoint=url), cache_dir=tmp_path / "models")
    with pytest.raises(Offline, match="no network: cannot reach"):
        manager.pull(f"piper:{VOICE}")
    reason = manager.availability(f"piper:{VOICE}")
    assert reason is not None and "not downloaded and no network" in reason
    assert f"mynah models pull piper:{VOICE}" in reason
    assert not (tmp_path / "models").exists()


def test_unknown_models_and_missing_files(tmp_path: Path, hub: FakeHub) -> None:
    from mynah.errors import UnknownModel

    manager = _manager(tmp_path, hub)
    with pytest.raises(UnknownModel, match="does not know where to fetch"):
        manager.pull("whisper:no-such-size")
    with pytest.raises(UnknownModel, match="engine:name"):
        manager.pull("nonsense")
    with pytest.raises(DownloadFailed, match="cannot list"):
        manager.pull("whisper:tiny")  # the fake hub has no such repository
    with pytest.raises(DownloadFailed, match=r"\.onnx\.json"):
        manager.pull("piper:en_US-amy-medium")  # the voice's config is missing
    assert _model_dirs(tmp_path / "models") == []


def test_kokoro_pull_packs_the_voice_tables(tmp_path: Path, hub: FakeHub) -> None:
    model = _manager(tmp_path, hub).pull("kokoro:v1.0")
    names = sorted(f.name for f in model.files)
    assert names == ["onnx/model.onnx", "voices.npz"]
    with np.load(model.path / "voices.npz") as voices:
        assert sorted(voices.files) == ["af_bella", "am_adam"]
        assert voices["am_adam"].shape == (510, 1, 256)
        assert voices["am_adam"][3, 0, 7] == pytest.approx(2 * (3 * 256 + 7) / 1e5)


def test_remove_deletes_the_model_and_its_partial_download(tmp_path: Path, hub: FakeHub) -> None:
    manager = _manager(tmp_path, hub)
    manager.pull(f"piper:{VOICE}")
    assert manager.remove(f"piper:{VOICE}")
    assert manager.installed() == []
    hub.cut[f"{FOLDER}/{VOICE}.onnx"] = 10
    with pytest.raises(DownloadFailed):
        manager.pull(f"piper:{VOICE}")
    assert manager.partial_downloads()
    assert manager.remove(f"piper:{VOICE}")
    assert manager.partial_downloads() == []
    assert not manager.remove(f"piper:{VOICE}")
