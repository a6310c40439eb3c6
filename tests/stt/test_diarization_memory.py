"""The diarization memory bound (stt.max_diarization_bytes): a recording whose diarization would
pass it is refused with a 413 naming the setting, before any decoding when its length is known, and
as soon as the audio kept reaches the bound when it is not; one under the bound is diarized."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
import pytest

from mynah.audio.decode import open_audio
from mynah.config import ModelSettings, Settings
from mynah.errors import PayloadTooLarge
from mynah.runtime import Runtime
from mynah.stt.decoded import DecodedAudio
from mynah.stt.diarization_memory import diarization_bytes
from mynah.stt.service import TranscribeOptions, TranscriptionService

PSPHINX = "pocketsphinx:en-us"
BOUND = diarization_bytes(90.0, rate=16000, channels=1)
"""Room for a minute and a half of mono audio."""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> TranscriptionService:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("diarization-memory"),
        models=ModelSettings(offline=True),
        engines=["pocketsphinx"],
    )
    settings.stt.cache = False
    settings.stt.max_diarization_bytes = BOUND
    return Runtime.start(settings).transcription


def _tiled(data_dir: Path, seconds: float) -> bytes:
    """The two-speaker pyannote sample repeated to `seconds`, as 16 kHz 16-bit WAV."""
    with wave.open(str(data_dir / "diarization" / "pyannote_sample" / "sample.wav")) as source:
        samples = np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")
    count = int(seconds * 16000)
    tiled = np.tile(samples, count // len(samples) + 1)[:count]
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(tiled.tobytes())
    return buffer.getvalue()


def test_a_recording_under_the_bound_is_diarized(service: TranscriptionService, data_dir: Path) -> None:
    prepared = service.prepare(PSPHINX, TranscribeOptions(diarize=True, num_speakers=2))
    result = service.transcribe(_tiled(data_dir, 40.0), prepared)
    assert {w.speaker for w in result.transcription.words} == {"SPEAKER_0", "SPEAKER_1"}


def test_a_long_recording_is_refused_before_it_is_decoded(
    service: TranscriptionService, data_dir: Path
) -> None:
    prepared = service.prepare(PSPHINX, TranscribeOptions(diarize=True))
    with pytest.raises(PayloadTooLarge, match="MYNAH_STT__MAX_DIARIZATION_BYTES") as refused:
        service.transcribe(_tiled(data_dir, 240.0), prepared)
    assert refused.value.code == "diarization_memory_limit" and refused.value.param == "diarize"
    assert "4.0 min" in refused.value.message and "about 1.5 min" in refused.value.message


def test_a_recording_of_unknown_length_stops_being_kept_at_the_bound(
    service: TranscriptionService, data_dir: Path
) -> None:
    bound = service._diarization_bound(None, 16000, 1)  # what a container without a duration gets
    with open_audio(_tiled(data_dir, 240.0), 16000, max_seconds=3600) as audio:
        decoded = DecodedAudio(audio, keep=True, by_channel=False, bound=bound)
        seen = 0.0
        with pytest.raises(PayloadTooLarge, match=r"over 2\.0 min") as refused:
            for block in decoded.mono():
                seen += len(block) / 16000
    assert refused.value.code == "diarization_memory_limit"
    assert seen <= 90.0, "stopped at the bound, not at the end of the recording"
