"""The installed models on disk: one directory per model, a manifest in each, atomic installs.

Each installed model is a directory `<cache>/<engine>/<name>/` holding its files and a manifest,
`mynah-model.json`: where it came from (`source`), every file with its size and sha256, and its
provenance (identical to the official release or a local variant, see `mynah.models.provenance`).
A directory appears only complete: pulls put files into `<cache>/.partial/<engine>--<name>/`,
and `commit` writes the manifest there and renames the directory into place. Bytes a failed pull
received stay in `.partial`, so the next pull resumes them.

`before_change(model_id, removing)` runs before a model's files are replaced or removed: the model
manager unloads the model there (and refuses a removal while a request uses it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mynah.errors import UnknownModel
from mynah.models.catalog import MODEL_FILE, CatalogEntry, Lookup, split_id
from mynah.models.provenance import Provenance, compare

__all__ = ["Audit", "InstalledModel", "ModelFile", "ModelStore", "canonical", "sha256_of"]

_PARTIAL = ".partial"
_LOCKS = ".locks"
_BLOCK = 1024 * 1024


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
    provenance: Provenance
    """What the files are, as recorded when they were installed."""
    problems: tuple[str, ...] = ()
    """Files missing or of the wrong size (a cheap check; `audit` reads every byte)."""

    @property
    def size_bytes(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def memory_mb(self) -> int:
        return self.entry.memory_mb if self.entry else max(1, round(self.size_bytes * 1.5 / 2**20))


@dataclass(frozen=True)
class Audit:
    """An installed model with every byte read again."""

    problems: tuple[str, ...]
    """How the files differ from the manifest (missing, wrong size, other content)."""
    provenance: Provenance
    """What the bytes on disk are, against the official hashes the catalog knows."""


class ModelStore:
    """The model directories under one cache directory. Thread-safe."""

    def __init__(
        self,
        cache_dir: Path,
        lookup: Lookup,
        before_change: Callable[[str, bool], None] | None = None,
    ) -> None:
        self.cache_dir = cache_dir
        self._lookup = lookup
        self._before_change = before_change
        self._lock = threading.Lock()
        self._pull_locks: dict[str, threading.Lock] = {}

    # ------------------------------------------------------------------------------------ reading

    def model_dir(self, model_id: str) -> Path:
        engine, name = split(model_id)
        return self.cache_dir / engine / name

    def staging_dir(self, model_id: str) -> Path:
        return self.cache_dir / _PARTIAL / canonical(model_id).replace(":", "--")

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
        return self._read(canonical(model_id), self.model_dir(model_id))

    def partial_downloads(self) -> list[tuple[str, int]]:
        """(model id, bytes received) of every pull that stopped before it finished."""
        out = []
        for directory in _subdirs(self.cache_dir / _PARTIAL):
            engine, _, name = directory.name.partition("--")
            size = sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())
            out.append((f"{engine}:{name}", size))
        return out

    def audit(self, model_id: str) -> Audit:
        """Read every file of an installed model; compare with the manifest and the official hashes."""
        model = self.get(model_id)
        if model is None:
            raise UnknownModel(f"{canonical(model_id)} is not installed", param="model")
        problems = list(model.problems)
        actual = {}
        for record in model.files:
            path = model.path / record.name
            if not path.is_file():
                continue
            actual[record.name] = digest = sha256_of(path)
            if path.stat().st_size == record.size and digest != record.sha256:
                problems.append(f"{record.name}: content differs from the manifest (sha256)")
        hub = _hub_release(model.source) if not problems else None
        return Audit(tuple(problems), compare(model.entry, actual, from_hub=hub))

    # ------------------------------------------------------------------------------------ writing

    def pull_lock(self, model_id: str) -> contextlib.AbstractContextManager[object]:
        """One pull (or removal) of a model at a time: across threads, and across processes where
        `filelock` is installed."""
        model_id = canonical(model_id)
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

    def staged_files(self, staging: Path) -> list[ModelFile]:
        """Every file staged for a model (not the manifest, not hidden work files), hashed."""
        return [
            ModelFile(rel, p.stat().st_size, sha256_of(p))
            for p in sorted(staging.rglob("*"))
            if p.is_file()
            and (rel := p.relative_to(staging).as_posix()) != MODEL_FILE
            and not any(part.startswith(".") for part in rel.split("/"))
        ]

    def commit(
        self,
        model_id: str,
        staging: Path,
        files: Sequence[ModelFile],
        source: dict[str, str],
        provenance: Provenance,
    ) -> InstalledModel:
        """Write the manifest and rename `staging` into place, replacing any earlier install."""
        model_id = canonical(model_id)
        for hidden in [p for p in staging.iterdir() if p.name.startswith(".")]:  # work files
            if hidden.is_dir():
                shutil.rmtree(hidden)
            else:
                hidden.unlink()
        manifest = {
            "id": model_id,
            "source": source,
            "files": [{"name": f.name, "size": f.size, "sha256": f.sha256} for f in files],
            "provenance": provenance.as_dict(),
            "pulled_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        (staging / MODEL_FILE).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
        target = self.model_dir(model_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        if self._before_change is not None:
            self._before_change(model_id, False)
        if target.exists():
            old = target.with_name(f".{target.name}.replaced-{os.getpid()}")
            os.replace(target, old)
            shutil.rmtree(old, ignore_errors=True)
        os.replace(staging, target)
        installed = self.get(model_id)
        assert installed is not None
        return installed

    def remove(self, model_id: str) -> bool:
        """Delete an installed model and any partial download of it."""
        model_id = canonical(model_id)
        if self._before_change is not None:
            self._before_change(model_id, True)
        directory = self.model_dir(model_id)
        staging = self.staging_dir(model_id)
        removed = directory.exists() or staging.exists()
        if not removed:  # nothing to remove: no lock taken, so no lock file left behind
            return False
        with self.pull_lock(model_id):
            if directory.exists():
                trash = directory.with_name(f".{directory.name}.removing-{os.getpid()}")
                os.replace(directory, trash)
                shutil.rmtree(trash, ignore_errors=True)
            shutil.rmtree(staging, ignore_errors=True)
        return removed

    # ------------------------------------------------------------------------------------ internals

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
        engine, name = split(model_id)
        entry = self._lookup(model_id)
        source = {str(k): str(v) for k, v in dict(data.get("source", {})).items()}
        try:
            provenance = Provenance.from_dict(data["provenance"])
        except (KeyError, TypeError, ValueError, AttributeError):  # none recorded: judge by the hashes
            provenance = compare(entry, {f.name: f.sha256 for f in files}, from_hub=_hub_release(source))
        return InstalledModel(
            id=model_id,
            engine=engine,
            name=name,
            path=directory,
            files=files,
            source=source,
            pulled_at=str(data.get("pulled_at", "")),
            entry=entry,
            problems=problems,
            provenance=provenance,
        )


# ========================================================================================= helpers


def canonical(model_id: str) -> str:
    engine, sep, name = model_id.strip().partition(":")
    return f"{engine.lower()}{sep}{name}"


def split(model_id: str) -> tuple[str, str]:
    """(engine, name) of a model id; raises UnknownModel when it is not one."""
    try:
        return split_id(canonical(model_id))
    except ValueError as exc:
        raise UnknownModel(str(exc), param="model") from exc


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _hub_release(source: dict[str, str]) -> str | None:
    return f"{source['repo']}@{source.get('revision', 'main')}" if "repo" in source else None


def _subdirs(path: Path) -> list[Path]:
    try:
        return sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
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
