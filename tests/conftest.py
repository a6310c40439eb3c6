"""Fixtures shared by every test: the real recordings, a live mynah server on a free port, and the
two machines the CLI tests run on (flite hidden from PATH, and flite visible)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from mynah.priority import single_threaded_blas

single_threaded_blas()  # a plain `pytest` run; dev.py sets it before xdist workers, which may load numpy first

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


@pytest.fixture(scope="session")
def path_without_flite(tmp_path_factory: pytest.TempPathFactory) -> str:
    """PATH as it is, except that each directory holding flite is replaced by a copy made of symlinks
    to everything else in it: a machine without flite, with every other program where it was."""
    root = tmp_path_factory.mktemp("path-without-flite")
    entries = []
    for index, entry in enumerate(os.environ.get("PATH", "").split(os.pathsep)):
        directory = Path(entry)
        if not entry or not os.path.lexists(directory / "flite"):
            entries.append(entry)
            continue
        shadow = root / str(index)
        shadow.mkdir()
        for item in directory.iterdir():
            if not item.name.startswith("flite"):
                (shadow / item.name).symlink_to(item)
        entries.append(str(shadow))
    return os.pathsep.join(entries)


FLITE_INSTALLED = shutil.which("flite") is not None


@pytest.fixture(params=["flite-hidden", "flite-visible"] if FLITE_INSTALLED else ["flite-hidden"])
def flite_on_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Run the test twice: once where PATH cannot see flite, once where it can (only where flite is
    installed; otherwise one line in the summary says so). Subprocesses inherit the PATH; True when
    flite is visible."""
    if request.param == "flite-visible":
        return True
    monkeypatch.setenv("PATH", request.getfixturevalue("path_without_flite"))
    assert shutil.which("flite") is None, "flite is still on the PATH built without it"
    return False


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FLITE_INSTALLED:
        terminalreporter.write_line(
            "SKIPPED the flite-visible variants of the CLI tests: flite is not installed"
        )
