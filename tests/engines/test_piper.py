"""The Piper engine on a tiny ONNX voice with Piper's exact interface, through piper-tts's own
PiperVoice.load: voices, speakers, speed, word timings, fallback reasons, corrupt files, and which
of a voice's two sessions serves a synthesis that runs alone or beside another."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mynah.config import ModelSettings
from mynah.engines.base import EngineConfig, SynthesisOptions, TtsEngine
from mynah.engines.piper import PiperEngine
from mynah.errors import EngineUnavailable, ModelNotDownloaded, UnknownVoice
from mynah.models import ModelManager
from tests.fixtures.beside import one_beside_another
from tests.fixtures.neural import PIPER, PIPER_MULTI, install_tiny, tiny_sources
from tests.fixtures.signal import tone_hz
from tests.fixtures.tiny_voices import PIPER_BASE_HZ, PIPER_HOP, PIPER_RATE, PIPER_SPEAKER_HZ

pytest.importorskip("piper")

SINGLE = PIPER.partition(":")[2]
MULTI = PIPER_MULTI.partition(":")[2]


@pytest.fixture(scope="module")
def manager(tmp_path_factory: pytest.TempPathFactory) -> ModelManager:
    manager = ModelManager(ModelSettings(offline=True), cache_dir=tmp_path_factory.mktemp("models"))
    install_tiny(manager, PIPER, PIPER_MULTI)
    return manager


@pytest.fixture(scope="module")
def piper(manager: ModelManager, tmp_path_factory: pytest.TempPathFactory) -> PiperEngine:
    return PiperEngine(EngineConfig(cache_dir=tmp_path_factory.mktemp("piper"), models=manager))


def _speak(engine: PiperEngine, text: str, voice: str, speed: float = 1.0) -> tuple[np.ndarray, list]:
    chunks = list(engine.synthesize(text, SynthesisOptions(voice=voice, speed=speed)))
    return np.concatenate([c.samples for c in chunks]), chunks


def test_installed_voices_are_listed(piper: PiperEngine) -> None:
    assert isinstance(piper, TtsEngine)
    voices = {v.id: v for v in piper.voices()}
    assert set(voices) == {PIPER, PIPER_MULTI}
    assert voices[PIPER].language == "en-US" and voices[PIPER].sample_rate == PIPER_RATE
    assert "4 speakers" in voices[PIPER_MULTI].description


def test_synthesis_runs_the_voice_with_one_chunk_per_sentence(piper: PiperEngine) -> None:
    samples, chunks = _speak(piper, "Hello world. This is a test.", SINGLE)
    assert len(chunks) == 2 and all(c.sample_rate == PIPER_RATE for c in chunks)
    assert samples.dtype == np.float32 and np.abs(samples).max() <= 1.0
    assert all(len(c.samples) % PIPER_HOP == 0 for c in chunks)  # whole frames, as VITS makes them
    assert tone_hz(chunks[0].samples, PIPER_RATE) == pytest.approx(PIPER_BASE_HZ, rel=0.02)


def test_speed_is_piper_length_scale(piper: PiperEngine) -> None:
    normal, _ = _speak(piper, "Speaking at a normal pace.", SINGLE)
    fast, _ = _speak(piper, "Speaking at a normal pace.", SINGLE, speed=2.0)
    slow, _ = _speak(piper, "Speaking at a normal pace.", SINGLE, speed=0.5)
    assert len(fast) == pytest.approx(len(normal) / 2, rel=0.15)
    assert len(slow) == pytest.approx(len(normal) * 2, rel=0.15)


def test_word_timings_follow_the_words_of_the_text(piper: PiperEngine) -> None:
    text = "Hello there, world. Second sentence here."
    _, chunks = _speak(piper, text, SINGLE)
    words = [w for c in chunks for w in c.words]
    assert [w.text for w in words] == ["Hello", "there", "world", "Second", "sentence", "here"]
    assert all(text[w.text_start : w.text_end] == w.text for w in words)
    for chunk in chunks:
        starts = [w.start for w in chunk.words]
        assert starts == sorted(starts)
        assert all(0 <= w.start < w.end <= chunk.duration + 1e-9 for w in chunk.words)


@pytest.mark.parametrize(("speaker", "index"), [("0", 0), ("3", 3), ("speaker2", 2)])
def test_speakers_by_number_or_name(piper: PiperEngine, speaker: str, index: int) -> None:
    voice = piper.resolve_voice(f"{MULTI}#{speaker}")
    assert voice.id == f"{PIPER_MULTI}#{speaker}"
    samples, _ = _speak(piper, "Hello.", voice.name)
    assert tone_hz(samples, PIPER_RATE) == pytest.approx(PIPER_BASE_HZ + index * PIPER_SPEAKER_HZ, rel=0.02)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (f"{MULTI}#4", "speakers 0 to 3"),
        (f"{MULTI}#nobody", "no speaker 'nobody'"),
        (f"{SINGLE}#1", "single speaker"),
        (f"{MULTI}#", "names no speaker"),
        ("lessac", "named like en_US-lessac-medium"),
    ],
)
def test_bad_voice_names_are_clear(piper: PiperEngine, name: str, message: str) -> None:
    with pytest.raises(UnknownVoice, match=message):
        piper.resolve_voice(name)


def test_a_voice_not_downloaded_offline_is_skipped_with_the_reason(
    piper: PiperEngine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mynah.models")
    for _ in range(3):
        with pytest.raises(ModelNotDownloaded) as info:
            piper.resolve_voice("en_US-lessac-medium")
    assert info.value.message == (
        "piper:en_US-lessac-medium is not downloaded (63 MB) and offline mode is on (MYNAH_MODELS__OFFLINE): "
        "run `mynah models pull piper:en_US-lessac-medium` when online "
        "(or POST /v1/mynah/models/piper:en_US-lessac-medium/pull)"
    )
    assert (info.value.status_code, info.value.code, info.value.param) == (
        409,
        "model_not_downloaded",
        "voice",
    )
    lines = [r for r in caplog.records if "en_US-lessac-medium cannot serve" in r.getMessage()]
    assert len(lines) == 1  # one clear line, not one per request


def test_a_voice_fetchable_on_first_use_resolves_from_the_catalog(tmp_path: Path) -> None:
    from tests.fixtures.fake_hub import FakeHub

    with FakeHub({}).running() as hub:  # reachable, so the voice can be fetched when it is used
        manager = ModelManager(ModelSettings(hub_endpoint=hub.url), cache_dir=tmp_path / "models")
        engine = PiperEngine(EngineConfig(cache_dir=tmp_path, models=manager))
        voice = engine.resolve_voice("en_GB-alan-medium")
        assert (voice.id, voice.language, voice.sample_rate) == ("piper:en_GB-alan-medium", "en-GB", 22050)
        assert "fetched on first use" in voice.description
        with pytest.raises(EngineUnavailable, match="cannot list rhasspy/piper-voices"):
            list(engine.synthesize("Hello.", SynthesisOptions(voice="en_GB-alan-medium")))


def test_a_corrupt_voice_raises_engine_unavailable_then_is_skipped(tmp_path: Path) -> None:
    manager = ModelManager(ModelSettings(offline=True), cache_dir=tmp_path / "models")
    install_tiny(manager, PIPER)
    onnx = tmp_path / "models" / "piper" / SINGLE / f"{SINGLE}.onnx"
    onnx.write_bytes(b"\x08garbage" * (onnx.stat().st_size // 8) + b"\0" * (onnx.stat().st_size % 8))
    engine = PiperEngine(EngineConfig(cache_dir=tmp_path, models=manager))
    chunks = engine.synthesize("Hello.", SynthesisOptions(voice=SINGLE))
    with pytest.raises(EngineUnavailable, match=f"failed to load from .*/piper/{SINGLE}: "):
        next(chunks)
    assert engine.voices() == []
    with pytest.raises(UnknownVoice, match="failed to load"):
        engine.resolve_voice(SINGLE)


def test_a_synthesis_beside_another_runs_on_the_narrow_session(manager: ModelManager, tmp_path: Path) -> None:
    """Two syntheses in two threads, the second started while the first is between chunks (held
    there by events, not by timing): the first is served by the wide session, the second by the
    narrow one, and once both are done the next synthesis alone is wide again."""
    engine = PiperEngine(EngineConfig(cache_dir=tmp_path, models=manager))
    text = "The first sentence. The second one."
    alone, _ = _speak(engine, text, SINGLE)
    assert engine.sessions_served() == {"wide": 1, "narrow": 0}

    seen = one_beside_another(engine, SINGLE, text)
    assert seen.served["first"] == {"wide": 2, "narrow": 0}
    assert seen.served["second"] == {"wide": 2, "narrow": 1}
    assert np.array_equal(seen.audio["first"], alone) and np.array_equal(seen.audio["second"], alone)

    _speak(engine, text, SINGLE)
    assert engine.sessions_served() == {"wide": 3, "narrow": 1}


def test_with_threads_set_one_session_serves_every_synthesis(tmp_path: Path) -> None:
    manager = ModelManager(ModelSettings(offline=True), cache_dir=tmp_path / "models")
    install_tiny(manager, PIPER)
    engine = PiperEngine(EngineConfig(cache_dir=tmp_path, models=manager, options={"threads": 1}))
    running = engine.synthesize("One. Two.", SynthesisOptions(voice=SINGLE))
    next(running)
    _speak(engine, "Beside it.", SINGLE)  # starts while the first is running
    list(running)
    assert engine.sessions_served() == {"wide": 2, "narrow": 0}


def test_ipa_input_is_read_as_phonemes(piper: PiperEngine) -> None:
    chunks = list(piper.synthesize("həlˈoʊ wˈɜːld", SynthesisOptions(voice=SINGLE, ipa=True)))
    assert sum(len(c.samples) for c in chunks) > 0


def test_sources_are_real_piper_files() -> None:
    from piper import PiperVoice

    voice = PiperVoice.load(tiny_sources().piper_multi / f"{MULTI}.onnx")
    assert voice.config.num_speakers == 4
    assert [i.name for i in voice.session.get_inputs()] == ["input", "input_lengths", "scales", "sid"]
    assert [o.name for o in voice.session.get_outputs()] == ["output"]


def _optioned(tmp_path: Path, piper: PiperEngine, **options: Any) -> tuple[ModelManager, PiperEngine]:
    """A Piper engine with engine `options` on its own model manager, which speaks the same audio as
    `piper` (the options change how ONNX Runtime runs, never what it computes)."""
    manager = ModelManager(ModelSettings(offline=True), cache_dir=tmp_path / "models")
    install_tiny(manager, PIPER)
    engine = PiperEngine(EngineConfig(cache_dir=tmp_path, models=manager, options=options))
    text = "The first sentence. The second one."
    assert np.array_equal(_speak(engine, text, SINGLE)[0], _speak(piper, text, SINGLE)[0])
    return manager, engine


def test_without_the_memory_arena_a_voice_speaks_the_same_audio(piper: PiperEngine, tmp_path: Path) -> None:
    manager, engine = _optioned(tmp_path, piper, memory_arena=False)
    # and the option reached ONNX Runtime: the loaded voice's sessions run without the arena
    with manager.lease(PIPER, engine._load) as sessions:
        for voice in (sessions.wide, sessions.narrow):
            assert all(s.get_session_options().enable_cpu_mem_arena is False for s in voice.sessions)
    with piper._models.lease(PIPER, piper._load) as sessions:
        assert all(s.get_session_options().enable_cpu_mem_arena is True for s in sessions.wide.sessions)


def test_a_voice_whose_arena_was_emptied_speaks_the_same_audio(piper: PiperEngine) -> None:
    text = "The first sentence. The second one."
    spoken = _speak(piper, text, SINGLE)[0]
    with piper._models.lease(PIPER, piper._load) as sessions:
        sessions.release_memory()
    assert np.array_equal(_speak(piper, text, SINGLE)[0], spoken)


def test_spinning_reaches_the_wide_session_only(piper: PiperEngine, tmp_path: Path) -> None:
    manager, engine = _optioned(tmp_path, piper, spinning=True)

    def spins(voice: Any) -> str:
        (entry,) = {
            s.get_session_options().get_session_config_entry("session.intra_op.allow_spinning")
            for s in voice.sessions
        }
        return str(entry)

    with manager.lease(PIPER, engine._load) as sessions:
        wide_threads = sessions.wide.front.get_session_options().intra_op_num_threads
        assert spins(sessions.wide) == ("1" if wide_threads > 1 else "0")
        if sessions.narrow is not sessions.wide:
            assert spins(sessions.narrow) == "0"  # one thread: the caller's own, nothing to spin
    with piper._models.lease(PIPER, piper._load) as sessions:
        assert spins(sessions.wide) == "0"
