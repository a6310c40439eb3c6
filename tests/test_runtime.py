"""Runtime wiring that settings choose: the voice activity detector."""

from __future__ import annotations

from pathlib import Path

import pytest

from mynah.config import ModelSettings, Settings
from mynah.runtime import Runtime
from mynah.stt.service import TranscribeOptions


@pytest.mark.parametrize("vad", ["webrtc", "silero"])
def test_the_configured_vad_transcribes_real_speech(tmp_path: Path, speech_dir: Path, vad: str) -> None:
    if vad == "silero":
        pytest.importorskip("faster_whisper")
    settings = Settings(data_dir=tmp_path, models=ModelSettings(offline=True), engines=["pocketsphinx"])
    settings.stt.vad = vad  # type: ignore[assignment]
    runtime = Runtime.start(settings)
    assert type(runtime.transcription._vad).__name__ == {"webrtc": "WebRtcVad", "silero": "SileroVad"}[vad]
    prepared = runtime.transcription.prepare("pocketsphinx:en-us", TranscribeOptions())
    result = runtime.transcription.transcribe(speech_dir / "goforward.wav", prepared)
    assert "forward" in result.transcription.text
