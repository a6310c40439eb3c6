"""Neural model files: the catalog of what can be fetched (`catalog`), fetching from the Hugging Face
Hub (`hub`), the cache of installed models and whether each can serve (`cache`), and the manager that
loads, shares and unloads them (`manager`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mynah.models.catalog import FEATURED, CatalogEntry, HubSource, lookup, split_id
from mynah.models.hub import DownloadFailed, HubClient, Offline
from mynah.models.manager import (
    InstalledModel,
    LoadedModel,
    ModelFile,
    ModelManager,
    ModelNotReady,
    PullProgress,
)

if TYPE_CHECKING:
    from mynah.engines.base import EngineConfig

__all__ = [
    "FEATURED",
    "CatalogEntry",
    "DownloadFailed",
    "HubClient",
    "HubSource",
    "InstalledModel",
    "LoadedModel",
    "ModelFile",
    "ModelManager",
    "ModelNotReady",
    "Offline",
    "PullProgress",
    "lookup",
    "manager_for",
    "split_id",
]


def manager_for(config: EngineConfig) -> ModelManager:
    """The engine's model manager: the shared one the runtime passes, or one of its own over
    `config.cache_dir / "models"` for an engine built on its own."""
    return config.models if config.models is not None else ModelManager(cache_dir=config.cache_dir / "models")
