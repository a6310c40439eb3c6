"""Transcription through the HTTP API: silence, URLs (SSRF), limits, cache, hosted response shapes."""

from __future__ import annotations

import asyncio
import functools
import http.server as http_server
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

from mynah.audio.encode import encode_audio
from mynah.audio.formats import AudioFormat
from mynah.config import Settings
from mynah.engines.base import SttCapabilities, SttModel, TranscriptionOptions
from mynah.runtime import Runtime
from mynah.types import Segment, Transcription, Word
from tests.support import LiveServer, start_live_server


@pytest.fixture(scope="module")
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=120) as client:
        yield client


def wav(samples: np.ndarray, rate: int = 16000) -> bytes:
    return encode_audio(samples.astype(np.float32), rate, AudioFormat.wav)


def transcribe(http: httpx.Client, data: bytes, **form: str) -> httpx.Response:
    return http.post(
        "/v1/audio/transcriptions", data={"model": "whisper-1", **form}, files={"file": ("a.wav", data)}
    )


@pytest.mark.parametrize("kind", ["silence", "white", "brown"])
def test_sixty_seconds_without_speech_gives_an_empty_transcript(http: httpx.Client, kind: str) -> None:
    rng = np.random.default_rng(7)
    n = 60 * 16000
    if kind == "silence":
        audio = np.zeros(n)
    elif kind == "white":
        audio = rng.normal(0, 0.03, n)
    else:
        audio = np.cumsum(rng.normal(0, 1, n))
        audio = 0.03 * (audio - audio.mean()) / audio.std()
    response = transcribe(
        http, wav(audio), response_format="verbose_json", **{"timestamp_granularities[]": "word"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["text"] == ""
    assert body["words"] == []
    assert body["duration"] == pytest.approx(60.0, abs=0.1)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1:9/a.wav", ["loopback"]),
        ("http://localhost/a.wav", ["loopback"]),
        ("http://10.1.2.3/a.wav", ["private"]),
        ("http://169.254.169.254/latest/meta-data/", ["169.254.169.254"]),
        ("http://[::1]/a.wav", ["loopback"]),
        ("file:///etc/passwd", ["http"]),
    ],
)
def test_private_urls_are_refused(http: httpx.Client, url: str, words: list[str]) -> None:
    response = http.post("/v1/audio/transcriptions", data={"model": "whisper-1", "url": url})
    assert response.status_code == 400, response.text
    message = response.json()["error"]["message"]
    for word in words:
        assert word in message
    pulse = http.post("/api/v1/pulse/get_text", json={"url": url})
    assert pulse.status_code == 400


@pytest.fixture(scope="module")
def file_server(speech_dir: Path) -> Iterator[str]:
    class Quiet(http_server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(speech_dir))
    server = http_server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def trusting_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server configured to fetch from private addresses, and with small limits."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("trusting"))
    settings.net.allow_private_urls = True
    settings.stt.max_audio_seconds = 20
    settings.stt.max_upload_bytes = 2_000_000
    with start_live_server(settings) as server:
        yield server


