"""A known model that is not downloaded reads as such, not as a typo (issue 19, item 2): 409
`model_not_downloaded` with its size and the pull command; a typo is unknown, with the closest ids."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.support import LiveServer, run_mynah


@pytest.fixture
def neural(live_server: LiveServer) -> LiveServer:
    loaded = live_server.runtime.registry
    if not {"piper", "whisper"} <= {*loaded.tts_engines, *loaded.stt_engines}:
        pytest.skip("the neural extra is not installed (pip install 'mynah[neural]')")
    return live_server


def test_a_voice_not_downloaded_names_its_size_and_the_pull(neural: LiveServer, tmp_path: Path) -> None:
    refused = httpx.post(
        neural.v1 + "/audio/speech",
        json={"model": "tts-1", "voice": "piper:en_US-lessac-medium", "input": "Hello."},
        timeout=30,
    )
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert (error["code"], error["param"]) == ("model_not_downloaded", "voice")
    assert error["message"].startswith("piper:en_US-lessac-medium is not downloaded (63 MB)")
    assert "mynah models pull piper:en_US-lessac-medium" in error["message"]
    said = run_mynah("say", "Hello.", "--voice", "piper:en_US-lessac-medium", "-o", "x.wav", cwd=tmp_path)
    assert said.returncode == 2
    assert "is not downloaded (63 MB)" in said.stderr and "mynah models pull" in said.stderr


def test_a_model_not_downloaded_and_a_typo_differ(neural: LiveServer, speech_dir: Path) -> None:
    audio = (speech_dir / "forever.wav").read_bytes()

    def transcribe(model: str) -> httpx.Response:
        return httpx.post(
            neural.v1 + "/audio/transcriptions",
            data={"model": model},
            files={"file": ("forever.wav", audio, "audio/wav")},
            timeout=60,
        )

    missing = transcribe("whisper:small")
    assert missing.status_code == 409 and missing.json()["error"]["code"] == "model_not_downloaded"
    assert "whisper:small is not downloaded (484 MB)" in missing.json()["error"]["message"]
    typo = transcribe("whisper:smal")
    assert typo.status_code == 404 and typo.json()["error"]["code"] == "model_not_found"
    assert "did you mean whisper:small" in typo.json()["error"]["message"]
    voice = httpx.post(
        neural.v1 + "/audio/speech",
        json={"model": "tts-1", "voice": "espeak:en-uss", "input": "Hi"},
        timeout=30,
    )
    assert voice.status_code == 400 and "did you mean espeak:en-us" in voice.json()["error"]["message"]
