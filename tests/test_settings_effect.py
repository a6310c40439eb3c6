"""Every setting the README's Configuration section lists changes behaviour, on every surface it
names, read from the environment as a user sets it (issue 19, items 4 and 5); and the limits quote
the real figures.

One server (a real uvicorn on a free port) is started from `Settings()` read from the environment;
the CLI runs as a subprocess with the same variables.
"""

from __future__ import annotations

import base64
import io
import json
import os
import signal
import subprocess
import sys
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

from mynah.config import Settings
from mynah.errors import PayloadTooLarge
from mynah.tts.service import ClipLoader, SpeechService
from tests.support import LiveServer, free_port, run_mynah, start_live_server

LIMITS = {
    "MYNAH_ENGINES": '["espeak","pocketsphinx"]',
    "MYNAH_TTS__DEFAULT_VOICE": "espeak:de",
    "MYNAH_TTS__MAX_INPUT_CHARS": "60",
    "MYNAH_STT__MAX_UPLOAD_BYTES": "1000000",
    "MYNAH_STT__MAX_AUDIO_SECONDS": "3",
    "MYNAH_MODELS__OFFLINE": "true",
}


def _wav(seconds: float, rate: int = 16000, tone: float = 220.0) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.3 * np.sin(2 * np.pi * tone * t) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


@pytest.fixture(scope="module")
def configured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data = tmp_path_factory.mktemp("configured")
    with pytest.MonkeyPatch.context() as env:
        for name, value in {**LIMITS, "MYNAH_DATA_DIR": str(data)}.items():
            env.setenv(name, value)
        settings = Settings()
    with start_live_server(settings) as server:
        yield server


def test_engines_limit_what_loads_on_every_surface(configured: LiveServer, tmp_path: Path) -> None:
    health = httpx.get(configured.url + "/health", timeout=30).json()
    assert health["engines"]["loaded"] == {"tts": ["espeak"], "stt": ["pocketsphinx"]}
    listed = run_mynah("voices", "--json", cwd=tmp_path, MYNAH_ENGINES='["espeak"]')
    assert listed.returncode == 0, listed.stderr
    engines = {v["engine"] for v in json.loads(listed.stdout)}
    assert engines == {"espeak"}  # the neural engines of this virtualenv are not loaded


def test_the_default_voice_serves_the_native_route_and_say(configured: LiveServer, tmp_path: Path) -> None:
    spoken = httpx.post(configured.v1 + "/mynah/speech", json={"input": "Hello."}, timeout=60)
    assert spoken.status_code == 200, spoken.text
    assert spoken.headers["x-mynah-voice"] == "espeak:de" and spoken.json()["voice"] == "espeak:de"
    said = run_mynah("say", "Hello.", "-o", "hello.wav", cwd=tmp_path, MYNAH_TTS__DEFAULT_VOICE="espeak:de")
    assert said.returncode == 0, said.stderr
    assert "voice espeak:de" in said.stderr


def test_the_default_voice_serves_the_speech_sockets_and_waves(configured: LiveServer) -> None:
    import asyncio

    from websockets.asyncio.client import connect

    async def ready(path: str, first: dict[str, object]) -> dict[str, object]:
        async with connect(configured.url.replace("http", "ws", 1) + path) as ws:
            await ws.send(json.dumps(first))
            message: dict[str, object] = json.loads(await ws.recv())
            return message

    native = asyncio.run(ready("/v1/mynah/speech/stream", {"format": "pcm"}))
    assert native["type"] == "ready" and native["voice"] == "espeak:de", native
    waves = httpx.post(configured.url + "/waves/v1/tts", json={"text": "Hallo."}, timeout=60)
    assert waves.status_code == 200, waves.text
    assert waves.headers.get("x-mynah-voice") == "espeak:de", waves.headers


def test_the_input_limit_on_both_speech_routes_and_say(configured: LiveServer, tmp_path: Path) -> None:
    text = "word " * 20  # 100 characters
    for route, body in (
        ("/audio/speech", {"model": "tts-1", "voice": "alloy", "input": text}),
        ("/mynah/speech", {"input": text}),
    ):
        refused = httpx.post(configured.v1 + route, json=body, timeout=60)
        assert refused.status_code == 413
        assert (
            refused.json()["error"]["message"]
            == "input is 100 characters; the limit is 60 (MYNAH_TTS__MAX_INPUT_CHARS)"
        )
    said = run_mynah("say", text, "-o", "x.wav", cwd=tmp_path, MYNAH_TTS__MAX_INPUT_CHARS="60")
    assert (
        said.returncode == 2
        and "input is 100 characters; the limit is 60 (MYNAH_TTS__MAX_INPUT_CHARS)" in said.stderr
    )


