"""The Pocket TTS engine on a tiny model of the real architecture and file layout (built by
tests/fixtures/tiny_pocket.py), loaded by pocket-tts's own `TTSModel.load_model`: it speaks only a
voice the route authorised, streams 24 kHz audio conditioned on the voice's reference recording,
and forgets a voice whose files are gone."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from mynah.engines.base import EngineConfig, SynthesisOptions
from mynah.errors import NotFound, UnknownVoice
from mynah.models import ModelManager
from mynah.models.catalog import lookup

pytest.importorskip("torch", reason="Pocket TTS needs torch: pip install torch==2.13.0")
pytest.importorskip("pocket_tts", reason="Pocket TTS is not installed: pip install 'mynah[cloning]'")

from mynah.engines.pocket import AUTHORISED, LAYOUT, PocketEngine


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> PocketEngine:
    from tests.fixtures.tiny_pocket import build_tiny_pocket

    root = tmp_path_factory.mktemp("pocket")
    manager = ModelManager(cache_dir=root / "models")
    manager.pull("pocket:tiny", source_dir=build_tiny_pocket(root / "tiny"))
    voices = root / "cloned-voices"
    (voices / "clone_a").mkdir(parents=True)
    t = np.arange(24000 * 3) / 24000
    from mynah.audio.encode import encode_audio
    from mynah.audio.formats import AudioFormat

    speech_like = (0.3 * np.sin(2 * np.pi * 180 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))).astype(
        np.float32
    )
    (voices / "clone_a" / "reference.wav").write_bytes(encode_audio(speech_like, 24000, AudioFormat.wav))
    config = EngineConfig(
        cache_dir=root / "engines" / "pocket",
        options={"model": "pocket:tiny", "voices_dir": str(voices)},
        models=manager,
    )
    return PocketEngine(config)


def test_it_speaks_only_the_authorised_voice_and_streams(engine: PocketEngine) -> None:
    assert engine.voices() == [], "cloned voices are never listed by the engine itself"
    assert engine.resolve_voice("clone_a").id == "pocket:clone_a"
    with pytest.raises(UnknownVoice):
        list(engine.synthesize("Hello there.", SynthesisOptions(voice="clone_a")))
    token = AUTHORISED.set("clone_a")
    try:
        chunks = list(engine.synthesize("Hello there. How are you?", SynthesisOptions(voice="clone_a")))
    finally:
        AUTHORISED.reset(token)
    assert chunks and all(c.sample_rate == 24000 and c.samples.dtype == np.float32 for c in chunks)
    assert sum(len(c.samples) for c in chunks) >= 1920, "at least one Mimi frame (80 ms)"


def test_a_voice_whose_files_are_gone_is_not_found(engine: PocketEngine, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        engine.resolve_voice("clone_missing")
    with pytest.raises(NotFound):
        engine.resolve_voice("../clone_a")
    folder = Path(str(engine._voices_dir)) / "clone_b"
    shutil.copytree(Path(str(engine._voices_dir)) / "clone_a", folder)
    token = AUTHORISED.set("clone_b")
    try:
        assert list(engine.synthesize("One.", SynthesisOptions(voice="clone_b")))
        shutil.rmtree(folder)
        with pytest.raises(NotFound):
            list(engine.synthesize("Two.", SynthesisOptions(voice="clone_b")))
    finally:
        AUTHORISED.reset(token)


def test_the_layout_and_the_catalog_know_the_real_model() -> None:
    assert LAYOUT.problem(["model.safetensors", "tokenizer.json"]) is None
    assert "tokenizer.json" in (LAYOUT.problem(["model.safetensors"]) or "")
    entry = lookup("pocket:english")
    assert entry is not None and entry.source.repo == "kyutai/pocket-tts"
    assert entry.source.wants("languages/english/model.safetensors") == "model.safetensors"
