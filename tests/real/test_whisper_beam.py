"""The beam width a caller asks for reaches the decoder (live streams decode greedily by default,
`RealtimeSettings.beam_size`): mynah's Whisper engine gives faster-whisper's own transcript at
that width, on real tiny.en weights and a clip whose greedy and beam-5 transcripts differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from mynah.audio.decode import decode_audio
from mynah.config import ModelSettings
from mynah.engines.base import EngineConfig, TranscriptionOptions
from mynah.engines.whisper import WhisperEngine
from mynah.models import ModelManager

pytest.importorskip("faster_whisper")


def test_the_beam_width_asked_for_is_the_one_decoded(
    real_cache: Path, speech_dir: Path, tmp_path: Path
) -> None:
    from faster_whisper import WhisperModel

    clip = decode_audio(speech_dir / "cards/005.wav", 16000)
    library = WhisperModel(str(real_cache / "whisper" / "tiny.en"), device="cpu", compute_type="int8")
    theirs = {
        beam: " ".join(s.text.strip() for s in library.transcribe(clip, language="en", beam_size=beam)[0])
        for beam in (1, 5)
    }
    assert theirs[1] != theirs[5], "this clip must tell greedy from beam search apart"
    manager = ModelManager(ModelSettings(cache_dir=real_cache, offline=True))
    engine = WhisperEngine(EngineConfig(cache_dir=tmp_path, models=manager))
    ours = {
        beam: engine.transcribe(clip, TranscriptionOptions(model="tiny.en", beam_size=beam)).text
        for beam in (1, None)
    }
    assert ours == {1: theirs[1], None: theirs[5]}
