"""OpenAI's names with the real weights installed and nothing configured: `alloy` is Piper,
`whisper-1` is Whisper (base before tiny.en) and translates; after `mynah models rm` of them the same
running server falls back to espeak-ng and pocketsphinx, and says so (issue 19, item 1)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openai import BadRequestError, OpenAI

from mynah.config import ModelSettings, Settings
from tests.fixtures.real_weights import BASE, JOE, TINY_EN
from tests.real.conftest import copy_cache
from tests.support import LiveServer, run_mynah, start_live_server


@pytest.fixture
def cache(real_cache: Path, tmp_path: Path) -> Path:
    return copy_cache(real_cache, tmp_path / "models")


@pytest.fixture
def server(cache: Path, tmp_path: Path) -> Iterator[LiveServer]:
    settings = Settings(data_dir=tmp_path / "data", models=ModelSettings(cache_dir=cache, offline=True))
    with start_live_server(settings) as live:
        yield live


def _aliases(server: LiveServer) -> tuple[dict[str, str | None], dict[str, str | None]]:
    body = httpx.get(server.v1 + "/audio/voices", timeout=60).json()
    return (
        {a["alias"]: a["voice"] for a in body["aliases"]},
        {a["alias"]: a["model"] for a in body["models"]},
    )


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the SDK marks translations deprecated
def test_openai_names_follow_what_is_installed(
    server: LiveServer, cache: Path, tmp_path: Path, speech_dir: Path, request: pytest.FixtureRequest
) -> None:
    client = OpenAI(base_url=server.v1, api_key="unused", max_retries=0)
    request.addfinalizer(client.close)
    voices, models = _aliases(server)
    assert set(voices.values()) == {JOE}  # the one neural voice serves every OpenAI voice name
    assert set(models.values()) == {BASE}  # base (145 MB) before tiny.en (75 MB)

    speech = client.audio.speech.with_raw_response.create(
        model="tts-1", voice="alloy", input="Hello there.", response_format="wav"
    )
    assert (speech.headers["x-mynah-voice"], speech.headers.get("x-mynah-fallback")) == (JOE, None)
    recording = speech_dir / "jfk.flac"
    with recording.open("rb") as audio:
        heard = client.audio.transcriptions.with_raw_response.create(model="whisper-1", file=audio)
    assert heard.headers["x-mynah-model"] == BASE and "fellow americans" in heard.parse().text.lower()
    with recording.open("rb") as audio:
        translated = client.audio.translations.create(model="whisper-1", file=audio)
    assert "country" in translated.text.lower()
    with recording.open("rb") as audio:
        translated_here = httpx.post(
            server.v1 + "/audio/translations", data={"model": "whisper-1"}, files={"file": audio}, timeout=120
        )
    assert translated_here.status_code == 200 and translated_here.headers["x-mynah-model"] == BASE
    with recording.open("rb") as audio:  # an English-only model cannot: whisper-1 never picks it for this
        english = client.audio.transcriptions.with_raw_response.create(
            model="whisper-1", file=audio, language="en"
        )
    assert english.headers["x-mynah-model"] == BASE

    removed = run_mynah("models", "rm", BASE, cwd=tmp_path, MYNAH_MODELS__CACHE_DIR=str(cache))
    assert removed.returncode == 0, removed.stderr
    assert _aliases(server)[1]["whisper-1"] == TINY_EN  # the running server sees the change

    removed = run_mynah("models", "rm", JOE, TINY_EN, cwd=tmp_path, MYNAH_MODELS__CACHE_DIR=str(cache))
    assert removed.returncode == 0, removed.stderr
    voices, models = _aliases(server)
    embedded = ("flite:slt", "flite:rms") if shutil.which("flite") else ("espeak:en-us+f3", "espeak:en-us+m7")
    assert (voices["alloy"], voices["onyx"]) == embedded  # flite ranks before espeak-ng where it is installed
    assert set(models.values()) == {"pocketsphinx:en-us"}

    speech = client.audio.speech.with_raw_response.create(
        model="tts-1", voice="alloy", input="Hello there.", response_format="wav"
    )
    assert speech.headers["x-mynah-voice"] == embedded[0]
    assert speech.headers["x-mynah-fallback"] == (
        "kokoro: no voice installed (`mynah models pull kokoro:v1.0` adds one) (+1 more; GET /health)"
    )
    with recording.open("rb") as audio:
        heard = client.audio.transcriptions.with_raw_response.create(model="whisper-1", file=audio)
    assert heard.headers["x-mynah-model"] == "pocketsphinx:en-us"
    assert heard.headers["x-mynah-fallback"] == (
        "whisper: no model installed (`mynah models pull whisper:base` adds one)"
    )
    with recording.open("rb") as audio, pytest.raises(BadRequestError) as refused:
        client.audio.translations.create(model="whisper-1", file=audio)
    assert "no model installed here can translate" in refused.value.message
    assert "mynah models pull whisper:base" in refused.value.message

    health = httpx.get(server.url + "/health", timeout=60).json()
    alloy = next(a for a in health["aliases"]["voices"] if a["alias"] == "alloy")
    assert alloy["fallback"] == [
        "kokoro: no voice installed (`mynah models pull kokoro:v1.0` adds one)",
        "piper: no voice installed (`mynah models pull piper:en_US-lessac-medium` adds one)",
    ]


def test_doctor_and_voices_say_what_the_names_mean(cache: Path, tmp_path: Path) -> None:
    env = {"MYNAH_MODELS__CACHE_DIR": str(cache)}
    doctor = run_mynah("doctor", cwd=tmp_path, COLUMNS="80", **env)
    assert doctor.returncode == 0, doctor.stderr
    lines = [" ".join(line.split()) for line in doctor.stdout.splitlines()]
    assert f"alloy {JOE}" in lines and f"whisper-1 {BASE}" in lines
    voices = run_mynah("voices", "--language", "en", cwd=tmp_path, COLUMNS="80", **env)
    assert voices.returncode == 0, voices.stderr
    assert any(line.split()[:3] == ["│", "alloy", "│"] and JOE in line for line in voices.stdout.splitlines())
