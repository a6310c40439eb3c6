"""Stores for the cloning tests (the store tests' SQLite file and throwaway PostgreSQL database), and
a server with the tiny Pocket TTS model (the real pocket-tts loader and streaming on a model of the
real architecture, built by tests/fixtures/tiny_pocket.py) beside Piper and whisper:base."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from mynah.config import ModelSettings
from mynah.models import ModelManager
from tests.platform.conftest import PlatformServer, ServerFactory, make_server
from tests.real.conftest import copy_cache, real_cache
from tests.store.conftest import database_url, postgres_url, store

__all__ = ["database_url", "make_server", "pocket_server", "postgres_url", "real_cache", "store"]


@pytest.fixture
def pocket_cache(real_cache: Path, tmp_path: Path) -> Path:
    """The real weights' cache plus `pocket:tiny`."""
    pytest.importorskip("torch", reason="Pocket TTS needs torch: pip install torch==2.13.0")
    pytest.importorskip("pocket_tts", reason="Pocket TTS is not installed: pip install 'mynah[cloning]'")
    from tests.fixtures.tiny_pocket import build_tiny_pocket

    cache = copy_cache(real_cache, tmp_path / "models")
    ModelManager(cache_dir=cache).pull("pocket:tiny", source_dir=build_tiny_pocket(tmp_path / "tiny-pocket"))
    return cache


@pytest.fixture
def pocket_server(make_server: ServerFactory, pocket_cache: Path) -> Iterator[PlatformServer]:
    with make_server(
        engines=["espeak", "piper", "whisper", "pocket"],
        models=ModelSettings(cache_dir=pocket_cache, offline=True),
        cloning={"recogniser": "whisper:base"},
        engine_options={"pocket": {"model": "pocket:tiny"}},
    ) as running:
        yield running
