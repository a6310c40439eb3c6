"""The model manager: loaded models in memory, over the model cache (mynah.models.cache) on disk.

Leases
    `lease(id, loader)` is a context manager giving the loaded object: `loader(path)` runs on first use
    (fetching the files first when needed and allowed), once even when many threads ask at the same
    time. While any lease is open the model is never unloaded. After the last lease closes the model
    stays loaded until it has been idle `idle_unload_seconds` (a reaper thread, running only while
    something is loaded, unloads it), or until a load needs room under `memory_budget_mb`: then idle
    models go, least recently used first. Idle `release_memory_seconds`, a model is asked to hand back
    the working memory it keeps for its next use (`release_idle_memory`). Sizes are the catalog's memory estimates (or 1.5 x the files
    for models it does not know). Pinned models (the preload list) stay loaded.

A model whose loader fails is recorded as broken (with the files' signature), so requests do not
retry a corrupt file over and over; re-pulling it clears that.

The manager holds a `ModelCache` (`.cache`) for everything on disk and passes the calls engines and
routes make about files straight to it; the cache calls back (`before_change`) before it replaces
or removes a model's files, so the manager can unload it first, or refuse while it is in use.

    ModelManager
    ├── cache:   a ModelCache; installed(), get(), availability(), pull(), remove(), ... pass to it
    └── memory:  lease(), loaded(), unload(), unload_idle(), release_idle_memory(), close()
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from mynah import heap
from mynah.config import ModelSettings
from mynah.errors import InvalidRequest, ModelNotDownloaded, MynahError
from mynah.models.cache import ModelCache, ModelNotReady
from mynah.models.catalog import Lookup, lookup
from mynah.models.hub import HubClient
from mynah.models.index import PackageIndex
from mynah.models.layout import ModelLayout
from mynah.models.remote import SourceName
from mynah.models.store import Audit, InstalledModel, ModelFile, canonical
from mynah.models.transfer import PullProgress

__all__ = [
    "InstalledModel",
    "LoadedModel",
    "ModelFile",
    "ModelManager",
    "ModelNotReady",
    "PullProgress",
]

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class LoadedModel:
    id: str
    refs: int
    memory_mb: int
    idle_seconds: float
    pinned: bool


@dataclass
class _Slot:
    id: str
    value: Any = None
    loaded: bool = False
    refs: int = 0
    pinned: bool = False
    memory_mb: int = 0
    last_used: float = 0.0
    unloader: Callable[[Any], None] | None = None
    warm: bool = True
    """Used since its working memory was last released (`release_idle_memory`)."""
    load_lock: threading.Lock = field(default_factory=threading.Lock)


class ModelManager:
    """Loaded models over the model cache of one directory. Thread-safe."""

    def __init__(
        self,
        settings: ModelSettings | None = None,
        *,
        cache_dir: Path | None = None,
        hub: HubClient | None = None,
        index: PackageIndex | None = None,
        layouts: Mapping[str, ModelLayout] | None = None,
        catalog: Lookup = lookup,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.cache = ModelCache(
            settings,
            cache_dir=cache_dir,
            hub=hub,
            index=index,
            layouts=layouts,
            catalog=catalog,
            before_change=self._release_files,
            clock=clock,
            sleep=sleep,
        )
        self.settings = self.cache.settings
        self._clock = clock
        self._lock = threading.RLock()
        self._slots: dict[str, _Slot] = {}
        self._reaper: threading.Thread | None = None
        self._stop = threading.Event()
        self.loads = 0
        """Models loaded since start (for /metrics)."""
        self.unloads = 0

    # ========================================================================= files (the cache's)

    @property
    def cache_dir(self) -> Path:
        return self.cache.cache_dir

    def installed(self, engine: str | None = None) -> list[InstalledModel]:
        return self.cache.installed(engine)

    def get(self, model_id: str) -> InstalledModel | None:
        return self.cache.get(model_id)

    def model_dir(self, model_id: str) -> Path:
        return self.cache.model_dir(model_id)

    def partial_downloads(self) -> list[tuple[str, int]]:
        return self.cache.partial_downloads()

    def availability(self, model_id: str) -> str | None:
        return self.cache.availability(model_id)

    def not_downloaded(self, model_id: str, *, param: str = "model") -> ModelNotDownloaded | None:
        return self.cache.not_downloaded(model_id, param=param)

    def check_fetchable(self, model_id: str, source: SourceName | None = None) -> Literal["hub", "index"]:
        return self.cache.check_fetchable(model_id, source)

    def pull(
        self,
        model_id: str,
        progress: Callable[[PullProgress], None] | None = None,
        *,
        source_dir: Path | Sequence[Path] | None = None,
        source: SourceName | None = None,
        force: bool = False,
    ) -> InstalledModel:
        return self.cache.pull(model_id, progress, source_dir=source_dir, source=source, force=force)

    def remove(self, model_id: str) -> bool:
        """Delete a model's files; refused (InvalidRequest) while a request uses it."""
        return self.cache.remove(model_id)

    def verify(self, model_id: str) -> list[str]:
        return self.cache.verify(model_id)

    def audit(self, model_id: str) -> Audit:
        return self.cache.audit(model_id)

    def offline(self) -> str | None:
        return self.cache.offline()

    def mark_broken(self, model_id: str, reason: str) -> None:
        self.cache.mark_broken(model_id, reason)

    # ======================================================================================== memory

    @contextlib.contextmanager
    def lease(
        self,
        model_id: str,
        loader: Callable[[Path], T],
        *,
        unloader: Callable[[T], None] | None = None,
        pin: bool = False,
        progress: Callable[[PullProgress], None] | None = None,
    ) -> Iterator[T]:
        """Hold `model_id` loaded while the block runs: `loader(path)` makes it on first use (any
        exception becomes ModelNotReady), `unloader(value)` runs when it is unloaded."""
        model_id = canonical(model_id)
        slot = self._acquire(model_id, pin)
        try:
            with slot.load_lock:
                if not slot.loaded:
                    self._load(slot, loader, unloader, progress)
            yield cast(T, slot.value)
        finally:
            self._release(slot)

    def grow(self, model_id: str, extra_mb: int) -> None:
        """A loaded model now holds `extra_mb` more (a second replica of its weights, say): count it
        against the memory budget, unloading idle others first when it would go over."""
        model_id = canonical(model_id)
        self._make_room(extra_mb, keep=model_id)
        with self._lock:
            slot = self._slots.get(model_id)
            if slot is not None and slot.loaded:
                slot.memory_mb += extra_mb

    def loaded(self) -> list[LoadedModel]:
        now = self._clock()
        with self._lock:
            return [
                LoadedModel(
                    s.id, s.refs, s.memory_mb, max(0.0, now - s.last_used) if not s.refs else 0.0, s.pinned
                )
                for s in sorted(self._slots.values(), key=lambda s: s.id)
                if s.loaded
            ]

    def unload(self, model_id: str) -> bool:
        """Unload a model nobody is using now; False when it is in use or not loaded."""
        with self._lock:
            slot = self._slots.get(canonical(model_id))
            if slot is None or not slot.loaded or slot.refs:
                return False
            self._unload_slot(slot)
            return True

    def unload_idle(self) -> list[str]:
        """Unload every unpinned model idle for `idle_unload_seconds` or more; their ids."""
        now = self._clock()
        with self._lock:
            idle = [s for s in self._idle_for(self.settings.idle_unload_seconds, now) if not s.pinned]
            for slot in idle:
                log.info("unloading %s (idle %.0f s)", slot.id, now - slot.last_used)
                self._unload_slot(slot)
            return [s.id for s in idle]

    def release_idle_memory(self) -> list[str]:
        """Ask every loaded model nobody has used for `release_memory_seconds` to hand back what it
        keeps between uses, once per idle spell: the loaded object's own `release_memory()`, where
        it has one (Piper's voices empty their ONNX Runtime arenas); then the heap is trimmed. The
        reaper calls this; the ids of the models that released."""
        limit = self.settings.release_memory_seconds
        with self._lock:
            due = [s for s in self._idle_for(limit, self._clock()) if s.warm]
            for slot in due:
                slot.warm = False
            values = [(s.id, s.value) for s in due]
        released = []
        for model_id, value in values:
            release = getattr(value, "release_memory", None)
            if release is None:
                continue
            try:
                release()
            except Exception:  # memory kept is not worth failing for
                log.exception("releasing the memory of %s failed", model_id)
                continue
            log.info("released the working memory of %s (idle %.0f s)", model_id, limit)
            released.append(model_id)
        if released:
            heap.trim()
        return released

    def _idle_for(self, seconds: float, now: float) -> list[_Slot]:
        """Loaded models nobody has used for `seconds` (none when `seconds` is 0: never); lock held."""
        if seconds <= 0:
            return []
        return [s for s in self._slots.values() if s.loaded and not s.refs and now - s.last_used >= seconds]

    def close(self) -> None:
        """Stop the reaper (returning once its thread has ended) and unload every model not in use."""
        self._stop.set()
        reaper = self._reaper
        if reaper is not None and reaper is not threading.current_thread():
            reaper.join()
        with self._lock:
            for slot in list(self._slots.values()):
                if slot.loaded and not slot.refs:
                    self._unload_slot(slot)

    # ---------------------------------------------------------------------------------------- slots

    def _acquire(self, model_id: str, pin: bool) -> _Slot:
        with self._lock:
            slot = self._slots.setdefault(model_id, _Slot(model_id))
            slot.refs += 1
            slot.pinned = slot.pinned or pin
            slot.last_used = self._clock()
            slot.warm = True
            return slot

    def _release(self, slot: _Slot) -> None:
        with self._lock:
            slot.refs -= 1
            slot.last_used = self._clock()
            if not slot.refs and not slot.loaded and self._slots.get(slot.id) is slot:
                del self._slots[slot.id]

    def _load(
        self,
        slot: _Slot,
        loader: Callable[[Path], T],
        unloader: Callable[[T], None] | None,
        progress: Callable[[PullProgress], None] | None,
    ) -> None:
        reason = self.cache.broken_reason(slot.id)
        if reason is not None:
            raise ModelNotReady(reason)  # known broken: do not try again
        path = self.cache.ensure(slot.id, progress)
        installed = self.get(slot.id)
        memory = installed.memory_mb if installed else 0
        self._make_room(memory, keep=slot.id)
        start = self._clock()
        try:
            value = loader(path)
        except MynahError as exc:
            self.cache.mark_broken(slot.id, exc.message)
            raise ModelNotReady(exc.message) from exc
        except Exception as exc:  # a corrupt file may raise anything from inside a native library
            message = f"failed to load from {path}: {type(exc).__name__}: {_first_line(exc)}"
            self.cache.mark_broken(slot.id, message)
            raise ModelNotReady(message) from exc
        with self._lock:
            slot.value, slot.loaded, slot.memory_mb = value, True, memory
            slot.unloader = cast("Callable[[Any], None] | None", unloader)
            slot.last_used = self._clock()
            self.loads += 1
        log.info("loaded %s in %.2f s (~%d MB)", slot.id, self._clock() - start, memory)
        self._start_reaper()

    def _make_room(self, needed_mb: int, *, keep: str) -> None:
        budget = self.settings.memory_budget_mb
        if budget is None:
            return
        with self._lock:
            loaded = [s for s in self._slots.values() if s.loaded]
            used = sum(s.memory_mb for s in loaded)
            idle = sorted(
                (s for s in loaded if not s.refs and not s.pinned and s.id != keep), key=lambda s: s.last_used
            )
            while used + needed_mb > budget and idle:
                victim = idle.pop(0)
                log.info("unloading %s to stay under the memory budget of %d MB", victim.id, budget)
                used -= victim.memory_mb
                self._unload_slot(victim)
            if used + needed_mb > budget:
                log.warning(
                    "loading %s (~%d MB) goes over the memory budget of %d MB: %d MB are in use",
                    keep,
                    needed_mb,
                    budget,
                    used,
                )

    def _unload_slot(self, slot: _Slot) -> None:
        """Call with the lock held and slot.refs == 0."""
        value, unloader = slot.value, slot.unloader
        slot.value, slot.loaded, slot.unloader, slot.pinned = None, False, None, False
        self.unloads += 1
        if self._slots.get(slot.id) is slot:
            del self._slots[slot.id]
        if unloader is not None:
            try:
                unloader(value)
            except Exception:  # unloading must not break the caller
                log.exception("unloading %s failed", slot.id)

    def _start_reaper(self) -> None:
        intervals = [
            seconds / divisor
            for seconds, divisor in (
                (self.settings.idle_unload_seconds, 4),
                (self.settings.release_memory_seconds, 2),
            )
            if seconds > 0
        ]
        if not intervals:
            return
        with self._lock:
            if self._reaper is not None and self._reaper.is_alive():
                return
            self._stop.clear()
            self._reaper = threading.Thread(target=self._reap, args=(min(*intervals, 30.0),), daemon=True)
            self._reaper.name = "mynah-model-reaper"
            self._reaper.start()

    def _reap(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.unload_idle()
            self.release_idle_memory()
            with self._lock:
                if not any(s.loaded for s in self._slots.values()):
                    self._reaper = None
                    return

    def _release_files(self, model_id: str, removing: bool) -> None:
        """The cache is about to replace (or remove) a model's files: unload it if nobody uses it."""
        with self._lock:
            slot = self._slots.get(model_id)
            if slot is None:
                return
            if removing and slot.refs > 0:
                raise InvalidRequest(f"{model_id} is in use by {slot.refs} request(s); try again later")
            if slot.loaded and not slot.refs:
                self._unload_slot(slot)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else ""
