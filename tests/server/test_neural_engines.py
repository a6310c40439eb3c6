"""Piper, Kokoro and faster-whisper through the whole server and the official `openai` client, with
tiny models (tests/fixtures) installed in the model cache, offline; fallbacks that say so; and the
model routes under /v1/mynah/models."""

from __future__ import annotations

import io
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import av
import httpx
import numpy as np
import pytest
from openai import OpenAI

from mynah.config import ModelSettings, Settings, SttSettings, TtsSettings
from mynah.models import ModelManager
from mynah.runtime import Runtime
from tests.fixtures.make_tiny_whisper import TRANSCRIPT, TRANSLATION
from tests.fixtures.neural import KOKORO, PIPER, WHISPER, install_tiny, tiny_sources
from tests.fixtures.signal import tone_hz
from tests.fixtures.tiny_voices import KOKORO_BASE_HZ, KOKORO_STYLE_HZ, PIPER_BASE_HZ
from tests.support import LiveServer, free_port

pytest.importorskip("piper")
pytest.importorskip("kokoro_onnx")
pytest.importorskip("faster_whisper")

SPEECH = Path(__file__).resolve().parents[3] / "shared" / "data" / "speech"  # ../shared beside the clone
BROKEN = "piper:en_US-broken-medium"
SPARE = "piper:en_US-spare-medium"
BROKEN_WHISPER = "whisper:broken"


def _install_renamed_piper(manager: ModelManager, model_id: str, root: Path) -> Path:
    name = model_id.partition(":")[2]
    source = root / name
    source.mkdir(parents=True)
    tiny = PIPER.partition(":")[2]
    shutil.copy(tiny_sources().piper / f"{tiny}.onnx", source / f"{name}.onnx")
    shutil.copy(tiny_sources().piper / f"{tiny}.onnx.json", source / f"{name}.onnx.json")
    return manager.pull(model_id, source_dir=source).path / f"{name}.onnx"


