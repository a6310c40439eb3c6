"""Neural model files: the catalog of what can be fetched (`catalog`), fetching from the Hugging Face
Hub (`hub`), the cache of installed models and whether each can serve (`cache`), and the manager that
loads, shares and unloads them (`manager`)."""

from __future__ import annotations

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
    "split_id",
]