def test_audio_embedded_in_ssml_counts_toward_its_own_limit(configured: LiveServer) -> None:
    """A 1.3 s WAV as a data: URI is ~55,000 characters: it must not count as text."""
    clip = base64.b64encode(_wav(1.3)).decode()
    ssml = f'<speak>Before. <audio src="data:audio/wav;base64,{clip}">a tone</audio> After.</speak>'
    assert len(ssml) > 50_000
    body = httpx.post(configured.v1 + "/mynah/speech", json={"input": ssml}, timeout=60).json()
    assert body["duration"] > 1.3  # the clip was inserted, between the two words
    over = "<speak>" + "Hello there. " * 6 + "</speak>"  # 78 characters of text
    refused = httpx.post(configured.v1 + "/mynah/speech", json={"input": over}, timeout=60)
    assert refused.status_code == 413
    assert (
        refused.json()["error"]["message"]
        == "the SSML's text is 78 characters; the limit is 60 (MYNAH_TTS__MAX_INPUT_CHARS)"
    )


def test_embedded_audio_over_its_byte_limit_is_a_413_with_the_figures(configured: LiveServer) -> None:
    runtime = configured.runtime
    service = SpeechService(runtime.registry, runtime.settings.tts, clip_loader=ClipLoader(max_bytes=10_000))
    data = _wav(1.0)
    ssml = f'<speak>Hi <audio src="data:audio/wav;base64,{base64.b64encode(data).decode()}"/></speak>'
    with pytest.raises(PayloadTooLarge) as refused:
        service.prepare(ssml)
    assert refused.value.message == (
        f"the audio embedded in the SSML is {len(data):,} bytes; the limit is 10,000"
    )


def test_the_upload_limit_quotes_the_real_size(configured: LiveServer, tmp_path: Path) -> None:
    data = _wav(36.0)  # 1,152,044 bytes: more than the 1 MiB a route reads at a time
    refused = httpx.post(
        configured.v1 + "/audio/transcriptions",
        data={"model": "whisper-1"},
        files={"file": ("long.wav", data, "audio/wav")},
        timeout=60,
    )
    assert refused.status_code == 413
    assert refused.json()["error"]["message"] == f"upload is {len(data):,} bytes; the limit is 1,000,000"
    raw = httpx.post(
        configured.url + "/api/v1/pulse/get_text",
        content=data,
        headers={"content-type": "audio/wav"},
        timeout=60,
    )
    assert raw.status_code == 413 and f"upload is {len(data):,} bytes" in raw.json()["error"]["message"]
    (tmp_path / "long.wav").write_bytes(data)
    cli = run_mynah("transcribe", "long.wav", cwd=tmp_path, MYNAH_STT__MAX_UPLOAD_BYTES="1000000")
    assert cli.returncode == 2 and f"upload is {len(data):,} bytes; the limit is 1,000,000" in cli.stderr


def test_the_duration_limit_holds_for_fresh_and_cached_transcripts(
    configured: LiveServer, tmp_path: Path, speech_dir: Path
) -> None:
    recording = speech_dir / "forever.wav"  # 3.35 s
    # transcribed (and cached) where the limit allows it, in the server's own database
    data_dir = configured.runtime.settings.data_dir
    allowed = run_mynah(
        "transcribe",
        str(recording),
        cwd=tmp_path,
        MYNAH_DATA_DIR=str(data_dir),
        MYNAH_STT__MAX_AUDIO_SECONDS="10",
    )
    assert allowed.returncode == 0, allowed.stderr
    for _ in range(2):
        refused = httpx.post(
            configured.v1 + "/audio/transcriptions",
            data={"model": "whisper-1"},
            files={"file": ("forever.wav", recording.read_bytes(), "audio/wav")},
            timeout=60,
        )
        assert refused.status_code == 413
        assert refused.json()["error"]["message"] == "audio is 3.35 s long; the limit is 3 s"
        assert "x-mynah-cache" not in refused.headers
    cli = run_mynah("transcribe", str(recording), cwd=tmp_path, MYNAH_STT__MAX_AUDIO_SECONDS="3")
    assert cli.returncode == 2 and "audio is 3.35 s long; the limit is 3 s" in cli.stderr


def test_data_dir_holds_the_database_and_the_models(tmp_path: Path) -> None:
    data = tmp_path / "elsewhere"
    doctor = run_mynah("doctor", "--json", cwd=tmp_path, MYNAH_DATA_DIR=str(data))
    paths = json.loads(doctor.stdout)["paths"]
    assert paths["database"] == str(data / "mynah.db") and paths["models"] == str(data / "models")
    said = run_mynah("say", "Hello.", "-o", "x.wav", cwd=tmp_path, MYNAH_DATA_DIR=str(data))
    assert said.returncode == 0 and (data / "mynah.db").is_file()


def test_port_and_api_key_shape_mynah_serve(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MYNAH_")},
        "MYNAH_SERVER__PORT": str(port),
        "MYNAH_SERVER__API_KEY": "s3cret",
        "MYNAH_DATA_DIR": str(tmp_path / "data"),
        "MYNAH_MODELS__OFFLINE": "true",
        "MYNAH_ENGINES": '["espeak","pocketsphinx"]',
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "mynah", "serve", "--log-level", "warning"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:  # readiness: the port answers
            try:
                health = httpx.get(url + "/health", timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "mynah serve did not start"
                time.sleep(0.2)
        assert health.status_code == 200
        assert httpx.get(url + "/v1/models", timeout=10).status_code == 401
        authorised = httpx.get(url + "/v1/models", headers={"authorization": "Bearer s3cret"}, timeout=10)
        assert authorised.status_code == 200
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        assert server.stderr is not None
        server.stderr.close()
