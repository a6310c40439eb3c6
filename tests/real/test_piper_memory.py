"""Real Piper (en_US-joe-medium) in a server process of its own: ONNX Runtime's memory arena, which
keeps the buffers of the longest sentence so far (about 220 MB after a 41-word one), is emptied once
the voice has been idle `release_memory_seconds`, so resident memory comes back to where it was
before the long sentences."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile.server import Server, start_server

VOICE = "piper:en_US-joe-medium"
LONG = (
    "When the committee finally met in the old library on the hill, after three weeks of letters "
    "and telephone calls between the members who lived abroad and those who had stayed at home, "
    "nobody could remember who had first suggested that the annual meeting should be held in "
    "winter rather than in the long light evenings of the summer."
)
MB = 1024 * 1024


@pytest.fixture(scope="module")
def piper_server(real_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with start_server(
        tmp_path_factory.mktemp("piper-memory"),
        MYNAH_MODELS__CACHE_DIR=str(real_cache),
        MYNAH_ENGINES='["piper", "espeak"]',
        MYNAH_PLATFORM__SPEECH_CACHE__ENABLED="false",
        MYNAH_MODELS__RELEASE_MEMORY_SECONDS="2",
    ) as started:
        yield started


def _speak(server: Server, text: str) -> None:
    with server.client() as http:
        spoken = http.post(
            "/v1/audio/speech",
            json={"model": "tts-1", "input": text, "voice": VOICE, "response_format": "pcm"},
        )
        assert spoken.status_code == 200, spoken.text
        assert len(spoken.content) > 22050  # more than half a second of 22.05 kHz s16le


def _settled_rss(server: Server, *, below: int | None = None, timeout: float = 20.0) -> int:
    """The server's resident memory once it stops falling (or, with `below`, once it is below that);
    the model manager's reaper releases a voice idle 2 s here, looking every second."""
    end = time.monotonic() + timeout
    last = server.rss()
    while time.monotonic() < end:
        time.sleep(1.0)
        now = server.rss()
        if (below is not None and now < below) or (below is None and abs(now - last) < 2 * MB):
            return now
        last = now
    return server.rss()


def test_memory_comes_back_after_long_sentences_once_idle(piper_server: Server) -> None:
    _speak(piper_server, "The voice is loaded.")
    before = _settled_rss(piper_server)
    piper_server.reset_peak()
    for _ in range(3):
        _speak(piper_server, LONG)
    grown = piper_server.peak_rss() - before
    assert grown > 100 * MB, f"a 60-word sentence took only {grown / MB:.0f} MB: the check below says nothing"
    after = _settled_rss(piper_server, below=before + 40 * MB)
    assert after - before < 40 * MB, (
        f"{(after - before) / MB:.0f} MB still held once idle, of {grown / MB:.0f} MB at the peak"
    )
    _speak(piper_server, LONG)  # and the voice speaks on after its arena was emptied
