"""Real Piper (en_US-joe-medium) through mynah: word timings inside the audio and in order, OpenAI's
24 kHz pcm from the official client, streams that never end silently, and a round trip that
whisper:base hears back, and the narrow session serving a synthesis started beside another."""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import av
import jiwer
import pytest
from openai import OpenAI

from mynah.runtime import Runtime
from mynah.text.normalize import normalize
from tests.support import LiveServer, decoded_seconds, start_live_server
from tests.tts.streams import busy_machine, stream_many

VOICE = "piper:en_US-joe-medium"
PARAGRAPH = (
    "On March 15, 2024, Dr. Smith paid $1,250 for 3 tickets to the game in St. Louis. "
    "The show starts at noon on Sat., and about 45% of the seats are already sold. "
    "Mr. Jones said the price rose 12% since Jan. 5, when it was only $980."
)


@pytest.fixture(scope="module")
def steady_server(real_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Piper with its duration noise (noise_w) all but off, so two requests for the same text last
    exactly as long and a pcm response can be held against a wav one."""
    from mynah.config import ModelSettings, Settings
    from tests.tts.streams import RENDER_EVERY_STREAM, ROOM_FOR_EVERY_STREAM

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("steady-piper"),
        server=ROOM_FOR_EVERY_STREAM,
        platform=RENDER_EVERY_STREAM,
        engines=["piper", "espeak", "pocketsphinx"],
        engine_options={"piper": {"noise_w_scale": 1e-6}},
        models=ModelSettings(cache_dir=real_cache, offline=True),
    )
    with start_live_server(settings) as server:
        yield server


def test_word_timings_lie_inside_the_audio_in_order(real_runtime: Runtime) -> None:
    speech = real_runtime.speech
    prepared = speech.prepare(PARAGRAPH, voice=VOICE)
    chunks = list(speech.stream(prepared))
    total = sum(len(c.samples) for c in chunks) / prepared.sample_rate
    words = [m for c in chunks for m in c.marks if m.type == "word"]
    assert prepared.state.engine == "piper"
    assert len(words) >= len(PARAGRAPH.split()) - 2  # each written word, its readings merged
    assert all(w.time >= 0.0 and w.time + w.duration <= total + 1e-6 for w in words)
    assert all(w.duration > 0.02 for w in words)
    starts = [w.time for w in words]
    assert starts == sorted(starts)
    assert all(a.time + a.duration <= b.time + 1e-6 for a, b in itertools.pairwise(words))
    assert all(w.value == PARAGRAPH[w.start : w.end] for w in words)
    offsets = [w.start for w in words]
    assert offsets == sorted(offsets)
    assert {"Dr.", "$1,250", "St.", "45%", "$980"} <= {w.value for w in words}


def test_openai_pcm_is_24_khz_and_as_long_as_the_wav(steady_server: LiveServer) -> None:
    with OpenAI(base_url=steady_server.v1, api_key="unused", max_retries=0) as client:
        wav = client.audio.speech.create(model="tts-1", voice=VOICE, input=PARAGRAPH, response_format="wav")
        with av.open(io.BytesIO(wav.content)) as container:
            assert container.streams.audio[0].rate == 22050  # Piper medium's own rate
        pcm = client.audio.speech.create(model="tts-1", voice=VOICE, input=PARAGRAPH, response_format="pcm")
        with client.audio.speech.with_streaming_response.create(
            model="tts-1", voice=VOICE, input=PARAGRAPH, response_format="pcm"
        ) as streamed:
            assert streamed.headers["x-mynah-sample-rate"] == "24000"
            streamed_pcm = b"".join(streamed.iter_bytes())
    seconds = decoded_seconds(wav.content)
    assert seconds > 10.0
    assert len(pcm.content) / 2 / 24000 == pytest.approx(seconds, rel=0.02)
    assert len(streamed_pcm) / 2 / 24000 == pytest.approx(seconds, rel=0.02)


def test_concurrent_piper_and_espeak_streams_on_a_busy_machine_deliver_every_byte(
    steady_server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.INFO, logger="mynah.tts.render")
    with busy_machine():
        streams = stream_many(steady_server.url, [VOICE, "espeak:en-us"], PARAGRAPH, count=16, concurrency=8)
    assert [s for s in streams if s.error is not None] == []
    rendered = [r.speech_bytes for r in caplog.records if hasattr(r, "speech_bytes")]
    assert Counter(len(s.data) for s in streams) == Counter(rendered)
    piper = {len(s.data) for s in streams if s.voice == VOICE}
    assert len(piper) == 1, "the same text at the same settings is the same length every time"


def _comparable(text: str) -> str:
    """Whisper's English normaliser, after gluing punctuation to the word before it (however the
    recogniser joined its word pieces: "$1 ,250" and "45 %" read as "$1,250" and "45%")."""
    from whisper_normalizer.english import EnglishTextNormalizer

    return str(EnglishTextNormalizer()(re.sub(r"\s+(?=[.,%:])", "", text)))


def test_round_trip_whisper_base_hears_what_piper_said(real_server: LiveServer) -> None:
    """Numbers, money, dates and abbreviations: mynah's normaliser says what the voice should speak;
    whisper:base must hear it back with a WER of 10 % or less."""
    with OpenAI(base_url=real_server.v1, api_key="unused", max_retries=0) as client:
        wav = client.audio.speech.create(model="tts-1", voice=VOICE, input=PARAGRAPH, response_format="wav")
        heard = client.audio.transcriptions.create(
            model="whisper:base", file=("piper.wav", wav.content), language="en"
        ).text
    spoken = normalize(PARAGRAPH).text
    error = jiwer.wer(_comparable(spoken), _comparable(heard))
    assert error <= 0.10, f"WER {error:.3f}\n said:  {spoken}\n heard: {heard}"


def test_joe_beside_another_synthesis_runs_on_the_narrow_session(real_cache: Path, tmp_path: Path) -> None:
    """The real joe voice loaded twice (all cores, one thread): alone a synthesis gets the wide
    session, started while another is running it gets the narrow one, and both speak the text."""
    from mynah.config import ModelSettings
    from mynah.engines.base import EngineConfig
    from mynah.engines.piper import PiperEngine, usable_cores
    from mynah.models import ModelManager
    from tests.fixtures.beside import one_beside_another

    if usable_cores() == 1:
        pytest.skip("one core: the wide and the narrow session are the same session")
    manager = ModelManager(ModelSettings(cache_dir=real_cache, offline=True))
    engine = PiperEngine(EngineConfig(cache_dir=tmp_path, models=manager))
    seen = one_beside_another(engine, VOICE.partition(":")[2], "Good morning to you. The bus leaves at noon.")
    assert seen.served == {"first": {"wide": 1, "narrow": 0}, "second": {"wide": 1, "narrow": 1}}
    assert all(len(audio) > 22050 for audio in seen.audio.values())  # over a second of speech each