@pytest.fixture(scope="module")
def neural_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    import uvicorn

    from mynah.server.app import create_app

    data = tmp_path_factory.mktemp("neural-data")
    settings = Settings(
        data_dir=data,
        engines=["piper", "kokoro", "whisper", "espeak", "pocketsphinx"],
        models=ModelSettings(offline=True, preload=[WHISPER]),
        tts=TtsSettings(
            default_voice="alloy",
            voice_aliases={
                "alloy": [PIPER, "espeak:en-us"],
                "nova": ["piper:en_US-lessac-medium", "espeak:en-us+f4"],
                "coral": [BROKEN, "espeak:en-us+f2"],
            },
        ),
        stt=SttSettings(default_model=[WHISPER, "pocketsphinx:en-us"]),
    )
    manager = ModelManager(settings.models, cache_dir=data / "models")
    install_tiny(manager)
    broken = _install_renamed_piper(manager, BROKEN, tmp_path_factory.mktemp("src"))
    size = broken.stat().st_size
    broken.write_bytes((b"\x08\x01garbage" * size)[:size])  # corrupt, with the size the manifest says
    _install_renamed_piper(manager, SPARE, tmp_path_factory.mktemp("src"))
    model_bin = manager.pull(BROKEN_WHISPER, source_dir=tiny_sources().whisper).path / "model.bin"
    size = model_bin.stat().st_size
    model_bin.write_bytes(model_bin.read_bytes()[: size // 2] + bytes(size - size // 2))
    runtime = Runtime.start(settings)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(runtime=runtime), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    yield LiveServer(url=f"http://127.0.0.1:{port}", runtime=runtime)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def client(neural_server: LiveServer) -> Iterator[OpenAI]:
    with OpenAI(base_url=neural_server.v1, api_key="not-needed", max_retries=0) as openai_client:
        yield openai_client


def _decode(data: bytes) -> tuple[np.ndarray, int]:
    with av.open(io.BytesIO(data)) as container:
        rate = container.streams.audio[0].rate
        frames = [f.to_ndarray().reshape(-1) for f in container.decode(audio=0)]
    return np.concatenate(frames).astype(np.float32), rate


def test_piper_speaks_through_the_openai_client(client: OpenAI) -> None:
    response = client.audio.speech.create(
        model="tts-1",
        voice=PIPER,
        input="Hello world. A second sentence.",
        response_format="wav",  # type: ignore[arg-type]
    )
    headers = response.response.headers
    assert (headers["x-mynah-engine"], headers["x-mynah-voice"]) == ("piper", PIPER)
    assert "x-mynah-fallback" not in headers
    samples, rate = _decode(response.content)
    assert len(samples) / rate > 1.0
    assert tone_hz(samples[: rate // 2], rate) == pytest.approx(PIPER_BASE_HZ, rel=0.03)


def test_the_default_voice_is_neural(client: OpenAI) -> None:
    response = client.audio.speech.create(model="tts-1", voice="alloy", input="Hello.", response_format="mp3")
    assert response.response.headers["x-mynah-voice"] == PIPER


def test_kokoro_voice_mix_through_the_openai_client(client: OpenAI) -> None:
    response = client.audio.speech.create(
        model="kokoro",
        voice="af_bella(2)+af_sky(1)",
        input="Hello world.",
        response_format="flac",  # type: ignore[arg-type]
    )
    headers = response.response.headers
    assert (headers["x-mynah-engine"], headers["x-mynah-voice"]) == ("kokoro", "kokoro:af_bella(2)+af_sky(1)")
    samples, rate = _decode(response.content)
    expected = KOKORO_BASE_HZ + KOKORO_STYLE_HZ * 2 / 3
    assert tone_hz(samples[: rate // 2], rate) == pytest.approx(expected, rel=0.03)


def test_native_route_carries_engine_voice_and_piper_word_timings(neural_server: LiveServer) -> None:
    text = "Hello there, world."
    body = httpx.post(
        neural_server.v1 + "/mynah/speech", json={"input": text, "voice": PIPER}, timeout=60
    ).json()
    assert (body["engine"], body["voice"], body["fallback"]) == ("piper", PIPER, [])
    words = body["words"]
    assert [text[w["start"] : w["end"]] for w in words] == ["Hello", "there", "world"]
    times = [w["time"] for w in words]
    assert times == sorted(times) and all(w["duration"] > 0 for w in words)
    assert times[-1] + words[-1]["duration"] <= body["duration"] + 0.01


def test_a_voice_not_downloaded_falls_back_and_says_why(client: OpenAI) -> None:
    response = client.audio.speech.create(model="tts-1", voice="nova", input="Hello.", response_format="wav")
    headers = response.response.headers
    assert headers["x-mynah-voice"] == "espeak:en-us+f4"
    assert headers["x-mynah-fallback"].startswith(
        "piper:en_US-lessac-medium: not downloaded (63 MB) and offline mode"
    )
    assert "mynah models pull piper:en_US-lessac-medium" in headers["x-mynah-fallback"]


def test_a_corrupt_model_falls_back_and_never_takes_the_server_down(
    client: OpenAI, neural_server: LiveServer
) -> None:
    for _ in range(2):  # the first request finds it broken while loading, the next skips it at once
        response = client.audio.speech.create(
            model="tts-1", voice="coral", input="Hello.", response_format="wav"
        )
        headers = response.response.headers
        assert headers["x-mynah-engine"] == "espeak"
        assert f"{BROKEN}: failed to load" in headers["x-mynah-fallback"]
        assert len(response.content) > 1000
    health = httpx.get(neural_server.url + "/health").json()
    assert health["status"] == "ok"
    assert {"piper", "kokoro"} <= set(health["engines"]["loaded"]["tts"])
    assert "whisper" in health["engines"]["loaded"]["stt"]


def test_whisper_transcribes_through_the_openai_client(client: OpenAI) -> None:
    with (SPEECH / "goforward.wav").open("rb") as audio:
        raw = client.audio.transcriptions.with_raw_response.create(
            model="whisper-1",
            file=audio,
            response_format="verbose_json",
            timestamp_granularities=["word", "segment"],
        )
    assert (raw.headers["x-mynah-engine"], raw.headers["x-mynah-model"]) == ("whisper", WHISPER)
    result = raw.parse()
    assert result.text.strip() == TRANSCRIPT
    assert result.language == "english"
    assert [w.word for w in result.words or []] == ["hello", "world"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the SDK marks translations deprecated
def test_whisper_translates_through_the_openai_client(client: OpenAI) -> None:
    with (SPEECH / "goforward.wav").open("rb") as audio:
        result = client.audio.translations.create(model="whisper-1", file=audio)
    assert result.text.strip() == TRANSLATION


def test_a_corrupt_recogniser_is_a_clear_error_and_then_skipped(
    client: OpenAI, neural_server: LiveServer
) -> None:
    import openai

    with (SPEECH / "goforward.wav").open("rb") as audio, pytest.raises(openai.APIStatusError) as first:
        client.audio.transcriptions.create(model=BROKEN_WHISPER, file=audio)
    assert first.value.status_code == 503 and "failed to load" in first.value.message
    with (SPEECH / "goforward.wav").open("rb") as audio, pytest.raises(openai.NotFoundError):
        client.audio.transcriptions.create(model=BROKEN_WHISPER, file=audio)  # known broken: not offered
    with (SPEECH / "goforward.wav").open("rb") as audio:
        assert client.audio.transcriptions.create(model=WHISPER, file=audio).text.strip() == TRANSCRIPT
    assert httpx.get(neural_server.url + "/health").json()["status"] == "ok"


def test_models_are_listed_with_what_they_cost(client: OpenAI, neural_server: LiveServer) -> None:
    client.audio.speech.create(model="tts-1", voice=PIPER, input="Hi.", response_format="wav")  # type: ignore[arg-type]
    body = httpx.get(neural_server.v1 + "/mynah/models").json()
    models = {m["id"]: m for m in body["data"]}
    assert {PIPER, KOKORO, WHISPER, BROKEN, SPARE} <= set(models)
    assert models[WHISPER]["kind"] == "stt" and models[WHISPER]["installed"]
    assert models[WHISPER]["loaded"] and models[WHISPER]["pinned"]  # the preload list
    assert models[PIPER]["loaded"] and models[PIPER]["size_bytes"] > 0
    assert all(f["sha256"] for f in models[KOKORO]["files"])
    catalog = httpx.get(neural_server.v1 + "/mynah/models", params={"available": "true"}).json()["data"]
    lessac = next(m for m in catalog if m["id"] == "piper:en_US-lessac-medium")
    assert not lessac["installed"] and lessac["disk_mb"] == 63 and lessac["memory_mb"] > 0
    info = httpx.get(neural_server.v1 + "/mynah/models/whisper:small").json()
    assert info["source"]["repo"] == "Systran/faster-whisper-small" and not info["installed"]


def test_pull_offline_is_one_clear_error(neural_server: LiveServer) -> None:
    response = httpx.post(neural_server.v1 + "/mynah/models/whisper:small/pull", timeout=30)
    assert response.status_code == 503
    assert (
        response.json()["error"]["message"]
        == "cannot pull whisper:small: offline mode is on (MYNAH_MODELS__OFFLINE)"
    )
    installed = httpx.post(neural_server.v1 + f"/mynah/models/{PIPER}/pull", timeout=30)
    assert installed.status_code == 200 and installed.json()["installed"]
    unknown = httpx.get(neural_server.v1 + "/mynah/models/whisper:huge")
    assert unknown.status_code == 404


def test_delete_a_model(neural_server: LiveServer) -> None:
    response = httpx.delete(neural_server.v1 + f"/mynah/models/{SPARE}")
    assert response.status_code == 200 and response.json()["deleted"]
    assert httpx.delete(neural_server.v1 + f"/mynah/models/{SPARE}").status_code == 404
    assert httpx.get(neural_server.v1 + f"/mynah/models/{SPARE}").json()["installed"] is False