def test_url_input_when_private_addresses_are_allowed(trusting_server: LiveServer, file_server: str) -> None:
    response = httpx.post(
        trusting_server.v1 + "/audio/transcriptions",
        data={"model": "whisper-1", "url": file_server + "/goforward.wav"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert "forward" in response.json()["text"]
    missing = httpx.post(
        trusting_server.v1 + "/audio/transcriptions",
        data={"model": "whisper-1", "url": file_server + "/nope.wav"},
    )
    assert missing.status_code == 400 and "404" in missing.json()["error"]["message"]


def test_duration_and_size_limits(trusting_server: LiveServer) -> None:
    long_audio = wav(np.zeros(30 * 8000), rate=8000)  # 30 s > the 20 s limit, 480 kB < the size limit
    response = httpx.post(
        trusting_server.v1 + "/audio/transcriptions",
        data={"model": "whisper-1"},
        files={"file": ("long.wav", long_audio)},
    )
    assert response.status_code == 413
    assert "limit" in response.json()["error"]["message"]
    big = httpx.post(
        trusting_server.v1 + "/audio/transcriptions",
        data={"model": "whisper-1"},
        files={"file": ("big.wav", b"\0" * 2_100_000)},
    )
    assert big.status_code == 413


def test_the_same_audio_twice_comes_from_the_cache(http: httpx.Client, speech_dir: Path) -> None:
    data = (speech_dir / "forever.wav").read_bytes()
    first = transcribe(http, data, response_format="verbose_json")
    second = transcribe(http, data, response_format="verbose_json")
    assert first.status_code == second.status_code == 200
    assert second.headers.get("x-mynah-cache") == "hit"
    assert first.json()["text"] == second.json()["text"]
    other_options = transcribe(http, data, response_format="verbose_json", language="en")
    assert other_options.headers.get("x-mynah-cache") != "hit"


def test_pulse_style_raw_body(http: httpx.Client, speech_dir: Path) -> None:
    data = (speech_dir / "goforward.wav").read_bytes()
    response = http.post(
        "/api/v1/pulse/get_text?model=pulse&language=en&word_timestamps=true",
        content=data,
        headers={"content-type": "audio/wav"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "forward" in body["transcription"]
    assert body["language"] == "en"
    assert body["metadata"]["duration"] == pytest.approx(2.8, abs=0.2)
    word = body["words"][0]
    assert set(word) >= {"word", "start", "end", "confidence"}
    assert 0.0 <= word["confidence"] <= 1.0
    assert body["utterances"] and body["utterances"][0]["text"]


def test_pulse_style_errors(http: httpx.Client) -> None:
    assert (
        http.post("/api/v1/pulse/get_text", content=b"hi", headers={"content-type": "text/plain"}).status_code
        == 415
    )
    assert http.post("/api/v1/pulse/get_text", json={"nope": 1}).status_code == 400
    assert (
        http.post("/api/v1/pulse/get_text", content=b"", headers={"content-type": "audio/wav"}).status_code
        == 400
    )


def test_whisperapi_style_form(http: httpx.Client, speech_dir: Path) -> None:
    data = (speech_dir / "goforward.wav").read_bytes()
    response = http.post(
        "/whisperapi",
        data={"fileType": "wav", "diarization": "false", "language": "en", "task": "transcribe"},
        files={"file": ("goforward.wav", data)},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "forward" in body["text"] and body["segments"]
    refused = http.post("/whisperapi", data={"task": "translate"}, files={"file": ("a.wav", data)})
    assert refused.status_code == 400


def test_diarized_json_on_a_two_speaker_call(http: httpx.Client, data_dir: Path) -> None:
    audio = (data_dir / "diarization" / "pyannote_sample" / "sample.wav").read_bytes()
    response = transcribe(http, audio, response_format="diarized_json")
    assert response.status_code == 200, response.text
    segments = response.json()["segments"]
    assert {s["speaker"] for s in segments} == {"SPEAKER_0", "SPEAKER_1"}
    assert all(s["type"] == "transcript.text.segment" and s["text"] for s in segments)
    verbose = transcribe(
        http, audio, response_format="verbose_json", diarize="true", **{"timestamp_granularities[]": "word"}
    ).json()
    assert all(w["speaker"] in ("SPEAKER_0", "SPEAKER_1") for w in verbose["words"])
    srt = transcribe(http, audio, response_format="srt", diarize="true").text  # same options: cached
    assert "[SPEAKER_0]" in srt and "[SPEAKER_1]" in srt


def test_stereo_call_is_split_by_channel(http: httpx.Client, data_dir: Path) -> None:
    audio = (data_dir / "diarization" / "faster_whisper_stereo" / "stereo_diarization.wav").read_bytes()
    response = http.post(
        "/api/v1/pulse/get_text?word_timestamps=true&diarize=true",
        content=audio,
        headers={"content-type": "audio/wav"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    speakers = {w["speaker"] for w in body["words"]}
    assert speakers == {"SPEAKER_0", "SPEAKER_1"}
    assert len(body["utterances"]) >= 2
    vtt = transcribe(http, audio, response_format="vtt", diarize="true", channels="split").text
    assert "<v SPEAKER_0>" in vtt and "<v SPEAKER_1>" in vtt


class _ThreadProbe:
    """An STT engine (as a third-party package would add one) that notes whether each call it gets
    runs on the server's event loop."""

    name = "probe"
    capabilities = SttCapabilities()

    def __init__(self) -> None:
        self.calls: list[tuple[str, bool]] = []

    def models(self) -> list[SttModel]:
        self._note("models")
        return [SttModel("probe:one", "probe", "one", ("en",))]

    def transcribe(self, audio: np.ndarray, options: TranscriptionOptions) -> Transcription:
        self._note("transcribe")
        words = (Word("probe", 0.1, 0.4, 0.9),)
        return Transcription(segments=(Segment(0, 0.1, 0.4, "probe", words),), duration=len(audio) / 16000)

    def _note(self, what: str) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            self.calls.append((what, False))
        else:
            self.calls.append((what, True))


def test_model_resolution_and_checks_run_off_the_event_loop(tmp_path: Path, speech_dir: Path) -> None:
    settings = Settings(data_dir=tmp_path, engines=["pocketsphinx"])
    settings.stt.cache = False
    runtime = Runtime.start(settings)
    probe = _ThreadProbe()
    runtime.registry.stt_engines["probe"] = probe
    data = (speech_dir / "goforward.wav").read_bytes()
    with start_live_server(settings, runtime) as server:
        for route, kwargs in (
            (
                "/v1/audio/transcriptions",
                {"data": {"model": "probe:one"}, "files": {"file": ("a.wav", data)}},
            ),
            (
                "/api/v1/pulse/get_text?model=probe:one",
                {"content": data, "headers": {"content-type": "audio/wav"}},
            ),
        ):
            response = httpx.post(server.url + route, timeout=60, **kwargs)  # type: ignore[arg-type]
            assert response.status_code == 200, response.text
            assert response.headers["x-mynah-model"] == "probe:one"
    assert {what for what, _ in probe.calls} == {"models", "transcribe"}
    assert [call for call in probe.calls if call[1]] == []  # none on the event loop
