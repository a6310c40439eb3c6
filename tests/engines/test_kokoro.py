"""The Kokoro engine on a tiny ONNX model with Kokoro's interface, through kokoro-onnx's own loader:
voices from the voices file, voice mixing, speed, phonemes, fallback reasons, corrupt files."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from mynah.config import ModelSettings
from mynah.engines.base import EngineConfig, SynthesisOptions, TtsEngine
from mynah.engines.kokoro import KokoroEngine, parse_mix
from mynah.errors import EngineUnavailable, ModelNotDownloaded, UnknownVoice
from mynah.models import ModelManager
from tests.fixtures.neural import KOKORO, install_tiny, tiny_sources
from tests.fixtures.signal import tone_hz
from tests.fixtures.tiny_voices import KOKORO_BASE_HZ, KOKORO_RATE, KOKORO_STYLE_HZ, KOKORO_TEST_VOICES

pytest.importorskip("kokoro_onnx")


@pytest.fixture(scope="module")
def kokoro(tmp_path_factory: pytest.TempPathFactory) -> KokoroEngine:
    manager = ModelManager(ModelSettings(offline=True), cache_dir=tmp_path_factory.mktemp("models"))
    install_tiny(manager, KOKORO)
    return KokoroEngine(EngineConfig(cache_dir=tmp_path_factory.mktemp("kokoro"), models=manager))


def _speak(engine: KokoroEngine, text: str, voice: str, **options: object) -> np.ndarray:
    chunks = list(engine.synthesize(text, SynthesisOptions(voice=voice, **options)))  # type: ignore[arg-type]
    assert all(c.sample_rate == KOKORO_RATE for c in chunks)
    return np.concatenate([c.samples for c in chunks])


def test_voices_come_from_the_voices_file(kokoro: KokoroEngine) -> None:
    assert isinstance(kokoro, TtsEngine)
    voices = {v.name: v for v in kokoro.voices()}
    assert set(voices) == set(KOKORO_TEST_VOICES)
    assert (voices["af_bella"].language, voices["af_bella"].gender) == ("en-US", "female")
    assert (voices["bf_emma"].language, voices["am_adam"].gender) == ("en-GB", "male")
    assert voices["af_bella"].id == "kokoro:af_bella" and voices["af_bella"].sample_rate == 24000


def test_a_voice_speaks_with_its_style(kokoro: KokoroEngine) -> None:
    samples = _speak(kokoro, "Hello world.", "af_bella")
    assert tone_hz(samples, KOKORO_RATE) == pytest.approx(KOKORO_BASE_HZ + KOKORO_STYLE_HZ, rel=0.03)


def test_mixed_voices_speak_with_the_weighted_mean_style(kokoro: KokoroEngine) -> None:
    voice = kokoro.resolve_voice("af_bella(2)+af_sky(1)")
    assert voice.id == "kokoro:af_bella(2)+af_sky(1)" and voice.gender == "female"
    samples = _speak(kokoro, "Hello world.", voice.name)
    expected = KOKORO_BASE_HZ + KOKORO_STYLE_HZ * (2 * 1.0 + 1 * 0.0) / 3
    assert tone_hz(samples, KOKORO_RATE) == pytest.approx(expected, rel=0.03)
    assert kokoro.resolve_voice("af_sky + am_adam").name == "af_sky(1)+am_adam(1)"


def test_parse_mix() -> None:
    assert parse_mix("af_bella(2)+af_sky(0.5)") == [("af_bella", 2.0), ("af_sky", 0.5)]
    assert parse_mix("af_bella") == [("af_bella", 1.0)]
    for bad in ("af_bella(", "af_bella(-1)", "af_bella(0)", "+", "af bella"):
        with pytest.raises(UnknownVoice):
            parse_mix(bad)


def test_speed(kokoro: KokoroEngine) -> None:
    assert kokoro.capabilities.speed_range == (0.5, 2.0)  # the service's DSP stretches beyond
    normal = _speak(kokoro, "Speaking at a normal pace.", "af_sky")
    fast = _speak(kokoro, "Speaking at a normal pace.", "af_sky", speed=2.0)
    beyond = _speak(kokoro, "Speaking at a normal pace.", "af_sky", speed=2.5)  # clamped, not stretched
    assert len(fast) == pytest.approx(len(normal) / 2, rel=0.05)
    assert len(beyond) == pytest.approx(len(fast), rel=0.05)


def test_phonemes_go_straight_to_the_model(kokoro: KokoroEngine) -> None:
    ipa = "həlˈoʊ wˈɜːld"
    samples = _speak(kokoro, ipa, "af_sky", ipa=True)
    assert len(samples) > 0


def test_unknown_voices(kokoro: KokoroEngine) -> None:
    with pytest.raises(UnknownVoice, match="has no voice zz_nobody"):
        kokoro.resolve_voice("af_bella+zz_nobody")


def test_older_exports_with_a_tokens_input_load(tmp_path: Path) -> None:
    manager = ModelManager(ModelSettings(offline=True), cache_dir=tmp_path / "models")
    manager.pull("kokoro:v0-tokens", source_dir=tiny_sources().kokoro_tokens)
    engine = KokoroEngine(EngineConfig(cache_dir=tmp_path, options={"model": "v0-tokens"}, models=manager))
    assert engine.model_id() == "kokoro:v0-tokens"
    assert _speak(engine, "Hello.", "am_adam").size > 0


def test_not_downloaded_offline_is_skipped_with_the_reason(tmp_path: Path) -> None:
    manager = ModelManager(ModelSettings(offline=True), cache_dir=tmp_path / "models")
    engine = KokoroEngine(EngineConfig(cache_dir=tmp_path, models=manager))
    assert engine.voices() == []
    with pytest.raises(
        ModelNotDownloaded, match=r"kokoro:v1.0 is not downloaded \(354 MB\) and offline mode is on"
    ):
        engine.resolve_voice("af_bella")


def test_a_corrupt_voices_file_is_engine_unavailable(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(tiny_sources().kokoro, source)
    (source / "voices-v1.0.bin").write_bytes(b"not an npz archive" * 100)
    manager = ModelManager(ModelSettings(offline=True), cache_dir=tmp_path / "models")
    manager.pull(KOKORO, source_dir=source)
    engine = KokoroEngine(EngineConfig(cache_dir=tmp_path, models=manager))
    with pytest.raises(EngineUnavailable, match=r"failed to load from .*/kokoro/v1.0: "):
        list(engine.synthesize("Hello.", SynthesisOptions(voice="af_bella")))
    with pytest.raises(UnknownVoice, match="failed to load"):
        engine.resolve_voice("af_bella")
