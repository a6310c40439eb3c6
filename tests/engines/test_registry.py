"""Engine discovery through the installed entry points, and lookups of voices and models."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mynah.engines.base import EngineConfig
from mynah.engines.espeak import EspeakEngine
from mynah.engines.pocketsphinx import PocketsphinxEngine
from mynah.engines.registry import EngineRegistry, Unavailable
from mynah.errors import UnknownModel, UnknownVoice


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> EngineRegistry:
    root = tmp_path_factory.mktemp("registry")
    return EngineRegistry.discover(lambda name: EngineConfig(cache_dir=root / name))


def test_discovers_the_embedded_engines(registry: EngineRegistry) -> None:
    assert isinstance(registry.tts_engines["espeak"], EspeakEngine)
    assert isinstance(registry.stt_engines["pocketsphinx"], PocketsphinxEngine)
    if shutil.which("flite"):
        assert "flite" in registry.tts_engines
    else:
        assert [u.reason for u in registry.unavailable if u.name == "flite"] == [
            "flite not found; apt-get install flite"
        ]


def test_each_engine_gets_its_own_config(tmp_path: Path) -> None:
    asked: list[str] = []

    def config_for(name: str) -> EngineConfig:
        asked.append(name)
        return EngineConfig(cache_dir=tmp_path / name)

    EngineRegistry.discover(config_for, enabled={"espeak", "pocketsphinx"})
    assert sorted(asked) == ["espeak", "pocketsphinx"]


def test_enabled_limits_discovery(tmp_path: Path) -> None:
    registry = EngineRegistry.discover(lambda n: EngineConfig(cache_dir=tmp_path / n), enabled={"espeak"})
    assert list(registry.tts_engines) == ["espeak"]
    assert registry.stt_engines == {}
    assert registry.unavailable == []


def test_an_engine_that_cannot_load_is_recorded_not_raised(tmp_path: Path) -> None:
    def config_for(name: str) -> EngineConfig:
        options = {"binary": "/nonexistent/flite"} if name == "flite" else {}
        return EngineConfig(cache_dir=tmp_path / name, options=options)

    registry = EngineRegistry.discover(config_for, enabled={"flite", "espeak"})
    assert "flite" not in registry.tts_engines
    assert registry.unavailable == [Unavailable("flite", "tts", "flite not found; apt-get install flite")]
    status = registry.status()
    assert status["unavailable"] == {"flite": "flite not found; apt-get install flite"}
    assert status["loaded"] == {"tts": ["espeak"], "stt": []}


def test_a_failing_constructor_is_recorded(tmp_path: Path) -> None:
    def config_for(name: str) -> EngineConfig:
        if name == "pocketsphinx":
            return EngineConfig(cache_dir=tmp_path, options={"decoders": "many"})
        return EngineConfig(cache_dir=tmp_path / name)

    registry = EngineRegistry.discover(config_for, enabled={"pocketsphinx"})
    [failed] = registry.unavailable
    assert failed.name == "pocketsphinx"
    assert failed.kind == "stt"
    assert "decoders" in failed.reason


def test_status(registry: EngineRegistry) -> None:
    status = registry.status()
    assert "espeak" in status["loaded"]["tts"]
    assert "pocketsphinx" in status["loaded"]["stt"]
    assert status["capabilities"]["tts"]["espeak"]["word_timings"] is True
    assert status["capabilities"]["stt"]["pocketsphinx"]["sample_rate"] == 16000
    assert set(status["unavailable"]) == {u.name for u in registry.unavailable}


def test_all_voices(registry: EngineRegistry) -> None:
    voices = registry.all_voices()
    ids = [v.id for v in voices]
    assert len(ids) == len(set(ids))
    assert "espeak:en-us" in ids
    assert sum(v.engine == "espeak" for v in voices) > 100


def test_find_voice(registry: EngineRegistry) -> None:
    engine, voice = registry.find_voice("espeak:en-us")
    assert engine is registry.tts_engines["espeak"]
    assert voice.name == "en-us"
    assert voice.language == "en-US"


def test_find_voice_resolves_variants_and_aliases(registry: EngineRegistry) -> None:
    assert registry.find_voice("espeak:en-us+f3")[1].gender == "female"
    assert registry.find_voice("espeak:fr-fr")[1].id == "espeak:fr"


@pytest.mark.parametrize(
    ("voice_id", "hint"),
    [
        ("nope:x", "no TTS engine 'nope'"),
        ("espeak:nope", "'nope'"),
        ("espeak:en-us+nonsense", "'nonsense'"),
        ("en-us", "engine:name"),
        ("espeak:", "'espeak:'"),
    ],
)
def test_unknown_voices(registry: EngineRegistry, voice_id: str, hint: str) -> None:
    with pytest.raises(UnknownVoice) as caught:
        registry.find_voice(voice_id)
    assert hint in str(caught.value)
    assert "/v1/audio/voices" in str(caught.value)
    assert caught.value.param == "voice"


def test_find_stt_model(registry: EngineRegistry) -> None:
    engine, model = registry.find_stt_model("pocketsphinx:en-us")
    assert engine is registry.stt_engines["pocketsphinx"]
    assert model.name == "en-us"
    assert [m.id for m in registry.all_stt_models()] == ["pocketsphinx:en-us"]


@pytest.mark.parametrize("model_id", ["whisper-1", "pocketsphinx:fr", "nope:en-us"])
def test_unknown_models(registry: EngineRegistry, model_id: str) -> None:
    with pytest.raises(UnknownModel, match="pocketsphinx:en-us") as caught:
        registry.find_stt_model(model_id)
    assert repr(model_id) in str(caught.value)


def test_built_from_engines_directly(
    engine_config: Callable[..., EngineConfig], espeak: EspeakEngine
) -> None:
    registry = EngineRegistry(tts={"espeak": espeak})
    assert registry.find_voice("espeak:de")[1].language == "de"
    assert registry.status()["loaded"] == {"tts": ["espeak"], "stt": []}
