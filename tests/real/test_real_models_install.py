"""The real models install through `pull --from` and verify against their pinned hashes."""

from __future__ import annotations

from pathlib import Path

from mynah.models import ModelManager
from tests.fixtures.real_weights import MODELS, PINNED


def test_every_real_model_is_installed_with_its_pinned_hashes(real_cache: Path) -> None:
    manager = ModelManager(cache_dir=real_cache)
    for model in MODELS:
        installed = manager.get(model.model_id)
        assert installed is not None and not installed.problems
        assert {f.name: f.sha256 for f in installed.files} == PINNED[model.model_id]
        assert "local" in installed.source  # installed through the --from path
