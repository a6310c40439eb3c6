"""Fixtures shared by every test: the real recordings, and a live mynah server on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from mynah.config import Settings
    from mynah.runtime import Runtime
    from tests.support import LiveServer

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"real recordings not found at {DATA}")
    return DATA


@pytest.fixture(scope="session")
def speech_dir(data_dir: Path) -> Path:
    return data_dir / "speech"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Offline: the shared runtime must never download real models, even on a machine with a network."""
    from mynah.config import ModelSettings, Settings

    return Settings(data_dir=tmp_path_factory.mktemp("mynah-data"), models=ModelSettings(offline=True))


@pytest.fixture(scope="session")
def runtime(settings: Settings) -> Runtime:
    from mynah.runtime import Runtime

    return Runtime.start(settings)


@pytest.fixture(scope="session")
def live_server(settings: Settings, runtime: Runtime) -> Iterator[LiveServer]:
    """A real uvicorn server in a thread, serving the real app with the real engines."""
    from tests.support import start_live_server

    with start_live_server(settings, runtime) as server:
        yield server
