"""Each engine's model layout (mynah.models.layout), found through the `mynah.model_layouts` entry
points as the cache finds them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mynah.engines.kokoro import KokoroLayout
from mynah.engines.piper import PiperLayout
from mynah.engines.whisper import WhisperLayout
from mynah.models import ModelCache
from mynah.models.layout import AnyLayout, discover_layouts


def test_the_engines_layouts_are_found_through_entry_points(tmp_path: Path) -> None:
    layouts = discover_layouts()
    assert isinstance(layouts["piper"], PiperLayout)
    assert isinstance(layouts["kokoro"], KokoroLayout)
    assert isinstance(layouts["whisper"], WhisperLayout)
    cache = ModelCache(cache_dir=tmp_path)
    assert isinstance(cache.layout("whisper"), WhisperLayout)
    assert isinstance(ModelCache(cache_dir=tmp_path, layouts={}).layout("whisper"), AnyLayout)


def test_checks() -> None:
    piper, kokoro, whisper = PiperLayout(), KokoroLayout(), WhisperLayout()
    assert piper.problem(["v.onnx", "v.onnx.json"]) is None
    assert piper.problem(["v.onnx"]) == "v.onnx.json (the voice's config) is missing"
    assert kokoro.problem(["onnx/model.onnx", "voices/af_bella.bin"]) is None
    assert kokoro.problem(["kokoro-v1.0.onnx", "voices-v1.0.bin"]) is None
    assert kokoro.problem(["kokoro-v1.0.onnx"]) is not None
    assert whisper.problem(["config.json", "model.bin", "tokenizer.json", "vocabulary.json"]) is None
    assert (
        whisper.problem(["config.json"])
        == "missing model.bin, tokenizer.json (a CTranslate2 Whisper conversion)"
    )


@pytest.mark.parametrize(
    ("layout", "name", "files", "chosen"),
    [
        (
            WhisperLayout(),
            "tiny.en",
            ["pkg/__init__.py", "pkg/model/model.bin", "pkg/model/config.json", "README.md"],
            ["pkg/model/model.bin", "pkg/model/config.json"],
        ),
        (
            PiperLayout(),
            "en_US-joe-medium",
            ["d/en_US-joe-medium.onnx", "d/en_US-joe-medium.onnx.json", "d/other.onnx", "d/MODEL_CARD"],
            ["d/en_US-joe-medium.onnx", "d/en_US-joe-medium.onnx.json"],
        ),
        (PiperLayout(), "mine", ["x.onnx", "x.onnx.json", "card.txt"], ["x.onnx", "x.onnx.json"]),
        (KokoroLayout(), "v1.0", ["m.onnx", "voices/a.bin", "notes.md"], ["m.onnx", "voices/a.bin"]),
    ],
)
def test_selection(layout: WhisperLayout, name: str, files: list[str], chosen: list[str]) -> None:
    assert layout.select(name, files) == chosen


def test_kokoro_packs_its_voice_tables(tmp_path: Path) -> None:
    (tmp_path / "voices").mkdir()
    style = np.arange(510 * 256, dtype="<f4").reshape(510, 1, 256)
    style.tofile(tmp_path / "voices" / "af_bella.bin")
    KokoroLayout().finish(tmp_path)
    assert not (tmp_path / "voices").exists()
    with np.load(tmp_path / "voices.npz") as voices:
        assert voices.files == ["af_bella"] and np.array_equal(voices["af_bella"], style)
