"""flite through its command-line binary. Skipped where flite is not installed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from mynah.engines.base import EngineConfig, SynthesisOptions, TtsEngine
from mynah.engines.flite import FliteEngine
from mynah.errors import EngineUnavailable, UnknownVoice


def test_absent_binary_makes_the_engine_unavailable(engine_config: Callable[..., EngineConfig]) -> None:
    with pytest.raises(EngineUnavailable, match="apt-get install flite"):
        FliteEngine(engine_config("flite-missing", binary="/nonexistent/flite"))


def test_is_a_tts_engine(flite: FliteEngine) -> None:
    assert isinstance(flite, TtsEngine)
    assert flite.capabilities.native_speed
    assert not flite.capabilities.word_timings


def test_lists_the_built_in_voices(flite: FliteEngine) -> None:
    voices = {v.name: v for v in flite.voices()}
    assert set(voices) <= {"kal", "kal16", "slt", "awb", "rms"}
    assert "slt" in voices
    assert voices["slt"].gender == "female"
    assert voices["slt"].id == "flite:slt"
    for voice in voices.values():
        assert voice.language.startswith("en-")
        assert voice.sample_rate == (8000 if voice.name == "kal" else 16000)


def test_each_voice_speaks_at_its_listed_rate(flite: FliteEngine, speak: Callable[..., Any]) -> None:
    for voice in flite.voices():
        audio, chunks = speak(flite, "Hello world", voice.name)
        assert [c.sample_rate for c in chunks] == [voice.sample_rate]
        assert audio.dtype == np.float32
        assert float(np.sqrt(np.mean(audio**2))) > 0.01, f"{voice.name} is silent"
        assert 0.5 < len(audio) / voice.sample_rate < 3.0


def test_one_chunk_per_call(flite: FliteEngine, speak: Callable[..., Any]) -> None:
    """Engines do not split: the plan hands them one sentence at a time (mynah.tts.plan)."""
    _, chunks = speak(flite, "First sentence. Second sentence! Third?", "slt")
    assert len(chunks) == 1
    assert chunks[0].words == ()
    assert list(flite.synthesize("  ", SynthesisOptions(voice="slt"))) == []


def test_speed(flite: FliteEngine, speak: Callable[..., Any]) -> None:
    text = "The quick brown fox jumps over the lazy dog."
    normal, _ = speak(flite, text, "slt")
    fast, _ = speak(flite, text, "slt", speed=2.0)
    assert 0.4 < len(fast) / len(normal) < 0.65


def test_text_is_passed_safely(flite: FliteEngine, speak: Callable[..., Any]) -> None:
    # no shell, no option parsing: text that looks like flags or a file name is spoken
    audio, chunks = speak(flite, "-voice kal -o /tmp/x.wav; rm -rf / café", "slt")
    assert len(chunks) == 1
    assert float(np.sqrt(np.mean(audio**2))) > 0.01


def test_unknown_voice_is_refused_before_streaming(flite: FliteEngine) -> None:
    with pytest.raises(UnknownVoice, match="'nope'"):
        flite.synthesize("Hello", SynthesisOptions(voice="nope"))
