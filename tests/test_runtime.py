"""Runtime wiring that settings choose (the voice activity detector), and what `close()` releases."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import pytest

from mynah.config import ModelSettings, Settings
from mynah.runtime import Runtime
from mynah.stt.service import TranscribeOptions
from tests.fixtures.neural import PIPER, install_tiny


@pytest.mark.parametrize("vad", ["webrtc", "silero"])
def test_the_configured_vad_transcribes_real_speech(tmp_path: Path, speech_dir: Path, vad: str) -> None:
    if vad == "silero":
        pytest.importorskip("faster_whisper")
    settings = Settings(data_dir=tmp_path, models=ModelSettings(offline=True), engines=["pocketsphinx"])
    settings.stt.vad = vad  # type: ignore[assignment]
    runtime = Runtime.start(settings)
    assert type(runtime.transcription._vad).__name__ == {"webrtc": "WebRtcVad", "silero": "SileroVad"}[vad]
    prepared = runtime.transcription.prepare("pocketsphinx:en-us", TranscribeOptions())
    result = runtime.transcription.transcribe(speech_dir / "goforward.wav", prepared)
    assert "forward" in result.transcription.text


def _reapers() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name == "mynah-model-reaper"}


def _open_files(prefix: Path) -> list[str]:
    """Files this process holds open whose path starts with `prefix` (Linux: /proc/self/fd)."""
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):  # the fd that listed the directory is gone by now
            target = os.readlink(fd)
            if target.startswith(str(prefix)):
                found.append(target)
    return found


def test_close_stops_the_reaper_unloads_models_and_disposes_the_database(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        models=ModelSettings(offline=True, idle_unload_seconds=600),
        engines=["espeak", "piper"],
    )
    runtime = Runtime.start(settings)
    assert runtime.models is not None
    install_tiny(runtime.models, PIPER)
    before = _reapers()
    assert runtime.registry.preload([PIPER]) == [PIPER]  # loaded through Piper's own loader
    started = _reapers() - before
    assert len(started) == 1 and [m.id for m in runtime.models.loaded()] == [PIPER]
    runtime.lexicons.put("names", b'{"Siobhan": "shiv-awn"}', "application/json")
    assert runtime.store.engine.pool.checkedin() == 1  # a pooled connection to mynah.db
    database = tmp_path / "mynah.db"
    linux = Path("/proc/self/fd").is_dir()
    if linux:
        assert _open_files(database)

    runtime.close()
    assert runtime.closed
    assert not any(thread.is_alive() for thread in started)
    assert runtime.models.loaded() == []
    assert runtime.store.engine.pool.checkedin() == 0
    if linux:
        assert _open_files(database) == []
    runtime.close()  # idempotent
    assert runtime.closed


def test_a_runtime_is_a_context_manager(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, models=ModelSettings(offline=True), engines=["espeak"])
    with Runtime.start(settings) as runtime:
        assert not runtime.closed
        assert runtime.lexicons.list() == []
    assert runtime.closed and runtime.store.engine.pool.checkedin() == 0


def test_the_server_closes_the_runtime_it_started_and_only_that(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from mynah.server.app import create_app

    settings = Settings(data_dir=tmp_path, models=ModelSettings(offline=True), engines=["espeak"])
    app = create_app(settings)
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200
        started = app.state.runtime
        assert not started.closed
    assert started.closed and app.state.runtime is None
    with TestClient(app) as client:  # started again: a fresh runtime
        assert client.get("/health").status_code == 200
        assert app.state.runtime is not started and not app.state.runtime.closed

    mine = Runtime.start(settings)
    with TestClient(create_app(runtime=mine)) as client:
        assert client.get("/health").status_code == 200
    assert not mine.closed  # the caller's, to close
    mine.close()


def test_a_start_that_fails_releases_what_it_had_started(tmp_path: Path) -> None:
    from mynah.errors import EngineUnavailable
    from mynah.runtime import open_models

    settings = Settings(
        data_dir=tmp_path,
        models=ModelSettings(offline=True, idle_unload_seconds=600, preload=[PIPER]),
        engines=["espeak", "piper"],
        database_url="postgresql://mynah@127.0.0.1:9/mynah",  # nothing listens on the discard port
    )
    install_tiny(open_models(settings), PIPER)
    before = _reapers()
    with pytest.raises(EngineUnavailable, match="cannot open the database"):
        Runtime.start(settings)  # the preload loaded Piper (and started a reaper) before the store failed
    assert not any(thread.is_alive() for thread in _reapers() - before)
