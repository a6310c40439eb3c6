"""`pull --from DIR` with the real weights: a copy of the official files is IDENTICAL to the release;
the same files with one changed are a LOCAL VARIANT that names it, and still serve."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from mynah.config import ModelSettings
from mynah.models import ModelCache

TINY_EN = "whisper:tiny.en"


def _linked_copy(source: Path, target: Path) -> Path:
    """The model's files (not its manifest) under `target`, as hard links where the file system
    allows (no copy of 75 MB)."""
    target.mkdir(parents=True)
    for path in source.iterdir():
        if path.name != "mynah-model.json":
            try:
                os.link(path, target / path.name)
            except OSError:
                shutil.copy2(path, target / path.name)
    return target


def test_official_files_from_a_directory_are_identical_and_a_changed_one_is_a_variant(
    real_cache: Path, tmp_path: Path
) -> None:
    cache = ModelCache(ModelSettings(offline=True), cache_dir=tmp_path / "models")
    source = _linked_copy(real_cache / "whisper" / "tiny.en", tmp_path / "tiny.en")
    model = cache.pull(TINY_EN, source_dir=source)
    assert model.provenance.identical
    assert (
        model.provenance.release == "Systran/faster-whisper-tiny.en@0d3d19a32d3338f10357c0889762bd8d64bbdeba"
    )

    (source / "config.json").unlink()  # a new file, not a write through the shared hard link
    (source / "config.json").write_text(
        (real_cache / "whisper" / "tiny.en" / "config.json").read_text() + "\n"
    )
    variant = cache.pull(TINY_EN, source_dir=source, force=True)
    assert variant.provenance.status == "variant"
    assert variant.provenance.differences[0].startswith("config.json differs")
    assert len(variant.provenance.differences) == 1
    assert cache.availability(TINY_EN) is None  # a variant is installed and serves
