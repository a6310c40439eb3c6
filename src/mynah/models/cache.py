"""The model cache: model files on disk, how they get there, and whether a model can serve now.

Files
    Each installed model is a directory `<cache>/<engine>/<name>/` holding its files and a manifest,
    `mynah-model.json` (where it came from, every file with its size and sha256). A directory appears
    only complete: a pull downloads into `<cache>/.partial/<engine>--<name>/`, checks every file
    against the hub's hashes, writes the manifest, and renames the directory into place. A pull that
    fails leaves no model directory; the bytes it received stay in `.partial` and the next pull of
    the same model resumes them. `pull(..., source_dir=...)` installs a local directory the same way.

Availability
    `availability(id)` says why a model cannot serve right now ("not downloaded and no network ...",
    "failed to load ...") or None when it can (installed, or fetchable on first use). Engines call it
    while resolving a voice or model, so a fallback chain skips what cannot serve; each reason is
    logged once per model, not per request. Offline means `ModelSettings.offline`, HF_HUB_OFFLINE, or
    a hub that does not answer a short probe (remembered for a minute). A model recorded as broken
    (`mark_broken`, by the manager when its loader fails) stays unavailable until its files change.

    ModelCache
    ├── files:   installed(), get(), pull(), remove(), verify(), partial_downloads()
    └── serving: availability(), ensure(), offline(), mark_broken()

`mynah.models.manager.ModelManager` adds loading, sharing and unloading on top.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mynah.config import ModelSettings
from mynah.errors import EngineUnavailable, InvalidRequest, MynahError, UnknownModel
from mynah.models.catalog import MODEL_FILE, CatalogEntry, check_layout, lookup, split_id
from mynah.models.hub import DownloadFailed, HubClient, Offline, RemoteFile, offline_reason

__all__ = ["InstalledModel", "ModelCache", "ModelFile", "ModelNotReady", "PullProgress"]

log = logging.getLogger(__name__)

_PARTIAL = ".partial"
_LOCKS = ".locks"
_PROBE_TTL = 60.0
_BLOCK = 1024 * 1024
_LOCAL_PATTERNS = {
    "piper": (".onnx", ".onnx.json"),
    "kokoro": (".onnx", ".bin", ".npz"),
    "whisper": (
        "config.json",
        "preprocessor_config.json",
        "model.bin",
        "tokenizer.json",
        "vocabulary.json",
        "vocabulary.txt",
    ),
}


class ModelNotReady(EngineUnavailable):
    """The model is not installed and cannot be fetched now, or its files are damaged or unloadable.
    The message is the reason alone; callers put the voice or model id in front."""

    code = "model_unavailable"


@dataclass(frozen=True)
class ModelFile:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class InstalledModel:
    id: str
    engine: str
    name: str
    path: Path
    files: tuple[ModelFile, ...]
    source: dict[str, str]
    pulled_at: str
    entry: CatalogEntry | None
    problems: tuple[str, ...] = ()
    """Files missing or of the wrong size (a cheap check; `verify` reads every byte)."""

    @property
    def size_bytes(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def memory_mb(self) -> int:
        return self.entry.memory_mb if self.entry else max(1, round(self.size_bytes * 1.5 / 2**20))


@dataclass(frozen=True)
class PullProgress:
    model_id: str
    file: str
    done: int
    """Bytes of the whole model received so far (including bytes resumed from an earlier pull)."""
    total: int


class _Tracker:
    def __init__(self, model_id: str, total: int, callback: Callable[[PullProgress], None] | None) -> None:
        self.model_id = model_id
        self.total = total
        self.done = 0
        self.file = ""
        self._callback = callback
        self._logged = -1

    def advance(self, count: int) -> None:
        self.done += count
        if self._callback is not None:
            self._callback(PullProgress(self.model_id, self.file, self.done, self.total))
        tenth = self.done * 10 // max(self.total, 1)
        if tenth != self._logged:
            self._logged = tenth
            log.info("pulling %s: %d%% of %s", self.model_id, tenth * 10, _megabytes(self.total))


class ModelCache:
    """Model files for one cache directory, and whether each can serve. Thread-safe."""

    def __init__(
        self,
        settings: ModelSettings | None = None,
        *,
        cache_dir: Path | None = None,
        hub: HubClient | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings or ModelSettings()
        root = self.settings.cache_dir or cache_dir
        if root is None:
            raise ValueError("a model cache needs a directory (ModelSettings.cache_dir or cache_dir=)")
        self.cache_dir = Path(root).expanduser()
        self.hub = hub or HubClient(self.settings.hub_endpoint)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.RLock()
        self._pull_locks: dict[str, threading.Lock] = {}
        self._broken: dict[str, tuple[str, str]] = {}
        self._said: set[str] = set()
        self._probe: tuple[float, str | None] | None = None

    # ========================================================================================= files

    def model_dir(self, model_id: str) -> Path:
        engine, name = self._split(model_id)
        return self.cache_dir / engine / name

    def installed(self, engine: str | None = None) -> list[InstalledModel]:
        """Every installed model (of one engine), by id."""
        found = []
        engines = [engine] if engine else sorted(p.name for p in _subdirs(self.cache_dir))
        for name in engines:
            for directory in _subdirs(self.cache_dir / name):
                try:
                    model = self._read(f"{name}:{directory.name}", directory)
                except UnknownModel:  # a directory that is not a model id: not ours
                    continue
                if model is not None:
                    found.append(model)
        return sorted(found, key=lambda m: m.id)

    def get(self, model_id: str) -> InstalledModel | None:
        """The installed model, or None. A model with missing or truncated files is returned with
        `problems` filled in."""
        directory = self.model_dir(model_id)
        return self._read(_canonical(model_id), directory)

    def partial_downloads(self) -> list[tuple[str, int]]:
        """(model id, bytes received) of every pull that stopped before it finished."""
        out = []
        for directory in _subdirs(self.cache_dir / _PARTIAL):
            engine, _, name = directory.name.partition("--")
            size = sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())
            out.append((f"{engine}:{name}", size))
        return out

    def pull(
        self,
        model_id: str,
        progress: Callable[[PullProgress], None] | None = None,
        *,
        source_dir: Path | None = None,
        force: bool = False,
    ) -> InstalledModel:
        """Install a model from the hub (or from `source_dir`), unless it is installed already."""
        model_id = _canonical(model_id)
        engine, _ = self._split(model_id)
        existing = self.get(model_id)
        if existing is not None and not existing.problems and not force:
            return existing
        entry = lookup(model_id)
        if source_dir is None:  # refuse before anything is written
            if entry is None:
                raise UnknownModel(
                    f"mynah does not know where to fetch {model_id}; `mynah models list --available` shows "
                    "the catalog, or install a local directory with `mynah models pull ID --from DIR`",
                    param="model",
                )
            refusal = self._offline()
            if refusal is not None:
                raise Offline(f"cannot pull {model_id}: {refusal}")
        staging = self.cache_dir / _PARTIAL / model_id.replace(":", "--")
        with self._pull_lock(model_id):
            existing = self.get(model_id)
            if existing is not None and not existing.problems and not force:
                return existing
            try:
                if source_dir is not None:
                    self._stage_local(model_id, engine, Path(source_dir), staging)
                    source = {"local": str(Path(source_dir).resolve())}
                else:
                    assert entry is not None
                    source = self._stage_remote(entry, staging, progress)
                installed = self._commit(model_id, engine, staging, source)
            except BaseException:
                _remove_if_empty(staging)
                raise
        with self._lock:
            self._broken.pop(model_id, None)
            self._said = {k for k in self._said if not k.startswith(model_id + "|")}
        log.info("installed %s (%s) in %s", model_id, _megabytes(installed.size_bytes), installed.path)
        return installed

    def remove(self, model_id: str) -> bool:
        """Delete an installed model and any partial download of it. A model in use is refused."""
        model_id = _canonical(model_id)
        self._release_files(model_id, removing=True)
        directory = self.model_dir(model_id)
        staging = self.cache_dir / _PARTIAL / model_id.replace(":", "--")
        removed = directory.exists() or staging.exists()
        with self._pull_lock(model_id):
            if directory.exists():
                trash = directory.with_name(f".{directory.name}.removing-{os.getpid()}")
                os.replace(directory, trash)
                shutil.rmtree(trash, ignore_errors=True)
            shutil.rmtree(staging, ignore_errors=True)
        with self._lock:
            self._broken.pop(model_id, None)
        return removed

    def verify(self, model_id: str) -> list[str]:
        """Read every file of an installed model and compare it with the manifest: the problems."""
        model = self.get(model_id)
        if model is None:
            raise UnknownModel(f"{_canonical(model_id)} is not installed", param="model")
        problems = list(model.problems)
        for record in model.files:
            path = model.path / record.name
            if path.is_file() and path.stat().st_size == record.size and _sha256(path) != record.sha256:
                problems.append(f"{record.name}: content differs from the manifest (sha256)")
        return problems

    # ======================================================================================= serving

    def availability(self, model_id: str) -> str | None:
        """Why `model_id` cannot serve a request now, or None when it can (installed and not known to
        be broken, or fetchable on first use). Logs each reason once."""
        model_id = _canonical(model_id)
        reason = self._unavailable(model_id)
        if reason is not None:
            self._say_once(model_id, reason)
        return reason

    def ensure(self, model_id: str, progress: Callable[[PullProgress], None] | None = None) -> Path:
        """The directory of an installed model, fetching it first if allowed; raises ModelNotReady."""
        model_id = _canonical(model_id)
        installed = self.get(model_id)
        if installed is not None and not installed.problems:
            return installed.path
        reason = self._fetch_refusal(model_id, installed)
        if reason is not None:
            self._say_once(model_id, reason)
            raise ModelNotReady(reason)
        entry = lookup(model_id)
        size = f" ({entry.disk_mb} MB)" if entry else ""
        log.warning(
            "%s is not downloaded: fetching it%s from %s on first use", model_id, size, self.hub.endpoint
        )
        start = self._clock()
        try:
            model = self.pull(model_id, progress, force=installed is not None)
        except MynahError as exc:
            raise ModelNotReady(exc.message) from exc
        log.warning("fetched %s in %.0f s", model_id, self._clock() - start)
        return model.path

    def offline(self) -> str | None:
        """Why nothing can be fetched now (offline mode, or the hub does not answer), or None."""
        return self._offline()

    def mark_broken(self, model_id: str, reason: str) -> None:
        """Record that an installed model failed to load; it stays unavailable until its files change."""
        installed = self.get(model_id)
        if installed is None:
            return
        with self._lock:
            self._broken[_canonical(model_id)] = (_signature(installed), reason)
        self._say_once(_canonical(model_id), reason)

    def _release_files(self, model_id: str, *, removing: bool) -> None:
        """Called before a model's files are replaced or removed; the manager unloads it (and refuses
        a removal while it is in use)."""

    # ===================================================================================== internals

    def _split(self, model_id: str) -> tuple[str, str]:
        try:
            return split_id(model_id)
        except ValueError as exc:
            raise UnknownModel(str(exc), param="model") from exc

    def _read(self, model_id: str, directory: Path) -> InstalledModel | None:
        manifest = directory / MODEL_FILE
        try:
            data = json.loads(manifest.read_text("utf-8"))
            files = tuple(ModelFile(str(f["name"]), int(f["size"]), str(f["sha256"])) for f in data["files"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            files, data = (), {"source": {}, "pulled_at": ""}
            problems: tuple[str, ...] = (f"{MODEL_FILE} is unreadable ({type(exc).__name__})",)
        else:
            problems = tuple(_file_problems(directory, files))
        engine, name = self._split(model_id)
        return InstalledModel(
            id=model_id,
            engine=engine,
            name=name,
            path=directory,
            files=files,
            source={str(k): str(v) for k, v in dict(data.get("source", {})).items()},
            pulled_at=str(data.get("pulled_at", "")),
            entry=lookup(model_id),
            problems=problems,
        )

    def _pull_lock(self, model_id: str) -> contextlib.AbstractContextManager[object]:
        with self._lock:
            lock = self._pull_locks.setdefault(model_id, threading.Lock())
        stack = contextlib.ExitStack()
        stack.enter_context(lock)
        try:
            from filelock import FileLock
        except ImportError:  # one process at a time is still safe
            return stack
        locks = self.cache_dir / _LOCKS
        locks.mkdir(parents=True, exist_ok=True)
        stack.enter_context(FileLock(str(locks / f"{model_id.replace(':', '--')}.lock")))
        return stack

    def _stage_remote(
        self, entry: CatalogEntry, staging: Path, progress: Callable[[PullProgress], None] | None
    ) -> dict[str, str]:
        model_id = entry.id
        files = self.hub.list_files(entry.source)
        problem = check_layout(entry.engine, [f.name for f in files])
        if problem is not None:
            raise DownloadFailed(f"cannot pull {model_id} from {entry.source.repo}: {problem}")
        staging.mkdir(parents=True, exist_ok=True)
        parts = {_part_name(f): f for f in files}
        for stale in staging.rglob("*.part"):
            if stale.relative_to(staging).as_posix() not in parts:
                stale.unlink()
        tracker = _Tracker(model_id, sum(f.size for f in files), progress)
        for remote in files:
            tracker.file = remote.name
            final = staging / remote.name
            if final.is_file() and final.stat().st_size == remote.size:
                tracker.advance(remote.size)  # verified by an earlier pull that stopped later
                continue
            part = staging / _part_name(remote)
            part.parent.mkdir(parents=True, exist_ok=True)
            self._download(remote, part, tracker)
            os.replace(part, final)
        source = entry.source
        return {"repo": source.repo, "revision": source.revision, "endpoint": self.hub.endpoint}

    def _download(self, remote: RemoteFile, part: Path, tracker: _Tracker) -> None:
        retries = self.settings.download_retries
        counted = 0

        def advance(count: int) -> None:
            nonlocal counted
            counted += count
            tracker.advance(count)

        for attempt in range(retries + 1):
            tracker.done -= counted  # each attempt reports the bytes already there again
            counted = 0
            try:
                self.hub.download(remote, part, advance)
                return
            except DownloadFailed as exc:
                if attempt == retries:
                    raise
                log.warning("%s (attempt %d of %d); retrying", exc.message, attempt + 1, retries + 1)
                self._sleep(min(2.0**attempt, 10.0))

    def _stage_local(self, model_id: str, engine: str, source: Path, staging: Path) -> None:
        if not source.is_dir():
            raise InvalidRequest(f"{source} is not a directory", param="from")
        name = model_id.partition(":")[2]
        suffixes = _LOCAL_PATTERNS[engine]
        files = sorted(
            p
            for p in source.rglob("*")
            if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(source).parts)
            and (p.name.endswith(suffixes) or p.name in suffixes)
        )
        if engine == "piper":
            own = [p for p in files if p.name in (f"{name}.onnx", f"{name}.onnx.json")]
            files = own or files
        relative = [p.relative_to(source).as_posix() for p in files]
        problem = check_layout(engine, relative)
        if problem is not None:
            raise InvalidRequest(f"{source} does not hold a {engine} model: {problem}", param="from")
        shutil.rmtree(staging, ignore_errors=True)
        for path, rel in zip(files, relative, strict=True):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)

    def _commit(self, model_id: str, engine: str, staging: Path, source: dict[str, str]) -> InstalledModel:
        if engine == "kokoro":
            _pack_kokoro_voices(staging)
        records = [
            {"name": p.relative_to(staging).as_posix(), "size": p.stat().st_size, "sha256": _sha256(p)}
            for p in sorted(staging.rglob("*"))
            if p.is_file() and p.name != MODEL_FILE
        ]
        problem = check_layout(engine, [str(r["name"]) for r in records])
        if problem is not None:
            raise DownloadFailed(f"cannot install {model_id}: {problem}")
        manifest = {
            "id": model_id,
            "source": source,
            "files": records,
            "pulled_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        (staging / MODEL_FILE).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
        target = self.model_dir(model_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        self._release_files(model_id, removing=False)
        if target.exists():
            old = target.with_name(f".{target.name}.replaced-{os.getpid()}")
            os.replace(target, old)
            shutil.rmtree(old, ignore_errors=True)
        os.replace(staging, target)
        installed = self.get(model_id)
        assert installed is not None
        return installed

    # ---------------------------------------------------------------------------------- availability

    def _unavailable(self, model_id: str) -> str | None:
        installed = self.get(model_id)
        if installed is not None and not installed.problems:
            broken = self._broken.get(model_id)
            if broken is not None and broken[0] == _signature(installed):
                return broken[1]
            return None
        return self._fetch_refusal(model_id, installed)

    def _fetch_refusal(self, model_id: str, installed: InstalledModel | None) -> str | None:
        """Why a model that is not (properly) installed cannot be fetched now, or None."""
        pull = f"run `mynah models pull {model_id}`"
        if installed is not None:
            what = f"damaged ({'; '.join(installed.problems)})"
            pull = f"run `mynah models pull --force {model_id}`"
        else:
            what = "not downloaded"
        if lookup(model_id) is None:
            return f"{what}, and mynah does not know where to fetch it"
        if not self.settings.auto_download:
            return f"{what} and automatic download is off ({pull})"
        refusal = self._offline()
        if refusal is not None:
            return f"{what} and {refusal} ({pull} when online)"
        return None

    def _offline(self) -> str | None:
        configured = offline_reason(configured=self.settings.offline)
        if configured is not None:
            return configured
        now = self._clock()
        with self._lock:
            if self._probe is not None and now - self._probe[0] < _PROBE_TTL:
                return self._probe[1]
        result = self.hub.unreachable()
        with self._lock:
            self._probe = (now, result)
        return result

    def _say_once(self, model_id: str, reason: str) -> None:
        key = f"{model_id}|{reason}"
        with self._lock:
            if key in self._said:
                return
            self._said.add(key)
        log.info("%s cannot serve: %s; requests fall back to the next voice or model", model_id, reason)


# ========================================================================================= helpers


def _canonical(model_id: str) -> str:
    engine, sep, name = model_id.strip().partition(":")
    return f"{engine.lower()}{sep}{name}"


def _subdirs(path: Path) -> list[Path]:
    try:
        return sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    except FileNotFoundError:
        return []


def _file_problems(directory: Path, files: tuple[ModelFile, ...]) -> list[str]:
    problems = []
    for record in files:
        path = directory / record.name
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            problems.append(f"{record.name} is missing")
            continue
        if size != record.size:
            problems.append(f"{record.name} is {size:,} bytes, not {record.size:,}")
    return problems


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


def _part_name(remote: RemoteFile) -> str:
    tag = (remote.sha256 or remote.git_sha1 or str(remote.size))[:16]
    return f"{remote.name}.{tag}.part"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f} MB"


def _pack_kokoro_voices(staging: Path) -> None:
    """Turn Kokoro's per-voice style tables (voices/<name>.bin, raw float32 [510, 1, 256]) into the
    one voices.npz that kokoro-onnx reads."""
    import numpy as np

    raw = sorted((staging / "voices").glob("*.bin"))
    if not raw:
        return
    tables = {p.stem: np.fromfile(p, dtype="<f4").reshape(-1, 1, 256) for p in raw}
    with (staging / "voices.npz").open("wb") as sink:
        np.savez(sink, **tables)  # type: ignore[arg-type]
    shutil.rmtree(staging / "voices")
