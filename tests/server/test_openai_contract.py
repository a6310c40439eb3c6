"""The official `openai` client is the contract: it must just work against mynah."""

from __future__ import annotations

import io
from pathlib import Path

import av
import pytest
from openai import OpenAI

from tests.support import LiveServer, decoded_seconds

TEXT = "The quick brown fox jumps over the lazy dog. Then it runs into the forest."
FORMATS = ["mp3", "opus", "aac", "flac", "wav", "pcm"]


@pytest.fixture(scope="module")
def client(live_server: LiveServer) -> OpenAI:
    return OpenAI(base_url=live_server.v1, api_key="not-needed", max_retries=0)


@pytest.fixture(scope="module")
def reference_seconds(client: OpenAI) -> float:
    wav = client.audio.speech.create(model="tts-1", voice="espeak:en-us", input=TEXT, response_format="wav")
    return decoded_seconds(wav.content)


@pytest.mark.parametrize("fmt", FORMATS)
def test_speech_in_every_openai_format_decodes_to_the_expecteddecoded_seconds(
    client: OpenAI, reference_seconds: float, fmt: str
) -> None:
    response = client.audio.speech.create(
        model="tts-1",
        voice="espeak:en-us",
        input=TEXT,
        response_format=fmt,  # type: ignore[arg-type]
    )
    data = response.content
    if fmt == "pcm":  # raw s16le mono at 24 kHz, as OpenAI's (whatever the voice's own rate)
        assert response.response.headers["x-mynah-sample-rate"] == "24000"
        seconds = len(data) / 2 / 24000
    else:
        seconds = decoded_seconds(data)
    assert reference_seconds > 2.0
    assert seconds == pytest.approx(reference_seconds, rel=0.05)


def test_openai_pcm_is_24_khz_and_as_long_as_the_wav(client: OpenAI) -> None:
    """The voice speaks at 22,050 Hz; OpenAI's pcm is 24 kHz, so a client that assumes it plays right."""
    wav = client.audio.speech.create(model="tts-1", voice="espeak:en-us", input=TEXT, response_format="wav")
    with av.open(io.BytesIO(wav.content)) as container:
        assert container.streams.audio[0].rate == 22050  # the voice's own rate: pcm must be resampled
    pcm = client.audio.speech.create(model="tts-1", voice="espeak:en-us", input=TEXT, response_format="pcm")
    assert len(pcm.content) / 2 / 24000 == pytest.approx(decoded_seconds(wav.content), rel=0.02)
    with client.audio.speech.with_streaming_response.create(
        model="tts-1", voice="espeak:en-us", input=TEXT, response_format="pcm"
    ) as streamed:
        data = b"".join(streamed.iter_bytes())
    assert len(data) / 2 / 24000 == pytest.approx(decoded_seconds(wav.content), rel=0.02)


@pytest.mark.parametrize(
    ("body", "rate"),
    [
        ({"response_format": "pcm", "sample_rate": 16000}, 16000),  # asked for: served
        ({"response_format": "wav"}, 22050),  # other formats keep the voice's rate
        ({"response_format": "opus", "sample_rate": 22050}, 48000),  # what an Opus decoder gives back
        ({"response_format": "mulaw"}, 8000),
    ],
)
def test_the_sample_rate_header_is_the_rate_of_the_audio(
    live_server: LiveServer, body: dict[str, object], rate: int
) -> None:
    import httpx

    request = {"model": "tts-1", "voice": "espeak:en-us", "input": "Hello there.", **body}
    response = httpx.post(live_server.v1 + "/audio/speech", json=request, timeout=60)
    assert response.status_code == 200, response.text
    assert response.headers["x-mynah-sample-rate"] == str(rate)
    if body["response_format"] not in ("pcm", "mulaw"):
        with av.open(io.BytesIO(response.content)) as container:
            assert container.streams.audio[0].codec_context.sample_rate == rate


def test_the_native_route_keeps_the_voice_rate_for_pcm_and_says_so(live_server: LiveServer) -> None:
    import base64

    import httpx

    request = {"voice": "espeak:en-us", "input": TEXT, "response_format": "pcm"}
    response = httpx.post(live_server.v1 + "/mynah/speech", json=request, timeout=60)
    body = response.json()
    assert response.headers["x-mynah-sample-rate"] == "22050" and body["sample_rate"] == 22050
    assert len(base64.b64decode(body["audio"])) / 2 / 22050 == pytest.approx(body["duration"], abs=0.001)


def test_speech_with_openai_voice_name_and_sample_rate(client: OpenAI) -> None:
    response = client.audio.speech.create(
        model="tts-1",
        voice="alloy",
        input="Hello there.",
        response_format="wav",
        extra_body={"sample_rate": 8000},
    )
    with av.open(io.BytesIO(response.content)) as container:
        assert container.streams.audio[0].rate == 8000
    assert response.response.headers["x-mynah-voice"]


def test_speech_streaming_with_the_sdk(client: OpenAI) -> None:
    with client.audio.speech.with_streaming_response.create(
        model="tts-1", voice="espeak:en-us", input=TEXT, response_format="mp3"
    ) as response:
        data = b"".join(response.iter_bytes())
    assert decoded_seconds(data) > 2.0


def test_transcribe_jfk_verbose_json_with_word_timestamps(client: OpenAI, speech_dir: Path) -> None:
    with (speech_dir / "jfk.flac").open("rb") as audio:
        result = client.audio.transcriptions.create(
            model="whisper-1",
            file=audio,
            response_format="verbose_json",
            timestamp_granularities=["word", "segment"],
        )
    assert result.language == "english"
    assert result.duration == pytest.approx(11.0, abs=0.1)
    words = result.words or []
    assert len(words) >= 15
    text = result.text.lower()
    assert "fellow" in text and "country" in text
    starts = [w.start for w in words]
    assert starts == sorted(starts)
    assert all(0.0 <= w.start <= w.end <= result.duration + 0.01 for w in words)
    assert result.segments and result.segments[0].start >= 0.0


@pytest.mark.parametrize("fmt", ["json", "text", "srt", "vtt"])
def test_transcribe_formats(client: OpenAI, speech_dir: Path, fmt: str) -> None:
    with (speech_dir / "goforward.wav").open("rb") as audio:
        result = client.audio.transcriptions.create(model="whisper-1", file=audio, response_format=fmt)  # type: ignore[call-overload]
    text = result.text if fmt == "json" else str(result)
    assert "forward" in text.lower()
    if fmt == "srt":
        assert "00:00:00," in text and "-->" in text
    if fmt == "vtt":
        assert text.startswith("WEBVTT")


def test_models_and_voices(client: OpenAI, live_server: LiveServer) -> None:
    ids = {m.id for m in client.models.list()}
    assert {"tts-1", "whisper-1", "pocketsphinx:en-us"} <= ids
    import httpx

    voices = httpx.get(live_server.v1 + "/audio/voices").json()["voices"]
    assert any(v["id"] == "espeak:en-us" for v in voices)
    assert len(voices) > 100


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the SDK marks translations deprecated
def test_translation_is_a_clear_400_without_a_translating_engine(client: OpenAI, speech_dir: Path) -> None:
    import openai

    with (speech_dir / "goforward.wav").open("rb") as audio, pytest.raises(openai.BadRequestError) as info:
        client.audio.translations.create(model="whisper-1", file=audio)
    assert "translate" in str(info.value)
