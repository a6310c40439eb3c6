"""Job inputs and results on the filesystem, content-addressed: a file's name is the sha256 of its bytes.

    <data_dir>/jobs/blobs/ab/abcdef...      the blob whose sha256 is abcdef...
    <data_dir>/jobs/blobs/tmp/...           files being written (renamed into place when complete)

Writing is atomic (a temporary file, fsync, rename), so a crash never leaves half a blob under a
real name, and two jobs with the same input share one file. Blobs are referenced from job rows;
`orphans` lists the ones no row refers to any more (after a crash between writing and committing,
or once a job is deleted), which the cleanup task removes.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tempfile
import time
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import BinaryIO

_REF = re.compile(r"[0-9a-f]{64}")
_BLOCK = 1 << 20


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._tmp = root / "tmp"

    def path(self, ref: str) -> Path:
        if not _REF.fullmatch(ref):
            raise ValueError(f"not a blob reference: {ref!r}")
        return self.root / ref[:2] / ref

    def exists(self, ref: str) -> bool:
        return self.path(ref).is_file()

    def put(self, data: bytes) -> str:
        """Store `data`; its sha256 (the reference) is returned. The same bytes twice keep one file."""
        return self.put_file(io.BytesIO(data))

    def put_file(self, source: BinaryIO) -> str:
        """Store what `source` holds from its current position, streamed."""
        digest = hashlib.sha256()
        self._tmp.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self._tmp, delete=False) as handle:
            try:
                while block := source.read(_BLOCK):
                    digest.update(block)
                    handle.write(block)
                handle.flush()
                os.fsync(handle.fileno())
            except BaseException:
                Path(handle.name).unlink(missing_ok=True)
                raise
        ref = digest.hexdigest()
        self._place(Path(handle.name), ref)
        return ref

    def read(self, ref: str) -> bytes:
        return self.path(ref).read_bytes()

    def delete(self, ref: str) -> None:
        self.path(ref).unlink(missing_ok=True)

    def refs(self) -> Iterator[tuple[str, float]]:
        """Every stored blob and its modification time."""
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            if len(folder.name) != 2 or not folder.is_dir():
                continue
            for file in folder.iterdir():
                if _REF.fullmatch(file.name):
                    try:
                        yield file.name, file.stat().st_mtime
                    except FileNotFoundError:
                        continue

    def orphans(self, referenced: Collection[str], *, older_than: float) -> list[str]:
        """Blobs no job refers to, written more than `older_than` seconds ago (a younger one may belong
        to a submission whose row is not committed yet)."""
        cutoff = time.time() - older_than
        return [ref for ref, mtime in self.refs() if ref not in referenced and mtime < cutoff]

    def clean_tmp(self, *, older_than: float) -> int:
        """Remove temporary files left by writers that died."""
        if not self._tmp.is_dir():
            return 0
        cutoff = time.time() - older_than
        removed = 0
        for file in self._tmp.iterdir():
            try:
                if file.stat().st_mtime < cutoff:
                    file.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

    def _place(self, temporary: Path, ref: str) -> None:
        target = self.path(ref)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            temporary.unlink(missing_ok=True)
            os.utime(target)  # fresh again, so the cleanup's grace period starts over
            return
        try:
            os.replace(temporary, target)
        except OSError:
            shutil.move(str(temporary), target)
