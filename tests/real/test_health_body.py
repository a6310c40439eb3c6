"""/health is built ahead and kept (mynah.server.health), yet it never says what is no longer true:
a model removed through the API, or installed by another process behind the server's back, shows on
the very next call."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from mynah.config import ModelSettings, Settings
from mynah.server.app import create_app
from tests.real.conftest import copy_cache

JOE = "piper:en_US-joe-medium"


def _voices(health: dict[str, Any]) -> set[str | None]:
    return {a["voice"] for a in health["aliases"]["voices"]}


def test_health_follows_models_removed_and_installed(real_cache: Path, tmp_path: Path) -> None:
    cache = copy_cache(real_cache, tmp_path / "models")
    settings = Settings(
        data_dir=tmp_path / "data",
        engines=["piper", "espeak"],
        models=ModelSettings(cache_dir=cache, offline=True, auto_download=False),
    )
    kept = tmp_path / "joe"
    shutil.copytree(cache / "piper" / "en_US-joe-medium", kept, copy_function=shutil.copy2)
    with TestClient(create_app(settings)) as client:
        first = client.get("/health").json()
        assert JOE in _voices(first)
        assert client.get("/health").json() == first  # kept: the same body

        assert client.delete(f"/v1/mynah/models/{JOE}").status_code == 200
        gone = client.get("/health").json()
        assert JOE not in _voices(gone)
        assert any(
            "piper: no voice installed" in note for a in gone["aliases"]["voices"] for note in a["fallback"]
        )

        shutil.copytree(kept, cache / "piper" / "en_US-joe-medium")  # as another process installs it
        assert JOE in _voices(client.get("/health").json())
