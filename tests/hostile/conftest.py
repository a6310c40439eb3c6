"""One real mynah server process for the hostile-input suite, checked healthy after every test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile.server import Server, start_server

MB = 1024 * 1024


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with start_server(
        tmp_path_factory.mktemp("hostile"),
        MYNAH_TTS__MAX_BUFFERED_BYTES=str(4 * MB),
        MYNAH_TTS__MAX_OUTPUT_SECONDS="200",
        MYNAH_NET__FETCH_TIMEOUT="5",
    ) as started:
        yield started


@pytest.fixture(autouse=True)
def healthy_afterwards(request: pytest.FixtureRequest) -> Iterator[None]:
    """Whatever a test threw at the server, it still answers health checks and real work after."""
    yield
    if "server" not in request.fixturenames:
        return
    server: Server = request.getfixturevalue("server")
    assert server.process.poll() is None, server.log()
    with server.client() as http:
        assert http.get("/health").status_code == 200
        spoken = http.post(
            "/v1/audio/speech",
            json={
                "model": "tts-1",
                "input": "Still here.",
                "voice": "espeak:en-us",
                "response_format": "wav",
            },
        )
        assert spoken.status_code == 200, spoken.text
        assert len(spoken.content) > 1000


@pytest.fixture
def bounded(server: Server) -> Iterator[Server]:
    """The server, with its peak memory and its writes measured across the test: at most 100 MB
    more resident memory than before at any moment, and at most 40 MB written (files and sockets)."""
    server.reset_peak()
    before_rss, before_written = server.rss(), server.written()
    yield server
    grown = server.peak_rss() - before_rss
    written = server.written() - before_written
    assert grown < 100 * MB, f"resident memory peaked {grown / MB:.0f} MB above where it started"
    assert written < 40 * MB, f"the server wrote {written / MB:.0f} MB"


def data_file(name: str) -> Path:
    """A real recording from the shared data set (beside the clone, or beside the worktrees)."""
    for parent in Path(__file__).resolve().parents:
        path = parent / "shared" / "data" / "speech" / name
        if path.is_file():
            return path
    pytest.skip(f"the real recording {name} is not in any shared/data/speech above this clone")
