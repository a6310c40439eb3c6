"""The catalog: which repository and files each model id means, and what it costs."""

from __future__ import annotations

import pytest

from mynah.models import FEATURED, lookup, split_id
from mynah.models.catalog import WHISPER_LANGUAGES, check_layout


def test_any_piper_voice_maps_to_its_folder_in_piper_voices() -> None:
    entry = lookup("piper:de_DE-thorsten-high")
    assert entry is not None
    assert entry.source.repo == "rhasspy/piper-voices"
    assert entry.source.folder == "de/de_DE/thorsten/high"
    assert entry.source.wants("de/de_DE/thorsten/high/de_DE-thorsten-high.onnx") == "de_DE-thorsten-high.onnx"
    assert entry.source.wants("de/de_DE/thorsten/high/de_DE-thorsten-high.onnx.json") is not None
    assert entry.source.wants("de/de_DE/thorsten/high/MODEL_CARD") is None
    assert entry.source.wants("de/de_DE/thorsten/medium/de_DE-thorsten-medium.onnx") is None
    assert (entry.languages, entry.sample_rate, entry.kind) == (("de-DE",), 22050, "tts")
    low = lookup("piper:en_US-lessac-low")
    assert low is not None and low.sample_rate == 16000


@pytest.mark.parametrize(
    ("model_id", "repo", "english_only", "translates"),
    [
        ("whisper:small", "Systran/faster-whisper-small", False, True),
        ("whisper:small.en", "Systran/faster-whisper-small.en", True, False),
        ("whisper:distil-small.en", "Systran/faster-distil-whisper-small.en", True, False),
        ("whisper:large-v3", "Systran/faster-whisper-large-v3", False, True),
        ("whisper:large-v3-turbo", "mobiuslabsgmbh/faster-whisper-large-v3-turbo", False, False),
    ],
)
def test_whisper_models(model_id: str, repo: str, english_only: bool, translates: bool) -> None:
    entry = lookup(model_id)
    assert entry is not None and entry.source.repo == repo and entry.kind == "stt"
    assert entry.languages == (("en",) if english_only else WHISPER_LANGUAGES)
    assert entry.translate is translates
    assert entry.source.wants("model.bin") == "model.bin"
    assert entry.source.wants("vocabulary.txt") == "vocabulary.txt"
    assert entry.source.wants("README.md") is None


def test_kokoro_models_take_the_onnx_file_and_the_voices() -> None:
    entry = lookup("kokoro:v1.0-int8")
    assert entry is not None
    assert entry.source.wants("onnx/model_quantized.onnx") == "onnx/model_quantized.onnx"
    assert entry.source.wants("onnx/model.onnx") is None
    assert entry.source.wants("voices/af_bella.bin") == "voices/af_bella.bin"


@pytest.mark.parametrize(
    "model_id",
    [
        "piper:lessac",
        "piper:en_US-lessac-ultra",
        "kokoro:v9",
        "whisper:huge",
        "espeak:en-us",
        "whisper:../x",
        "x",
    ],
)
def test_ids_mynah_cannot_fetch(model_id: str) -> None:
    assert lookup(model_id) is None


def test_split_id_refuses_paths_and_unknown_engines() -> None:
    assert split_id("whisper:distil-large-v3.5") == ("whisper", "distil-large-v3.5")
    for bad in ("whisper:../../etc", "whisper:a/b", "nope:x", "whisper:", ":x", "whisper:.hidden"):
        with pytest.raises(ValueError, match="engine:name"):
            split_id(bad)


def test_every_featured_model_has_costs_and_a_description() -> None:
    assert len({e.id for e in FEATURED}) == len(FEATURED) > 30
    for entry in FEATURED:
        assert entry.disk_mb > 0 and entry.memory_mb > 0 and entry.description
        assert lookup(entry.id) == entry


def test_layouts() -> None:
    assert check_layout("piper", ["v.onnx", "v.onnx.json"]) is None
    assert check_layout("piper", ["v.onnx"]) == "v.onnx.json (the voice's config) is missing"
    assert check_layout("kokoro", ["onnx/model.onnx", "voices/af_bella.bin"]) is None
    assert check_layout("kokoro", ["kokoro-v1.0.onnx", "voices-v1.0.bin"]) is None
    assert check_layout("kokoro", ["kokoro-v1.0.onnx"]) is not None
    assert check_layout("whisper", ["config.json", "model.bin", "tokenizer.json", "vocabulary.json"]) is None
    assert (
        check_layout("whisper", ["config.json"])
        == "missing model.bin, tokenizer.json (a CTranslate2 Whisper conversion)"
    )
